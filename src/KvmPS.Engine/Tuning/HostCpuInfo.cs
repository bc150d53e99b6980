using KvmPS.Engine.Host;

namespace KvmPS.Engine.Tuning;

/// <summary>One logical host CPU as the planner sees it.</summary>
public sealed record HostCpuInfo(int Id, int Cell, int Socket, int Die, int Core, int[] Siblings)
{
    /// <summary>Identifies the physical core (SMT siblings share it).</summary>
    public (int Socket, int Die, int Core) CoreKey => (Socket, Die, Core);
}
