namespace KvmPS;

/// <summary>A logical CPU of a host with its place in the topology.</summary>
public sealed class KvmHostCpu
{
    /// <summary>Logical CPU number.</summary>
    public int Id { get; init; }

    /// <summary>NUMA cell the CPU belongs to.</summary>
    public int CellId { get; init; }

    /// <summary>Socket number.</summary>
    public int SocketId { get; init; }

    /// <summary>Die number within the socket.</summary>
    public int DieId { get; init; }

    /// <summary>Core number within the socket.</summary>
    public int CoreId { get; init; }

    /// <summary>All logical CPUs sharing this core (itself included), as a cpuset string.</summary>
    public string Siblings { get; init; } = "";
}
