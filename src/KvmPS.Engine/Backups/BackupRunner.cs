using System.Security.Cryptography;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Backups;

/// <summary>
/// Runs a planned backup: starts a shut-off VM paused (and stops it after), freezes the guest's
/// filesystems through its agent when it answers, begins libvirt's push-mode backup job with its
/// checkpoint, follows the job's statistics, then writes checksums, the definition and the
/// manifest. On failure or cancellation it aborts the job and removes what it made: the
/// checkpoint, the disk files, the definition file, a directory it created.
/// </summary>
public sealed class BackupRunner
{
    private readonly LibvirtConnection _conn;
    private readonly DomainHandle _domain;
    private readonly BackupPlan _plan;
    private readonly Action<BackupProgress> _progress;
    private readonly Action<string> _verbose;
    private readonly Action<string> _warn;

    public BackupRunner(LibvirtConnection conn, DomainHandle domain, BackupPlan plan, Action<BackupProgress> progress, Action<string> verbose, Action<string> warn)
    {
        _conn = conn;
        _domain = domain;
        _plan = plan;
        _progress = progress;
        _verbose = verbose;
        _warn = warn;
    }

    /// <summary>How often the job's statistics are read.</summary>
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    public BackupResult Run(bool includeSecrets, CancellationToken cancel)
    {
        BackupRequest r = _plan.Request;
        string dir = r.Destination.Path;
        string definition = Path.Combine(dir, _plan.DefinitionFile);
        if (_plan.Disks.Select(d => d.FullPath).Append(definition).FirstOrDefault(File.Exists) is string taken)
        {
            // Never written over, and so never removed by the clean-up below either.
            throw new BackupException("BackupFileExists", KvmErrorKind.AlreadyExists, taken,
                $"VM '{r.VmName}' was not backed up: '{taken}' already exists and is not in the manifest of '{dir}'.");
        }
        bool createdDir = !Directory.Exists(dir);
        bool started = false, begun = false;
        var entry = new BackupManifestEntry
        {
            Index = _plan.Index, Kind = _plan.Kind, Checkpoint = _plan.Checkpoint, ParentCheckpoint = _plan.ParentCheckpoint,
            StartedUtc = DateTime.UtcNow, Definition = _plan.DefinitionFile, IncludesSecrets = includeSecrets, VmState = r.State.ToString(),
        };
        try
        {
            Directory.CreateDirectory(dir);
            cancel.ThrowIfCancellationRequested();
            if (_plan.StartPaused)
            {
                DomainBackupApi.StartPausedForBackup(_domain);
                started = true;
                _verbose($"Started the shut-off VM '{r.VmName}' paused for the backup.");
            }
            // A paused guest runs nothing, so its disks already hold one point in time; the agent cannot answer then either.
            bool freeze = r.State == KvmVMState.Running;
            string? frozenNot = freeze ? DomainBackupApi.TryFreeze(_domain) : "the guest is not running";
            entry.Quiesced = frozenNot is null;
            if (freeze && frozenNot is not null)
            {
                _warn($"The guest agent of VM '{r.VmName}' did not freeze its filesystems ({frozenNot}): the backup is crash-consistent (like a power cut), not application-consistent.");
            }
            try
            {
                _progress(new BackupProgress("Starting the backup job", 0));
                DomainBackupApi.Begin(_domain, _plan.BackupXml, _plan.CheckpointXml);
                begun = true;
            }
            finally
            {
                // The job has its point in time once it has begun: the guest need not stay frozen for the copy.
                if (entry.Quiesced && DomainBackupApi.TryThaw(_domain) is string thaw)
                {
                    _warn($"Thawing the filesystems of VM '{r.VmName}' failed: {thaw}. Run 'virsh domfsthaw {r.VmName}'.");
                }
            }
            if (entry.Quiesced)
            {
                _verbose($"The guest agent froze the filesystems of '{r.VmName}' while the backup began.");
            }
            entry.BytesCopied = Follow(cancel);
            Finish(entry, includeSecrets, cancel);
            var manifest = r.Existing ?? new BackupManifest { VmName = r.VmName, VmUuid = r.VmUuid };
            manifest.VmName = r.VmName;
            manifest.Chain.Add(entry);
            manifest.Save(dir);
            return new BackupResult(manifest, entry, dir);
        }
        catch (Exception e)
        {
            CleanUp(begun, createdDir, e is OperationCanceledException ? "cancelled" : "failed");
            throw;
        }
        finally
        {
            if (started)
            {
                try
                {
                    DomainBackupApi.Destroy(_domain);
                    _verbose($"Stopped VM '{r.VmName}' again.");
                }
                catch (LibvirtException e)
                {
                    _warn($"VM '{r.VmName}' was started paused for the backup and could not be stopped again: {e.LibvirtMessage}");
                }
            }
        }
    }

