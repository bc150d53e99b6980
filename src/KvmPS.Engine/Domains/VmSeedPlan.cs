namespace KvmPS.Engine.Domains;

/// <summary>The cloud-init NoCloud seed ISO of a new VM: a volume in the disk's pool, or a file beside the disk file.</summary>
public sealed record VmSeedPlan(string Name, string UserData, string MetaData, string? Pool)
{
    /// <summary>The network-config file of the seed, or null for none.</summary>
    public string? NetworkConfig { get; init; }
}
