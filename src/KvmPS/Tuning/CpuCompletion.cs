using System.Collections;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.Domains;

namespace KvmPS.Commands;

/// <summary>The architecture CPU names are completed for: the VM's on the command line, else null (the host's).</summary>
internal static class CpuCompletion
{
    public static string? Architecture(LibvirtConnection conn, IDictionary fakeBoundParameters, CommandAst commandAst)
    {
        string? name = CompletionContext.VM(fakeBoundParameters, commandAst).Name;
        if (name is null)
        {
            return null;
        }
        try
        {
            return DomainService.Get(conn, name).Architecture;
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
        {
            return null;
        }
    }
}
