namespace KvmPS;

/// <summary>A file copied into or out of a guest by its agent (Copy-KvmVMFile).</summary>
public sealed class KvmGuestFileCopy
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>ToGuest or FromGuest.</summary>
    public string Direction { get; internal init; } = "";

    /// <summary>The file copied from (a local path, or a guest path with -FromGuest).</summary>
    public string Source { get; internal init; } = "";

    /// <summary>The file written (a guest path, or a local path with -FromGuest).</summary>
    public string Destination { get; internal init; } = "";

    /// <summary>Bytes copied.</summary>
    public long Length { get; internal init; }

    /// <summary>SHA-256 of the content (lower-case hex).</summary>
    public string Sha256 { get; internal init; } = "";

    /// <summary>How the copy was checked: "sha256sum in the guest" or "read back" (the guest's copy hashed again).</summary>
    public string VerifiedBy { get; internal init; } = "";

    /// <summary>The permission bits given to the destination (octal, e.g. "644"); null when they could not be set.</summary>
    public string? Mode { get; internal init; }

    /// <summary>Time the copy took, the check included.</summary>
    public TimeSpan Duration { get; internal init; }

    /// <summary>The connection URI.</summary>
    public string Uri { get; internal init; } = "";
}
