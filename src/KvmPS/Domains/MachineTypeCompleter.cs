using System.Collections;
using KvmPS.Engine;
using KvmPS.Engine.Host;

namespace KvmPS.Commands;

/// <summary>Completes machine types (q35, pc-q35-7.2, ...) from the host's capabilities.</summary>
public sealed class MachineTypeCompleter : HostObjectCompleter
{
    private protected override List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters) =>
        HostNames.MachineTypes(conn);
}
