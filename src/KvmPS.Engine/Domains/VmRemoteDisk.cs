namespace KvmPS.Engine.Domains;

/// <summary>What a remote host's storage API says of an existing disk of a new VM: whether a pool holds it, its format and that pool.</summary>
public sealed record VmRemoteDisk(bool Exists, string? Format, string? Pool);