    /// <summary>Follows the job until it ends; Ctrl+C aborts it. Returns the bytes it copied.</summary>
    private ulong Follow(CancellationToken cancel)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        BackupJobStats last = new(BackupJobStats.Unbounded, 0, 0, null, null);
        while (true)
        {
            BackupJobStats now = DomainBackupApi.GetJob(_domain, completed: false);
            if (!now.Running)
            {
                break;
            }
            last = now;
            int percent = now.Total == 0 ? -1 : (int)(now.Processed * 100 / now.Total);
            double rate = now.Processed / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            _progress(new BackupProgress($"{SizeText.Format(now.Processed)} of {SizeText.Format(now.Total)}, {SizeText.Format((ulong)rate)}/s", percent, now.Processed, now.Total));
            if (cancel.WaitHandle.WaitOne(PollInterval))
            {
                AbortAndWait();
                throw new OperationCanceledException(cancel);
            }
        }
        BackupJobStats done = DomainBackupApi.GetJob(_domain, completed: true);
        if (!done.Succeeded)
        {
            throw new BackupException("BackupJobFailed", KvmErrorKind.WriteFailed, _plan.Request.VmName,
                $"The backup job of VM '{_plan.Request.VmName}' ended {(done.Type == BackupJobStats.Cancelled ? "cancelled" : "with a failure")}: {done.ErrorMessage ?? "libvirt gave no reason"}.");
        }
        return Math.Max(done.Processed, last.Processed);
    }

    private void AbortAndWait()
    {
        try
        {
            DomainBackupApi.AbortJob(_domain);
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.OperationInvalid)
        {
            // The job ended on its own in the meantime.
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && DomainBackupApi.GetJob(_domain, completed: false).Running)
        {
            Thread.Sleep(50);
        }
        _verbose($"Aborted the backup job of VM '{_plan.Request.VmName}'.");
    }

    /// <summary>Checksums and sizes of the files, and the definition beside them.</summary>
    private void Finish(BackupManifestEntry entry, bool includeSecrets, CancellationToken cancel)
    {
        int i = 0;
        foreach (BackupPlannedDisk d in _plan.Disks)
        {
            var file = new FileInfo(d.FullPath);
            if (!file.Exists)
            {
                throw new BackupException("BackupFileMissing", KvmErrorKind.WriteFailed, _plan.Request.VmName,
                    $"The backup job reported success but wrote no '{d.FullPath}'.");
            }
            _progress(new BackupProgress($"SHA-256 of {d.File}", 100 * i++ / _plan.Disks.Count));
            entry.Disks.Add(new BackupManifestDisk
            {
                Target = d.Source.Target, File = d.File, SourcePath = d.Source.Path, SourceFormat = d.Source.Format,
                VirtualSizeBytes = ImageProbe.ReadHeader(d.FullPath).VirtualSizeBytes, FileSizeBytes = (ulong)file.Length,
                Sha256 = Sha256Of(d.FullPath, cancel),
            });
        }
        // Owner-only from the start, as every file that may hold secrets.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = VmStorage.PrivateFileMode;
        }
        using (var writer = new StreamWriter(Path.Combine(_plan.Request.Destination.Path, _plan.DefinitionFile), System.Text.Encoding.UTF8, options))
        {
            writer.Write(DomainService.GetXmlForExport(_domain, includeSecrets));
        }
        entry.CompletedUtc = DateTime.UtcNow;
    }

    public static string Sha256Of(string path, CancellationToken cancel)
    {
        using FileStream f = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        int n;
        while ((n = f.Read(buffer)) > 0)
        {
            cancel.ThrowIfCancellationRequested();
            sha.AppendData(buffer, 0, n);
        }
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>Removes what this run made; what cannot be removed is named in a warning.</summary>
    private void CleanUp(bool begun, bool createdDir, string how)
    {
        string vm = _plan.Request.VmName;
        if (begun)
        {
            try
            {
                if (DomainBackupApi.GetJob(_domain, completed: false).Running)
                {
                    AbortAndWait();
                }
            }
            catch (LibvirtException e)
            {
                _warn($"The backup job of VM '{vm}' could not be aborted: {e.LibvirtMessage}");
            }
            if (_plan.Checkpoint is string cp)
            {
                try
                {
                    if (DomainBackupApi.DeleteCheckpoint(_domain, cp))
                    {
                        _verbose($"Deleted checkpoint '{cp}' of the {how} backup.");
                    }
                }
                catch (LibvirtException e)
                {
                    _warn(Leftover.NotRemoved($"Checkpoint '{cp}' of VM '{vm}'", e.LibvirtMessage, $"virsh checkpoint-delete {vm} {cp}"));
                }
            }
        }
        string dir = _plan.Request.Destination.Path;
        foreach (string file in _plan.Disks.Select(d => d.FullPath).Append(Path.Combine(dir, _plan.DefinitionFile)).Append(Path.Combine(dir, BackupManifest.FileName + ".tmp")))
        {
            try
            {
                if (File.Exists(file))
                {
                    File.Delete(file);
                    _verbose($"Removed '{file}' of the {how} backup.");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _warn(Leftover.NotRemoved($"The partial backup file '{file}'", e.Message, Leftover.RemoveFileCommand(file)));
            }
        }
        if (createdDir && Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
        {
            Directory.Delete(dir);
        }
    }
}
