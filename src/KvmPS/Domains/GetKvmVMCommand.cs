using System.Management.Automation;
using KvmPS.Engine.Domains;

namespace KvmPS.Commands;

/// <summary>Lists virtual machines.</summary>
[Cmdlet(VerbsCommon.Get, "KvmVM")]
[OutputType(typeof(KvmVM))]
public sealed class GetKvmVMCommand : KvmCmdlet
{
    /// <summary>Names of the VMs; wildcards allowed. All VMs when omitted.</summary>
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
        var patterns = names.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();

        // One bulk read for every request on this record; literal names are checked afterwards
        // so that a missing one is reported, as Get-Service does.
        List<KvmVM> vms = DomainService.ListAll(conn, name => patterns.Any(p => p.IsMatch(name)));
        foreach (KvmVM vm in vms.OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            if (State is { Length: > 0 } && !State.Contains(vm.State))
            {
                continue;
            }
            WriteObject(vm);
        }
        foreach (string n in names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
        {
            if (!vms.Any(v => string.Equals(v.Name, n, StringComparison.OrdinalIgnoreCase)))
            {
                WriteError(ErrorHelper.Create(new ItemNotFoundException($"No VM named '{n}' was found on {conn.Uri}."), "VMNotFound", ErrorCategory.ObjectNotFound, n));
            }
        }
    }
}
