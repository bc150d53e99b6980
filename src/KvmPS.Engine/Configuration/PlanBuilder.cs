namespace KvmPS.Engine.Configuration;

/// <summary>Collects what one resource needs: changes, the steps that make them, and reasons to replace.</summary>
public sealed class PlanBuilder
{
    private readonly List<KvmPropertyChange> changes = new();
    private readonly List<KvmPropertyChange> replaced = new();
    private readonly List<string> reasons = new();
    private readonly List<KvmConfigurationStep> steps = new();
    private readonly List<string> notCompared = new();

    public PlanBuilder(DesiredResource resource)
    {
        Resource = resource;
    }

    public DesiredResource Resource { get; }

    /// <summary>True when the resource is running, so changes that need a boot are NextBoot.</summary>
    public bool Running { get; init; }

    public bool HasChanges => changes.Count > 0;

    /// <summary>Records a difference that changes in place.</summary>
    public void Change(string property, string current, string desired, KvmChangeTiming timing, string command)
    {
        changes.Add(new KvmPropertyChange { Property = property, Current = current, Desired = desired, Timing = timing, Command = command });
    }

    /// <summary>Records a difference that cannot change in place.</summary>
    public void Replace(string property, string current, string desired, string why)
    {
        replaced.Add(new KvmPropertyChange { Property = property, Current = current, Desired = desired, Command = "" });
        reasons.Add($"{property} is {Show(current)} and the configuration asks for {Show(desired)}: {why}");
    }

    /// <summary>Records a setting the persistent definition already has and the running VM does not: only a restart brings it.</summary>
    public void Pending(KvmPropertyChange change) =>
        changes.Add(new KvmPropertyChange
        {
            Property = change.Property, Current = change.Current, Desired = change.Desired, Timing = KvmChangeTiming.NextBoot,
            Command = "Restart (the persistent definition has it already)",
        });

    /// <summary>The changes so far (for a shadow comparison of a running VM's live definition).</summary>
    public IReadOnlyList<KvmPropertyChange> Changes => changes;

    public void Step(string command, IReadOnlyDictionary<string, object?> parameters, KvmChangeTiming timing = KvmChangeTiming.Now) =>
        steps.Add(new KvmConfigurationStep { Command = command, Parameters = parameters, Timing = timing });

    public void NotCompared(string key) => notCompared.Add(key);

    /// <summary>The timing of a change that a running VM sees only after a boot.</summary>
    public KvmChangeTiming Boot => Running ? KvmChangeTiming.NextBoot : KvmChangeTiming.Now;

    public KvmConfigurationPlanItem Build(KvmConfigurationAction? action = null, string reason = "")
    {
        KvmConfigurationAction a = action ?? (replaced.Count > 0 ? KvmConfigurationAction.Replace : changes.Count > 0 ? KvmConfigurationAction.Update : KvmConfigurationAction.NoChange);
        return new KvmConfigurationPlanItem
        {
            Kind = Resource.Kind,
            Name = Resource.DisplayName,
            Uri = Resource.Uri,
            Action = a,
            Changes = a == KvmConfigurationAction.Replace ? replaced.Concat(changes).ToArray() : changes.ToArray(),
            Reason = a == KvmConfigurationAction.Replace ? string.Join(" ", reasons) : reason,
            NeedsRestart = changes.Any(c => c.Timing == KvmChangeTiming.NextBoot) || steps.Any(s => s.Timing == KvmChangeTiming.NextBoot),
            NotCompared = notCompared.Distinct().ToArray(),
            Settings = Resource.Settings.Values,
            Steps = a is KvmConfigurationAction.NoChange or KvmConfigurationAction.Replace ? Array.Empty<KvmConfigurationStep>() : steps.ToArray(),
        };
    }

    private static string Show(string v) => v.Length == 0 ? "unset" : $"'{v}'";
}
