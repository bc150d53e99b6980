namespace KvmPS.Engine.Domains;

/// <summary>
/// One file of a remote -Location upload: its role (kernel, initrd, iso), where it is read on this
/// machine (a path, or a path inside the ISO), the volume it goes to and that volume's path on the host.
/// </summary>
public sealed record VmLocationUploadFile(string Role, string Source, string Volume, string HostPath);
