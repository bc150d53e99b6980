namespace KvmPS.Engine.HostChecks;

/// <summary>Type, permission bits, owner and device number of a path.</summary>
public readonly record struct HostNode(HostNodeKind Kind, uint Mode, uint Uid, uint Gid, uint Major, uint Minor)
{
    public static readonly HostNode Missing = new(HostNodeKind.Missing, 0, 0, 0, 0, 0);

    public bool Exists => Kind != HostNodeKind.Missing;

    /// <summary>Permission bits in octal, e.g. <c>0660</c>.</summary>
    public string OctalMode => "0" + Convert.ToString(Mode & 0x1FF, 8).PadLeft(3, '0');
}
