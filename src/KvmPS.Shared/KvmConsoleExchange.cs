namespace KvmPS;

/// <summary>One line sent to a VM's serial console and what came back (Enter-KvmVMConsole -InputObject/-Expect).</summary>
public sealed class KvmConsoleExchange
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>The line sent (without the Enter), or null for a wait without input.</summary>
    public string? Input { get; internal init; }

    /// <summary>What the console printed after the line was sent (carriage returns removed).</summary>
    public string Output { get; internal init; } = "";

    /// <summary>Whether -Expect was seen in the output.</summary>
    public bool Matched { get; internal init; }

    /// <summary>Whether -TimeoutSec passed before -Expect was seen.</summary>
    public bool TimedOut { get; internal init; }

    /// <summary>The connection URI.</summary>
    public string Uri { get; internal init; } = "";
}
