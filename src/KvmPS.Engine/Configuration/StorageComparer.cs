namespace KvmPS.Engine.Configuration;

/// <summary>Pools and volumes in a configuration against the host's.</summary>
public static class StorageComparer
{
    private static readonly string[] PoolCompared = { "Type", "Path", "SourceHost", "SourcePath", "SourceDevice", "SourceName", "SourceFormat", "Autostart", "Start" };
    private static readonly string[] VolumeCompared = { "Pool", "Size", "Format", "BackingPath", "BackingFormat" };

    public static void ComparePool(PlanBuilder plan, KvmStoragePool current)
    {
        DesiredSettings s = plan.Resource.Settings;
        const string Why = "a pool's type and location change only by defining it again (Remove-KvmStoragePool keeps its data unless -DeleteData, then New-KvmStoragePool)";
        if (s.Text("Type") is string type && !string.Equals(type, current.Type.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            plan.Replace("Type", current.Type.ToString(), type, Why);
        }
        if (s.Text("Path") is string path && !SamePath(path, current.Path))
        {
            plan.Replace("Path", current.Path ?? "", path, Why);
        }
        if (s.List("SourceHost") is string[] hosts && !hosts.SequenceEqual(current.SourceHost, StringComparer.OrdinalIgnoreCase))
        {
            plan.Replace("SourceHost", string.Join(",", current.SourceHost), string.Join(",", hosts), Why);
        }
        if (s.Text("SourcePath") is string sp && !SamePath(sp, current.SourcePath))
        {
            plan.Replace("SourcePath", current.SourcePath ?? "", sp, Why);
        }
        if (s.Text("SourceName") is string sn && !string.Equals(sn, current.SourceName, StringComparison.Ordinal))
        {
            plan.Replace("SourceName", current.SourceName ?? "", sn, Why);
        }
        if (s.Bool("Autostart") is bool auto && auto != current.Autostart)
        {
            plan.Change("Autostart", current.Autostart.ToString(), auto.ToString(), KvmChangeTiming.Now, "Set-KvmStoragePool");
            plan.Step("Set-KvmStoragePool", NetworkComparer.Args(plan, ("Autostart", auto)));
        }
        if (s.Switch("Start") && !current.IsActive)
        {
            plan.Change("IsActive", "False", "True", KvmChangeTiming.Now, "Start-KvmStoragePool");
            plan.Step("Start-KvmStoragePool", NetworkComparer.Args(plan));
        }
        foreach (string key in s.Values.Keys.Where(k => !PoolCompared.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            plan.NotCompared(key);
        }
    }

    public static void CreatePool(PlanBuilder plan) =>
        plan.Step("New-KvmStoragePool", NetworkComparer.Args(plan, plan.Resource.Settings.Values.Select(kv => (kv.Key, kv.Value)).ToArray()));

    public static void CompareVolume(PlanBuilder plan, KvmVolume current)
    {
        DesiredSettings s = plan.Resource.Settings;
        if (s.Size("Size") is ulong size && size != current.CapacityBytes)
        {
            if (size > current.CapacityBytes)
            {
                plan.Change("Size", current.CapacityBytes.ToString(), size.ToString(), KvmChangeTiming.Now, "Resize-KvmVolume");
                plan.Step("Resize-KvmVolume", VolumeArgs(plan, ("Size", size)));
            }
            else
            {
                plan.Replace("Size", current.CapacityBytes.ToString(), size.ToString(), "a volume is never shrunk by a configuration run: what lies beyond the new end would be lost (Resize-KvmVolume -AllowShrink does it by hand)");
            }
        }
        if (s.Text("Format") is string format && current.Format is not null && !string.Equals(format, current.Format, StringComparison.OrdinalIgnoreCase))
        {
            plan.Replace("Format", current.Format, format, "a volume's format changes only by converting it into a new volume");
        }
        if (s.Text("BackingPath") is string backing && !SamePath(backing, current.BackingPath))
        {
            plan.Replace("BackingPath", current.BackingPath ?? "", backing, "an overlay's backing image is fixed when it is made");
        }
        foreach (string key in s.Values.Keys.Where(k => !VolumeCompared.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            plan.NotCompared(key);
        }
    }

    public static void CreateVolume(PlanBuilder plan)
    {
        var args = VolumeArgs(plan);
        foreach (var (k, v) in plan.Resource.Settings.Values)
        {
            args[k] = v;
        }
        plan.Step("New-KvmVolume", args);
    }

    internal static Dictionary<string, object?> VolumeArgs(PlanBuilder plan, params (string Key, object? Value)[] more)
    {
        var args = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Pool"] = plan.Resource.Pool,
            ["Name"] = plan.Resource.Name,
            ["Uri"] = plan.Resource.Uri,
        };
        foreach (var (k, v) in more)
        {
            args[k] = v;
        }
        return args;
    }

    internal static bool SamePath(string want, string? have) =>
        string.Equals(want.TrimEnd('/'), (have ?? "").TrimEnd('/'), StringComparison.Ordinal);
}
