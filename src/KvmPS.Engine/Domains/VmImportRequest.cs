namespace KvmPS.Engine.Domains;

/// <summary>
/// Import-KvmVM of an export directory: copy its images into a pool (-Copy) or use them where they
/// are (local host only), a new UUID and MACs (-GenerateNewId), another name, the pool.
/// </summary>
public sealed record VmImportRequest(string Directory, bool Copy, bool GenerateNewId, string? NewName, string? Pool);
