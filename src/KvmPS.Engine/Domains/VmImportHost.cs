namespace KvmPS.Engine.Domains;

/// <summary>What an import plan needs to know of the host: whether it is this machine, the VMs it has, the volumes of the target pool.</summary>
public sealed record VmImportHost(bool IsLocal, ISet<string> VmNames, ISet<Guid> VmUuids, ISet<string> PoolVolumes);
