namespace KvmPS.Engine.Domains;

/// <summary>
/// What a request leaves on a host when its undo cannot run (the daemon went away half-way), and
/// how a user removes it: each message names the exact command. Also recognises such a leftover
/// when the same request runs again, so that the rerun is not blocked by it.
/// </summary>
public static class Leftover
{
    /// <summary>Allocation up to which a new, never written volume counts as untouched (qcow2 metadata of a fresh image is a few hundred KiB).</summary>
    public const ulong UntouchedAllocationBytes = 2 << 20;

    /// <summary>A value quoted for a PowerShell command line.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''") + "'";

    private static string UriPart(string uri) => string.IsNullOrEmpty(uri) ? "" : $" -Uri {Quote(uri)}";

    /// <summary>The command that removes a volume.</summary>
    public static string RemoveVolumeCommand(string pool, string name, string uri) =>
        $"Remove-KvmVolume -Pool {Quote(pool)} -Name {Quote(name)}{UriPart(uri)} -Confirm:$false";

    /// <summary>The command that removes a VM (and the storage made for it).</summary>
    public static string RemoveVMCommand(string name, string uri) =>
        $"Remove-KvmVM -Name {Quote(name)} -DeleteStorage{UriPart(uri)} -Confirm:$false";

    /// <summary>The command that removes a file on this machine.</summary>
    public static string RemoveFileCommand(string path) => $"Remove-Item -LiteralPath {Quote(path)}";

    /// <summary>The warning for something that could not be removed after a failure.</summary>
    public static string NotRemoved(string what, string reason, string command) =>
        $"{what} was left on the host: removing it after the failure did not work ({reason}). Remove it with: {command}";

    /// <summary>
    /// Whether an existing volume is what an interrupted New-KvmVM made and nothing used since: of
    /// the size and format asked for, never written to, and not a disk of any VM.
    /// </summary>
    public static bool IsUntouchedVolume(Storage.VolumeDefinition existing, ulong bytes, string format, int users) =>
        users == 0 && existing.CapacityBytes == bytes
        && string.Equals(existing.Format, format, StringComparison.OrdinalIgnoreCase)
        && existing.AllocationBytes <= UntouchedAllocationBytes;
}
