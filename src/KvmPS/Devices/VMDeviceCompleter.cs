using System.Collections;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.Domains;

namespace KvmPS.Commands;

/// <summary>Base of the completers of a VM's own devices: the VM named on the command line or piped in, read once.</summary>
public abstract class VMDeviceCompleter : HostObjectCompleter
{
    private protected override List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters, CommandAst commandAst)
    {
        string? name = CompletionContext.VM(fakeBoundParameters, commandAst).Name;
        if (name is null)
        {
            return new List<string>();
        }
        try
        {
            return Devices(DomainService.Get(conn, name)).ToList();
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
        {
            return new List<string>();
        }
    }

    private protected abstract IEnumerable<string> Devices(KvmVM vm);
}
