using System.Collections;
using KvmPS.Engine;
using KvmPS.Engine.Host;
using KvmPS.Engine.HostChecks;

namespace KvmPS.Commands;

/// <summary>Completes host bridges: libvirt's interface API, and /sys/class/net for a local daemon.</summary>
public sealed class BridgeCompleter : HostObjectCompleter
{
    private protected override List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters) =>
        HostNames.Bridges(conn, HostFileSystem.FromEnvironment());
}
