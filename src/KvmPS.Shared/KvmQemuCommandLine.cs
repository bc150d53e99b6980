namespace KvmPS;

/// <summary>
/// The QEMU command line libvirt would run for a VM (Get-KvmQemuCommandLine): a debugging view made
/// by libvirt's domain-XML-to-native conversion. libvirt itself never runs QEMU this way (it adds
/// file descriptors, a monitor and sandboxing at start), so the line is for reading, not for running.
/// </summary>
public sealed class KvmQemuCommandLine
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>The command line as one line of shell words.</summary>
    public string CommandLine { get; internal init; } = "";

    /// <summary>Environment assignments libvirt puts before the program (e.g. LC_ALL=C).</summary>
    public string[] Environment { get; internal init; } = Array.Empty<string>();

    /// <summary>The program and its arguments, one element each.</summary>
    public string[] Arguments { get; internal init; } = Array.Empty<string>();

    /// <summary>Always true: this is libvirt's debugging view of the command line.</summary>
    public bool IsDebugView => true;

    /// <summary>The connection URI.</summary>
    public string Uri { get; internal init; } = "";

    /// <inheritdoc />
    public override string ToString() => CommandLine;
}
