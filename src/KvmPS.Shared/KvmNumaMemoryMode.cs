namespace KvmPS;

/// <summary>How guest memory is bound to host NUMA nodes (libvirt's numatune memory mode).</summary>
public enum KvmNumaMemoryMode
{
    /// <summary>Allocate only from the given nodes; fail otherwise.</summary>
    Strict,
    /// <summary>Prefer the given node (one node), fall back to others.</summary>
    Preferred,
    /// <summary>Interleave pages round-robin over the given nodes.</summary>
    Interleave,
    /// <summary>Restrict through cgroups only (libvirt's restrictive mode).</summary>
    Restrictive,
}
