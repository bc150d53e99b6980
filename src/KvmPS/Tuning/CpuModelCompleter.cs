using System.Collections;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.Host;

namespace KvmPS.Commands;

/// <summary>Completes CPU model names the host knows, for the architecture of the VM on the command line (else the host's).</summary>
public sealed class CpuModelCompleter : HostObjectCompleter
{
    private protected override List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters, CommandAst commandAst) =>
        HostNames.CpuModels(conn, CpuCompletion.Architecture(conn, fakeBoundParameters, commandAst));
}
