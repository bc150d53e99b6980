namespace KvmPS;

/// <summary>The outcome of a program run in the guest by its agent (Invoke-KvmVMScript).</summary>
public sealed class KvmGuestScriptResult
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>What was run: the program and its arguments.</summary>
    public string[] CommandLine { get; internal init; } = Array.Empty<string>();

    /// <summary>The guest process id the agent reported.</summary>
    public long Pid { get; internal init; }

    /// <summary>The exit code; null when the process was killed by a signal or had not ended.</summary>
    public int? ExitCode { get; internal init; }

    /// <summary>The signal that ended the process, if one did.</summary>
    public int? Signal { get; internal init; }

    /// <summary>Standard output (UTF-8).</summary>
    public string StdOut { get; internal init; } = "";

    /// <summary>Standard error (UTF-8).</summary>
    public string StdErr { get; internal init; } = "";

    /// <summary>Whether the agent cut standard output at its limit.</summary>
    public bool StdOutTruncated { get; internal init; }

    /// <summary>Whether the agent cut standard error at its limit.</summary>
    public bool StdErrTruncated { get; internal init; }

    /// <summary>Whether either stream was cut.</summary>
    public bool Truncated => StdOutTruncated || StdErrTruncated;

    /// <summary>Whether the process was still running when the timeout passed (it is left running).</summary>
    public bool TimedOut { get; internal init; }

    /// <summary>Whether the process ended with exit code 0.</summary>
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>Time from the start to the last status poll.</summary>
    public TimeSpan Duration { get; internal init; }

    /// <summary>The connection URI.</summary>
    public string Uri { get; internal init; } = "";
}
