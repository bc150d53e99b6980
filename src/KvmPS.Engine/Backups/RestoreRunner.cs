using System.ComponentModel;
using System.Xml.Linq;
using CliWrap;
using CliWrap.Buffered;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Backups;

/// <summary>
/// Runs a planned restore: checks every backup file against its SHA-256, flattens each disk's
/// chain into one qcow2 image on this machine (qemu-img convert, argument list), uploads it into
/// a new volume of the pool through libvirt's stream API (so the host may be remote), and defines
/// the VM on those volumes, owning them. On failure or Ctrl+C the volumes and the VM go again.
/// </summary>
public sealed class RestoreRunner
{
    private readonly LibvirtConnection _conn;
    private readonly RestorePlan _plan;
    private readonly Action<BackupProgress> _progress;
    private readonly Action<string> _verbose;
    private readonly Action<string> _warn;

    public RestoreRunner(LibvirtConnection conn, RestorePlan plan, Action<BackupProgress> progress, Action<string> verbose, Action<string> warn)
    {
        _conn = conn;
        _plan = plan;
        _progress = progress;
        _verbose = verbose;
        _warn = warn;
    }

    /// <summary>The qemu-img program (tests: one that is not installed).</summary>
    public string QemuImg { get; init; } = "qemu-img";

    public KvmVM Run(StoragePool pool, CancellationToken cancel)
    {
        Verify(cancel);
        string work = VmStorage.CreatePrivateDirectory();
        var made = new List<StorageVolume>();
        try
        {
            var volumeByTarget = new Dictionary<string, string>(StringComparer.Ordinal);
            KvmStoragePoolType poolType = pool.GetDefinition(inactive: false).Type;
            foreach (RestorePlannedDisk d in _plan.Disks)
            {
                string flat = Path.Combine(work, d.Target + ".qcow2");
                _progress(new BackupProgress($"Joining {d.Paths.Count} backup file(s) of {d.Target}", -1));
                Flatten(d.Paths, flat, cancel);
                using FileStream stream = new(flat, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                ulong length = (ulong)stream.Length;
                StorageVolume vol = VolumeImporter.Import(pool, VolumeImporter.Plan(d.VolumeName, length, poolType), stream,
                    sent => _progress(new BackupProgress($"Uploading {d.Target} to {_plan.Pool}/{d.VolumeName}", (int)(sent * 100 / Math.Max(length, 1)), sent, length)),
                    cancel, _verbose, _warn);
                made.Add(vol);
                VolumeImporter.WaitForFormat(pool, vol.Name, "qcow2", TimeSpan.FromSeconds(5));
                volumeByTarget[d.Target] = vol.GetDefinition().Path ?? throw new InvalidOperationException($"Volume '{vol.Name}' has no path.");
                File.Delete(flat);
            }
            cancel.ThrowIfCancellationRequested();
            XElement domain = SafeXml.Parse(DomainXmlText.Decode(File.ReadAllBytes(_plan.DefinitionPath)));
            RestoreDefinition.PointDisks(domain, volumeByTarget);
            if (_plan.AsCopy)
            {
                foreach (string note in DomainImport.AsCopy(domain, _plan.VmName, HostDomains.Read(_conn)))
                {
                    _warn(note);
                }
            }
            Guid uuid = RestoreDefinition.Own(domain, volumeByTarget.Values);
            _verbose($"Defining VM '{_plan.VmName}' ({uuid}) on the restored volume(s).");
            using DomainHandle h = DomainService.Define(_conn, domain.ToString(), validate: true);
            return DomainService.Get(_conn, h);
        }
        catch
        {
            foreach (StorageVolume v in made)
            {
                try
                {
                    v.Delete();
                    _verbose($"Removed volume '{v.PoolName}/{v.Name}' of the failed restore.");
                }
                catch (LibvirtException e)
                {
                    _warn(Leftover.NotRemoved($"Volume '{v.PoolName}/{v.Name}'", e.LibvirtMessage, Leftover.RemoveVolumeCommand(v.PoolName, v.Name, _conn.Uri)));
                }
            }
            throw;
        }
        finally
        {
            made.ForEach(v => v.Dispose());
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Every file of the chain against the manifest's checksum, before anything is made.</summary>
    private void Verify(CancellationToken cancel)
    {
        var all = _plan.Disks.SelectMany(d => d.Files.Zip(d.Paths)).ToList();
        int i = 0;
        foreach (var (file, path) in all)
        {
            _progress(new BackupProgress($"Checking SHA-256 of {file.File}", 100 * i++ / all.Count));
            string actual = BackupRunner.Sha256Of(path, cancel);
            if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new BackupException("BackupFileCorrupt", KvmErrorKind.InvalidArgument, path,
                    $"'{path}' has SHA-256 {actual}, its manifest says {file.Sha256}: the backup file has changed or is damaged, and nothing was restored.");
            }
        }
    }

    private void Flatten(IReadOnlyList<string> chain, string output, CancellationToken cancel)
    {
        BufferedCommandResult result;
        try
        {
            result = Cli.Wrap(QemuImg)
                .WithArguments(new[] { "convert", "-O", "qcow2", "-o", "compat=1.1", RestorePlanner.ChainSpec(chain), output })
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cancel)
                .GetAwaiter().GetResult();
        }
        catch (Win32Exception e)
        {
            throw new BackupException("QemuImgMissing", KvmErrorKind.NotSupported, QemuImg,
                $"Restore-KvmBackup joins backup files with qemu-img, which is not installed on this machine ({e.Message}); install qemu-utils.", e);
        }
        if (result.ExitCode != 0)
        {
            throw new BackupException("BackupFilesUnreadable", KvmErrorKind.InvalidArgument, chain[^1],
                $"qemu-img could not read the backup chain ending in '{chain[^1]}': {result.StandardError.Trim()}");
        }
    }
}
