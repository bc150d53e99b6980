using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using KvmPS.Engine;
using KvmPS.Engine.Configuration;

namespace KvmPS.Commands;

/// <summary>
/// Carries out a plan item by item through the module's own cmdlets (so every check, undo and
/// message is theirs), on the pipeline thread, and reports what happened to each.
/// </summary>
internal sealed class ConfigurationApplier
{
    private readonly CmdletRunner runner;
    private readonly HashSet<string> failed = new(StringComparer.Ordinal);

    public ConfigurationApplier(PSCmdlet cmdlet)
    {
        runner = new CmdletRunner(cmdlet);
    }

    public bool AllowRestart { get; init; }
    public bool AllowReplace { get; init; }
    public bool DeleteStorage { get; init; }
    public string ConfigurationName { get; init; } = "";

    /// <summary>Writes the configuration's mark on a VM it made (for -Prune later).</summary>
    public Action<string, string> Mark { get; init; } = (_, _) => { };

    public KvmConfigurationResult Apply(KvmConfigurationPlanItem item)
    {
        var commands = new List<string>();
        if (item.Action == KvmConfigurationAction.NoChange)
        {
            return Result(item, KvmConfigurationStatus.Unchanged, commands);
        }
        if (ConfigurationDependencies.Blocker(item, failed) is string blocker)
        {
            return Result(item, KvmConfigurationStatus.Skipped, commands, blocker);
        }
        try
        {
            switch (item.Action)
            {
                case KvmConfigurationAction.Create:
                    return Create(item, commands);
                case KvmConfigurationAction.Update:
                    return Update(item, commands);
                case KvmConfigurationAction.Remove:
                    return Remove(item, commands);
                default:
                    return Replace(item, commands);
            }
        }
        catch (ConfigurationStepException e)
        {
            failed.Add(ConfigurationDependencies.Key(item.Kind, item.Uri, item.Name));
            return Result(item, KvmConfigurationStatus.Failed, commands, e.Message);
        }
    }

    private KvmConfigurationResult Create(KvmConfigurationPlanItem item, List<string> commands)
    {
        KvmConfigurationStep first = item.Steps[0];
        runner.Run(first, commands);
        if (item.Kind == KvmResourceKind.VM)
        {
            try
            {
                Mark(item.Uri, item.Name);
                foreach (KvmConfigurationStep step in item.Steps.Skip(1))
                {
                    runner.Run(step, commands);
                }
            }
            catch (Exception e) when (e is ConfigurationStepException or LibvirtException)
            {
                // No half-made VM: what New-KvmVM made (and owns) goes again.
                var undo = new KvmConfigurationStep
                {
                    Command = "Remove-KvmVM",
                    Parameters = new Dictionary<string, object?> { ["Name"] = item.Name, ["Uri"] = item.Uri, ["Force"] = true, ["DeleteStorage"] = true },
                };
                try
                {
                    runner.Run(undo, commands);
                }
                catch (ConfigurationStepException undoFailed)
                {
                    throw new ConfigurationStepException($"{e.Message} Removing the half-made VM failed too: {undoFailed.Message}");
                }
                throw new ConfigurationStepException($"{e.Message} The VM was removed again (nothing of it is left).");
            }
        }
        else
        {
            foreach (KvmConfigurationStep step in item.Steps.Skip(1))
            {
                runner.Run(step, commands);
            }
        }
        return Result(item, KvmConfigurationStatus.Done, commands);
    }

