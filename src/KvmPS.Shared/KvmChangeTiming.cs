namespace KvmPS;

/// <summary>When a change reaches a running VM.</summary>
public enum KvmChangeTiming
{
    /// <summary>At once: the resource is not running, or the change applies live (and to the persistent definition).</summary>
    Now,

    /// <summary>The persistent definition changes at once; a running VM sees it after its next boot (a restart, with -AllowRestart).</summary>
    NextBoot,
}
