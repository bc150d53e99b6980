namespace KvmPS.Engine.HostChecks;

/// <summary>The steps that fix one check, and a note for what must be done by hand.</summary>
public sealed record RepairPlan(IReadOnlyList<RepairStep> Steps, string? Note)
{
    public static RepairPlan Nothing => new(Array.Empty<RepairStep>(), null);
    public static RepairPlan Manual(string note) => new(Array.Empty<RepairStep>(), note);
}
