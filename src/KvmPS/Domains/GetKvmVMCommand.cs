using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;

namespace KvmPS.Commands;

/// <summary>Lists virtual machines.</summary>
[Cmdlet(VerbsCommon.Get, "KvmVM", DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmVM))]
public sealed class GetKvmVMCommand : KvmFanOutCmdlet
{
    /// <summary>Names of the VMs: wildcards are case-insensitive, a literal name matches exactly. All VMs when omitted.</summary>
    [Parameter(Position = 0, ParameterSetName = "Name", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("VMName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(VMNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>VM objects to read again as they are now, each by its UUID (never by a name look-alike).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "VM", ValueFromPipeline = true)]
    [KvmKind(typeof(KvmVM))]
    public KvmVM[] VM { get; set; } = Array.Empty<KvmVM>();

    /// <summary>Only VMs in these states.</summary>
    [Parameter]
    [VMStateArgument]
    public KvmVMState[]? State { get; set; }

    protected override void ProcessRecordCore()
    {
        if (ParameterSetName == "VM")
        {
            VM.ToList().ForEach(ReadAgain);
            return;
        }
        string[] names = Name is { Length: > 0 } ? Name : new[] { "*" };
        var matches = names.Select(NameMatch.For).ToList();

        // One bulk read per host for every request on this record (the hosts in parallel when
        // there are several); literal names are checked afterwards so that a missing one is
        // reported, as Get-Service does.
        var found = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<string> answered = ForEachHost(
            conn => DomainService.ListAll(conn, name => matches.Any(m => m.Matches(name))).OrderBy(v => v.Name, StringComparer.Ordinal).ToList(),
            vm =>
            {
                found.Add(vm.Name);
                if (State is not { Length: > 0 } || State.Contains(vm.State))
                {
                    WriteObject(vm);
                }
            });
        foreach (string n in matches.Where(m => !m.IsWildcard).Select(m => m.Typed).Where(n => !found.Contains(n)))
        {
            if (IsFanOut)
            {
                if (answered.Count > 0)
                {
                    WriteError(ErrorHelper.Create(new ItemNotFoundException($"No VM named '{n}' was found on {string.Join(", ", answered)}."), "VMNotFound", ErrorCategory.ObjectNotFound, n));
                }
                continue;
            }
            var conn = GetConnection();
            string hint = NameMatch.CaseHint(DomainService.ListAll(conn, name => string.Equals(name, n, StringComparison.OrdinalIgnoreCase)).Select(v => v.Name), n);
            WriteError(ErrorHelper.Create(new ItemNotFoundException($"No VM named '{n}' was found on {conn.Uri}.{hint}"), "VMNotFound", ErrorCategory.ObjectNotFound, n));
        }
    }

    /// <summary>A VM object as it is now, found by UUID on the host it came from.</summary>
    private void ReadAgain(KvmVM vm)
    {
        var conn = GetConnection(vm.Uri);
        try
        {
            using var h = conn.LookupDomain(vm.Uuid);
            KvmVM now = DomainService.Get(conn, h);
            if (State is not { Length: > 0 } || State.Contains(now.State))
            {
                WriteObject(now);
            }
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
        {
            WriteError(ErrorHelper.Create(e, "VMNotFound", ErrorCategory.ObjectNotFound, vm.Name,
                $"No VM named '{vm.Name}' with UUID {vm.Uuid} was found on {conn.Uri}."));
        }
    }
}