    private KvmConfigurationResult Update(KvmConfigurationPlanItem item, List<string> commands)
    {
        bool restart = item.Kind == KvmResourceKind.VM && item.NeedsRestart && AllowRestart && IsRunning(item);
        KvmConfigurationStep? start = item.Steps.FirstOrDefault(s => s.Command == "Start-KvmVM");
        if (restart)
        {
            runner.Run(VmStep("Stop-KvmVM", item), commands);
        }
        foreach (KvmConfigurationStep step in item.Steps.Where(s => s != start))
        {
            runner.Run(step, commands);
        }
        if (restart || start is not null)
        {
            runner.Run(start ?? VmStep("Start-KvmVM", item), commands);
        }
        bool pending = item.NeedsRestart && !restart && item.Kind == KvmResourceKind.VM && IsRunning(item);
        return Result(item, pending ? KvmConfigurationStatus.PendingRestart : KvmConfigurationStatus.Done, commands,
            pending ? "Written to the persistent definition; the running VM sees it after its next boot (Invoke-KvmConfiguration -AllowRestart restarts it gracefully)." : "");
    }

    private KvmConfigurationResult Remove(KvmConfigurationPlanItem item, List<string> commands)
    {
        if (item.Kind == KvmResourceKind.VM && IsRunning(item) && !AllowRestart)
        {
            return Result(item, KvmConfigurationStatus.Skipped, commands, "The VM is running: removing it turns it off, which needs -AllowRestart.");
        }
        foreach (KvmConfigurationStep step in item.Steps)
        {
            var p = new Dictionary<string, object?>(step.Parameters, StringComparer.OrdinalIgnoreCase);
            if (item.Kind == KvmResourceKind.VM && DeleteStorage)
            {
                p["DeleteStorage"] = true;
            }
            runner.Run(new KvmConfigurationStep { Command = step.Command, Parameters = p }, commands);
        }
        return Result(item, KvmConfigurationStatus.Done, commands);
    }

    private KvmConfigurationResult Replace(KvmConfigurationPlanItem item, List<string> commands)
    {
        if (!AllowReplace || item.Kind is KvmResourceKind.VM or KvmResourceKind.Volume)
        {
            string how = item.Kind is KvmResourceKind.VM or KvmResourceKind.Volume
                ? "A VM or volume is never replaced by a configuration run (its data would go); change it by hand."
                : "Run again with -AllowReplace to remove and make it again.";
            return Result(item, KvmConfigurationStatus.Skipped, commands, $"{item.Reason} {how}");
        }
        string noun = item.Kind == KvmResourceKind.Network ? "KvmNetwork" : "KvmStoragePool";
        var id = new Dictionary<string, object?> { ["Name"] = item.Name, ["Uri"] = item.Uri, ["Force"] = true };
        runner.Run(new KvmConfigurationStep { Command = $"Remove-{noun}", Parameters = id }, commands);
        var create = new Dictionary<string, object?>(item.Settings, StringComparer.OrdinalIgnoreCase) { ["Name"] = item.Name, ["Uri"] = item.Uri };
        runner.Run(new KvmConfigurationStep { Command = $"New-{noun}", Parameters = create }, commands);
        return Result(item, KvmConfigurationStatus.Done, commands);
    }

    private bool IsRunning(KvmConfigurationPlanItem item)
    {
        var vm = runner.Invoke("Get-KvmVM", new Dictionary<string, object?> { ["Name"] = item.Name, ["Uri"] = item.Uri }, out _).OfType<PSObject>()
            .Select(o => o.BaseObject).OfType<KvmVM>().FirstOrDefault();
        return vm is { State: KvmVMState.Running or KvmVMState.Paused or KvmVMState.Blocked or KvmVMState.PMSuspended or KvmVMState.Shutdown };
    }

    private static KvmConfigurationStep VmStep(string command, KvmConfigurationPlanItem item) =>
        new() { Command = command, Parameters = new Dictionary<string, object?> { ["Name"] = item.Name, ["Uri"] = item.Uri } };


    private static KvmConfigurationResult Result(KvmConfigurationPlanItem item, KvmConfigurationStatus status, List<string> commands, string message = "") => new()
    {
        Kind = item.Kind,
        Name = item.Name,
        Uri = item.Uri,
        Action = item.Action,
        Status = status,
        Changes = item.Changes,
        Commands = commands.ToArray(),
        Message = message,
    };
}
