using System.Management.Automation;

namespace KvmPS.Commands;

/// <summary>Shows what Invoke-KvmConfiguration would do to each resource of a configuration, changing nothing.</summary>
[Cmdlet(VerbsCommon.Get, "KvmConfigurationPlan", DefaultParameterSetName = "Path")]
[OutputType(typeof(KvmConfigurationPlanItem))]
public sealed class GetKvmConfigurationPlanCommand : KvmConfigurationCmdlet
{
    protected override void ProcessRecordCore()
    {
        if (ReadDocument() is not { } doc || PlanOf(doc) is not { } plan)
        {
            return;
        }
        foreach (KvmConfigurationPlanItem item in plan)
        {
            WriteObject(item);
        }
    }
}
