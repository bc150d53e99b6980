using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.HostChecks;

namespace KvmPS.Commands;

/// <summary>
/// Applies the safe remedies for the checks of Test-KvmHost: loads modules, enables nested
/// virtualization, reserves huge pages, adds the user to groups, starts the daemon, and installs
/// packages only with -AllowPackageInstall. Every change asks ShouldProcess and is reported as a
/// KvmHostRepair object with the state before and after.
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "KvmHost", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(KvmHostRepair))]
public sealed class RepairKvmHostCommand : KvmCmdlet
{
    private const string NameSet = "Name";
    private const string CheckSet = "InputObject";
    private const string ReportSet = "Report";

    // One command line or file write runs once per invocation, even when several checks need it
    // (KvmModules and KvmDevice both load kvm_intel).
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);

    /// <summary>Names of the checks to make and repair (all when omitted).</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet)]
    [ValidateHostCheckName]
    [ArgumentCompleter(typeof(HostCheckNameCompleter))]
    public string[]? Check { get; set; }

    /// <summary>Checks from Test-KvmHost (its Checks property).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = CheckSet)]
    public KvmHostCheck[] InputObject { get; set; } = Array.Empty<KvmHostCheck>();

    /// <summary>A report from Test-KvmHost: all its checks.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ReportSet)]
    public KvmHostReport? Report { get; set; }

    /// <summary>How many free huge pages the host should have; the pool grows by the shortfall and never shrinks.</summary>
    [Parameter]
    public ulong HugePageCount { get; set; }

    /// <summary>Huge page size in bytes (2MB, 1GB); the kernel's default size when omitted.</summary>
    [Parameter]
    public ulong HugePageSize { get; set; }

    /// <summary>Allow installing missing packages (libvirt's daemon, QEMU, kmod) with the distribution's package manager.</summary>
    [Parameter]
    public SwitchParameter AllowPackageInstall { get; set; }

    protected override void ProcessRecordCore()
    {
        var options = new RepairOptions
        {
            HugePageCount = MyInvocation.BoundParameters.ContainsKey(nameof(HugePageCount)) ? HugePageCount : null,
            HugePageSizeBytes = MyInvocation.BoundParameters.ContainsKey(nameof(HugePageSize)) ? HugePageSize : null,
            AllowPackageInstall = AllowPackageInstall,
        };
        IEnumerable<KvmHostCheck> checks = ParameterSetName switch
        {
            ReportSet => Report!.Checks,
            CheckSet => InputObject,
            _ => HostChecker.Run(HostCheckSupport.NewContext(this, EffectiveUri, GetConnection, CancelToken), Check).Checks,
        };
        foreach (KvmHostCheck check in checks)
        {
            Repair(check, options);
        }
    }

    private void Repair(KvmHostCheck check, RepairOptions options)
    {
        if (!HostRepairPlanner.Wants(check, options))
        {
            WriteVerbose($"{check.Name}: {check.Status}, nothing to repair.");
            return;
        }
        string uri = check.Uri.Length > 0 ? check.Uri : EffectiveUri;
        if (HostCheckContext.IsRemoteUri(uri))
        {
            WriteError(ErrorHelper.Create(new InvalidOperationException(), "RemoteRepairNotSupported", ErrorCategory.InvalidOperation, check.Name,
                $"{check.Name}: {uri} is a remote host; Repair-KvmHost changes the local host only. Run it on that host."));
            return;
        }
        HostCheckContext ctx = HostCheckSupport.NewContext(this, uri, GetConnection, CancelToken);
        RepairPlan plan;
        try
        {
            plan = HostRepairPlanner.Plan(check.Name, ctx, options);
        }
        catch (ArgumentException e)
        {
            WriteError(ErrorHelper.InvalidArgument(e.Message, "InvalidRepairArgument", check.Name));
            return;
        }
        if (plan.Steps.Count == 0 && plan.Note is null)
        {
            WriteVerbose($"{check.Name}: the host is already as the remedy would leave it.");
        }
        foreach (RepairStep step in plan.Steps)
        {
            string key = step.CommandText;
            if (_done.Contains(key))
            {
                WriteVerbose($"{check.Name}: '{key}' was already done for an earlier check.");
                continue;
            }
            if (!ShouldProcess(step.Target, $"{step.Action}: {key}"))
            {
                _done.Add(key);
                continue;
            }
            _done.Add(key);
            try
            {
                WriteObject(HostRepairRunner.Apply(step, ctx, CancelToken));
            }
            catch (HostRepairException e)
            {
                WriteError(ErrorHelper.Create(e, "RepairFailed", ErrorCategory.InvalidOperation, check.Name, $"{check.Name}: {e.Message}"));
                // The later steps of this remedy build on this one.
                break;
            }
        }
        // Several checks can end in the same note (KvmDevice and UserGroups: log in again): say it once.
        if (plan.Note is not null && _done.Add("note: " + plan.Note))
        {
            bool manual = plan.Steps.Count == 0 && check.Remedy.Length > 0;
            WriteWarning($"{check.Name}: {plan.Note}" + (manual ? $" Remedy:\n{check.Remedy}" : ""));
        }
    }
}
