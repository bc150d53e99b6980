using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.Domains;

namespace KvmPS.Commands;

/// <summary>Completes VM names.</summary>
public sealed class VMNameCompleter : HostObjectCompleter
{
    private protected override List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters) =>
        conn.ListAllDomains().Select(h => { using (h) { return LibvirtConnection.GetName(h); } }).ToList();
}
