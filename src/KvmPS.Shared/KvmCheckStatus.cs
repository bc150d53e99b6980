namespace KvmPS;

/// <summary>Outcome of one host readiness check.</summary>
public enum KvmCheckStatus
{
    /// <summary>The host meets the requirement.</summary>
    Pass,

    /// <summary>The host works, but not as well as it could (an optional feature is missing).</summary>
    Warn,

    /// <summary>A requirement for running KVM guests is not met.</summary>
    Fail,

    /// <summary>The check could not be made (remote host, missing prerequisite); Message says why.</summary>
    Skip,
}
