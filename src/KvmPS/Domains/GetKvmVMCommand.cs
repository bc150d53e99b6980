using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;

namespace KvmPS.Commands;

/// <summary>Lists virtual machines.</summary>
[Cmdlet(VerbsCommon.Get, "KvmVM")]
[OutputType(typeof(KvmVM))]
public sealed class GetKvmVMCommand : KvmCmdlet
{
    /// <summary>Names of the VMs: wildcards are case-insensitive, a literal name matches exactly. All VMs when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("VMName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(VMNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only VMs in these states.</summary>
    [Parameter]
    public KvmVMState[]? State { get; set; }

    protected override void ProcessRecordCore()
    {
        var conn = GetConnection();
        string[] names = Name is { Length: > 0 } ? Name : new[] { "*" };
        var matches = names.Select(NameMatch.For).ToList();

        // One bulk read for every request on this record; literal names are checked afterwards
        // so that a missing one is reported, as Get-Service does.
        List<KvmVM> vms = DomainService.ListAll(conn, name => matches.Any(m => m.Matches(name)));
        foreach (KvmVM vm in vms.OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            if (State is { Length: > 0 } && !State.Contains(vm.State))
            {
                continue;
            }
            WriteObject(vm);
        }
        foreach (string n in matches.Where(m => !m.IsWildcard).Select(m => m.Typed))
        {
            if (!vms.Any(v => string.Equals(v.Name, n, StringComparison.Ordinal)))
            {
                string hint = NameMatch.CaseHint(DomainService.ListAll(conn, name => string.Equals(name, n, StringComparison.OrdinalIgnoreCase)).Select(v => v.Name), n);
                WriteError(ErrorHelper.Create(new ItemNotFoundException($"No VM named '{n}' was found on {conn.Uri}.{hint}"), "VMNotFound", ErrorCategory.ObjectNotFound, n));
            }
        }
    }
}
