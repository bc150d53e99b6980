using System.Diagnostics;
using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>
/// Uploads a local image file into a new volume through libvirt's stream API, so the target may
/// be a remote host. The volume is sized to the file; if the upload fails it is removed again.
/// </summary>
[Cmdlet(VerbsData.Import, "KvmVolume", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVolume))]
public sealed class ImportKvmVolumeCommand : StorageCmdlet
{
    /// <summary>The image file on this machine.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The running pool to create the volume in.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StoragePoolNameCompleter))]
    public string Pool { get; set; } = "";

    /// <summary>A pool from Get-KvmStoragePool (through the pipeline), instead of -Pool: that exact pool, on the host it came from.</summary>
    [Parameter(ValueFromPipeline = true)]
    [KvmKind(typeof(KvmStoragePool))]
    public KvmStoragePool? PoolObject { get; set; }

    /// <summary>Name of the new volume; the file's name by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Name { get; set; }

    /// <summary>Format of the file: Qcow2 or Raw. Found out from the file's header when left out.</summary>
    [Parameter]
    public KvmVolumeFormat Format { get; set; }

    /// <summary>Accepted for compatibility and not needed: Import-KvmVolume always returns the volume it made.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string FailureErrorId => "ImportVolumeFailed";

    protected override void ProcessRecordCore()
    {
        string poolName = PoolObject?.Name ?? Pool;
        if (PoolProblem() is (string problem, string id))
        {
            WriteInvalid(new ArgumentException(problem), id, PoolObject?.Name ?? Path);
            return;
        }
        string file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        string name = Name ?? System.IO.Path.GetFileName(file);
        string target = $"{poolName}/{name}";
        CurrentTarget = target;
        if (Directory.Exists(file))
        {
            WriteInvalid(new ArgumentException($"'{file}' is a directory, not an image file: give the path of the file to import."), "ImportPathIsDirectory", file);
            return;
        }
        if (!File.Exists(file))
        {
            WriteError(ErrorHelper.Create(new FileNotFoundException($"The file '{file}' does not exist.", file),
                "ImportFileNotFound", ErrorCategory.ObjectNotFound, file));
            return;
        }
        ImageInfo image;
        try
        {
            if (VolumePlanner.NameProblem(name) is string bad)
            {
                throw new ArgumentException(bad);
            }
            image = VolumeImporter.Inspect(file, IsBound(nameof(Format)) ? Format : null);
        }
        catch (ArgumentException e)
        {
            WriteInvalid(e, "InvalidImportRequest", target);
            return;
        }

        LibvirtConnection conn = PoolObject is null ? GetConnection() : GetConnection(PoolObject.Uri);
        using StoragePool? pool = PoolObject is null ? FindActivePool(conn, Pool) : FindActivePool(conn, PoolObject);
        if (pool is null)
        {
            return;
        }
        using FileStream stream = new(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        ulong length = (ulong)stream.Length;
        using (StorageVolume? existing = pool.TryLookupVolume(name))
        {
            // A volume an earlier import of this file left half-written is replaced (after asking);
            // any other volume of that name is never touched.
            if (existing is not null && !VolumeImporter.IsPartialUpload(existing, length))
            {
                WriteError(ErrorHelper.Create(new InvalidOperationException($"Volume '{target}' already exists."),
                    "StorageVolumeExists", ErrorCategory.ResourceExists, target));
                return;
            }
            if (existing is not null)
            {
                if (!ShouldProcess(target, "Replace the partly uploaded volume an earlier Import-KvmVolume left"))
                {
                    return;
                }
                existing.Delete();
                WriteVerbose($"Removed the partial upload '{target}' left by an earlier import.");
            }
        }
        VolumeDefinition planned = VolumeImporter.Plan(name, length, pool.GetDefinition(inactive: false).Type);
        WriteDebug($"Volume XML:{Environment.NewLine}{StorageVolumeXml.Build(planned)}");
        if (!ShouldProcess(target, $"Create a volume of {FormatSize(length)} and upload {file} ({image.Format}) into it"))
        {
            return;
        }

        var progress = new ProgressRecord(1, $"Importing {System.IO.Path.GetFileName(file)} to {target}", "Starting");
        var throttle = new ProgressThrottle();
        void Report(ulong sent)
        {
            if (!throttle.Due(final: sent >= length))
            {
                return;
            }
            double rate = sent / Math.Max(throttle.Elapsed.TotalSeconds, 0.001);
            progress.PercentComplete = (int)(sent * 100 / length);
            progress.StatusDescription = $"{FormatSize(sent)} of {FormatSize(length)}, {FormatSize((ulong)rate)}/s";
            progress.SecondsRemaining = rate > 0 ? (int)((length - sent) / rate) : -1;
            WriteProgress(progress);
        }

        StorageVolume vol;
        try
        {
            vol = VolumeImporter.Import(pool, planned, stream, Report, CancelToken, WriteVerbose, WriteWarning);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (IOException e)
        {
            WriteError(ErrorHelper.Create(e, "ImportReadFailed", ErrorCategory.ReadError, file, e.Message));
            return;
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
        using (vol)
        {
            double seconds = throttle.Elapsed.TotalSeconds;
            WriteVerbose($"Uploaded {length} bytes to '{target}' in {seconds:0.00} s ({length / 1048576.0 / Math.Max(seconds, 0.001):0.0} MiB/s).");
            if (image.Format != "raw" && planned.Format is not null)
            {
                VolumeImporter.WaitForFormat(pool, vol.Name, image.Format, TimeSpan.FromSeconds(5));
            }
            WriteObject(vol.Describe());
        }
    }

    /// <summary>Why the pool cannot be told (none, two, or a piped pool whose own directory bound to -Path), or null.</summary>
    private (string Message, string ErrorId)? PoolProblem()
    {
        if (PoolObject is null)
        {
            return string.IsNullOrEmpty(Pool) ? ("Give the storage pool: -Pool <name>, or pipe a pool from Get-KvmStoragePool.", "PoolRequired") : null;
        }
        if (IsBound(nameof(Pool)) && !string.Equals(Pool, PoolObject.Name, StringComparison.Ordinal))
        {
            return ($"Both -Pool '{Pool}' and the storage pool '{PoolObject.Name}' were given: give one.", "PoolGivenTwice");
        }
        // A pool's Path property is its directory, never the image to upload.
        return IsFromPipeline(nameof(Path)) && IsFromPipeline(nameof(PoolObject))
            ? ($"The storage pool '{PoolObject.Name}' came through the pipeline without an image: give -Path (a pool's directory is not a file to import).", "ImportPathRequired")
            : null;
    }
}
