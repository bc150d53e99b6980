namespace KvmPS;

/// <summary>A change Repair-KvmHost made to the host.</summary>
public sealed class KvmHostRepair
{
    /// <summary>The check the change answers.</summary>
    public string Check { get; internal init; } = "";

    /// <summary>What was done, in words.</summary>
    public string Action { get; internal init; } = "";

    /// <summary>The command line that ran, or the file that was written.</summary>
    public string Command { get; internal init; } = "";

    /// <summary>The state before the change (a file's value, whether a module was loaded, ...).</summary>
    public string Before { get; internal init; } = "";

    /// <summary>The state read back after the change.</summary>
    public string After { get; internal init; } = "";

    /// <summary>Name of the host that was changed.</summary>
    public string ComputerName { get; internal init; } = "";
}
