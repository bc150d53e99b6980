namespace KvmPS.Engine.Tuning;

/// <summary>What kind of refusal a tuning request met.</summary>
public enum TuningErrorKind
{
    /// <summary>The request itself is wrong (out of range, malformed, inconsistent).</summary>
    InvalidArgument,
    /// <summary>The request is sound but the VM cannot take it (no IOThreads, transient VM, ...).</summary>
    InvalidOperation,
    /// <summary>The host lacks what the request needs (free CPUs, a known CPU vendor, ...).</summary>
    ResourceUnavailable,
}
