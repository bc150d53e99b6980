using System.Management.Automation;
using KvmPS.Engine.Configuration;

namespace KvmPS.Commands;

/// <summary>
/// Makes the hosts match a configuration: plans first (read calls only), then carries the plan
/// out item by item in dependency order, each change confirmed through ShouldProcess, and reports
/// what happened to every resource.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KvmConfiguration", DefaultParameterSetName = "Path", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KvmConfigurationResult))]
public sealed class InvokeKvmConfigurationCommand : KvmConfigurationCmdlet
{
    /// <summary>Shut a running VM down gracefully (Stop-KvmVM) before a change that needs a boot, and start it again; also lets -Prune turn a running VM off. Without it such changes wait in the persistent definition for the next boot.</summary>
    [Parameter]
    public SwitchParameter AllowRestart { get; set; }

    /// <summary>Let a network or pool whose fixed settings changed be removed and made again (a pool's data is kept). VMs and volumes are never replaced.</summary>
    [Parameter]
    public SwitchParameter AllowReplace { get; set; }

    /// <summary>With -Prune: also delete the disks the removed VMs own (Remove-KvmVM -DeleteStorage).</summary>
    [Parameter]
    public SwitchParameter DeleteStorage { get; set; }

    protected override void ProcessRecordCore()
    {
        if (ReadDocument() is not { } doc || PlanOf(doc) is not { } plan)
        {
            return;
        }
        string configuration = EffectiveConfigurationName;
        var applier = new ConfigurationApplier(this)
        {
            AllowRestart = AllowRestart,
            AllowReplace = AllowReplace,
            DeleteStorage = DeleteStorage,
            ConfigurationName = configuration,
            Mark = (uri, name) => ConfigurationMark.Write(GetConnection(uri), name, configuration),
        };
        foreach (KvmConfigurationPlanItem item in plan)
        {
            if (item.Action != KvmConfigurationAction.NoChange && item.Action != KvmConfigurationAction.Replace &&
                !ShouldProcess($"{item.Kind} '{item.Name}' on {item.Uri}", Describe(item)))
            {
                WriteObject(new KvmConfigurationResult
                {
                    Kind = item.Kind, Name = item.Name, Uri = item.Uri, Action = item.Action,
                    Status = KvmConfigurationStatus.NotRun, Changes = item.Changes,
                    Commands = item.Steps.Select(s => s.ToString()).ToArray(),
                });
                continue;
            }
            KvmConfigurationResult result = applier.Apply(item);
            if (result.Status == KvmConfigurationStatus.Failed)
            {
                WriteError(ErrorHelper.Create(new InvalidOperationException(result.Message), "ConfigurationStepFailed",
                    ErrorCategory.InvalidOperation, item.Name, $"{item.Action} {item.Kind} '{item.Name}' failed: {result.Message}"));
            }
            else if (result.Status is KvmConfigurationStatus.Skipped or KvmConfigurationStatus.PendingRestart)
            {
                WriteWarning($"{item.Kind} '{item.Name}': {result.Message}");
            }
            WriteObject(result);
        }
    }

    private static string Describe(KvmConfigurationPlanItem item)
    {
        string what = item.Changes.Length > 0 ? $" ({string.Join("; ", item.Changes.Select(c => c.ToString()))})" : "";
        return $"{item.Action}{what}: {string.Join("; ", item.Steps.Select(s => s.ToString()))}";
    }
}
