namespace KvmPS.Engine.Domains;

/// <summary>A message the provisioner reports while it works.</summary>
public sealed record VmProgress(VmProgressKind Kind, string Message);
