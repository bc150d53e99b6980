using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Guest;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Copies a file into a running VM, or out of it with -FromGuest, through the QEMU guest agent (guest-file-*).</summary>
[Cmdlet(VerbsCommon.Copy, "KvmVMFile", SupportsShouldProcess = true)]
[OutputType(typeof(KvmGuestFileCopy))]
public sealed class CopyKvmVMFileCommand : KvmGuestCmdlet
{
    /// <summary>The file to copy: a local path, or with -FromGuest an absolute path in the guest.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = "";

    /// <summary>Where to write it: an absolute path in the guest, or with -FromGuest a local path. An existing file is replaced.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>Copies from the guest to this machine instead.</summary>
    [Parameter]
    public SwitchParameter FromGuest { get; set; }

    /// <summary>Permission bits for the destination in octal (e.g. 755); by default the source's are kept.</summary>
    [Parameter]
    [ValidatePattern("^[0-7]{1,4}$")]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Mode { get; set; }

    protected override void ProcessGuest(LibvirtConnection conn, DomainHandle domain, string name)
    {
        string guestPath = FromGuest ? Source : Destination;
        if (!guestPath.StartsWith('/') && !(guestPath.Length > 2 && guestPath[1] == ':'))
        {
            WriteError(Refuse("GuestPathNotAbsolute", ErrorCategory.InvalidArgument, name, $"The guest path '{guestPath}' must be absolute: the agent has no current directory to resolve it from."));
            return;
        }
        string local = GetUnresolvedProviderPathFromPSPath(FromGuest ? Destination : Source);
        if (!FromGuest && !File.Exists(local))
        {
            WriteError(ErrorHelper.Create(new FileNotFoundException(local), "SourceNotFound", ErrorCategory.ObjectNotFound, Source, $"The file '{local}' does not exist."));
            return;
        }
        string action = FromGuest ? $"Copy '{guestPath}' from the guest to '{local}'" : $"Copy '{local}' to '{guestPath}' in the guest";
        if (!ShouldProcess($"VM '{name}'", action))
        {
            return;
        }
        GuestAgent agent = GuestAgent.Connect(domain, name);
        var copier = new GuestFileCopier(agent);
        var progress = new ProgressRecord(2, $"Copying a file {(FromGuest ? "from" : "to")} VM '{name}'", action);
        long total = FromGuest ? 0 : new FileInfo(local).Length;
        void Report(long done)
        {
            progress.StatusDescription = total > 0 ? $"{done / 1048576.0:0.0} of {total / 1048576.0:0.0} MiB" : $"{done / 1048576.0:0.0} MiB";
            progress.PercentComplete = total > 0 ? (int)(done * 100 / total) : -1;
            WriteProgress(progress);
        }
        KvmGuestFileCopy result;
        try
        {
            result = FromGuest ? CopyOut(copier, guestPath, local, conn.Uri, Report) : CopyIn(copier, local, guestPath, conn.Uri, Report);
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
        foreach (string w in copier.Warnings)
        {
            WriteWarning(w);
        }
        WriteObject(result);
    }

    private KvmGuestFileCopy CopyIn(GuestFileCopier copier, string local, string guestPath, string uri, Action<long> report)
    {
        string mode = Mode ?? (OperatingSystem.IsWindows() ? "644" : FileModeText.Format((int)File.GetUnixFileMode(local)));
        using var source = new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read);
        return copier.ToGuest(source, source.Length, local, guestPath, mode, uri, report, CancelToken);
    }

    private KvmGuestFileCopy CopyOut(GuestFileCopier copier, string guestPath, string local, string uri, Action<long> report)
    {
        // Written beside the destination first, so a failed copy leaves any earlier file as it was.
        string partial = local + ".kvmps-partial";
        try
        {
            KvmGuestFileCopy result;
            using (var dest = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                result = copier.FromGuest(guestPath, dest, local, uri, report, CancelToken);
            }
            string? mode = Mode ?? result.Mode;
            if (mode is not null && !OperatingSystem.IsWindows() && FileModeText.TryParse(mode, out int bits))
            {
                File.SetUnixFileMode(partial, (UnixFileMode)bits);
            }
            File.Move(partial, local, overwrite: true);
            return result;
        }
        finally
        {
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }
        }
    }
}
