using System.Collections;
using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Networks;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Completes network names from the host the command line names (or the session default).</summary>
public sealed class NetworkNameCompleter : HostObjectCompleter
{
    private protected override List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters) =>
        NetworkService.Names(conn).ToList();
}
