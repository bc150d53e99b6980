namespace KvmPS.Engine.HostChecks;

/// <summary>
/// One readiness check: reads the host through the context's file system or asks libvirt, says
/// what it saw with the actual values, and, when something is wrong, gives the commands that fix
/// it on this distribution.
/// </summary>
public interface IHostCheck
{
    /// <summary>One of <see cref="HostCheckNames"/>.</summary>
    string Name { get; }

    HostCheckFinding Run(HostCheckContext ctx);
}
