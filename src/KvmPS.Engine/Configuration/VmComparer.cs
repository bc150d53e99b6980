using System.Collections;
using System.Globalization;

namespace KvmPS.Engine.Configuration;

/// <summary>A VM in a configuration against the VM on the host (its persistent definition).</summary>
public static class VmComparer
{
    /// <summary>Keys compared after creation; every other New-KvmVM key matters only when the VM is made.</summary>
    private static readonly string[] Compared =
        { "Memory", "VCpuCount", "Autostart", "Description", "Network", "Bridge", "MacAddress", "DiskSize", "OSVariant", "Firmware", "MachineType", "Start" };

    public static void Compare(PlanBuilder plan, HostState.VmState state, HostState host)
    {
        DesiredSettings s = plan.Resource.Settings;
        KvmVM vm = state.VM;
        const string Fixed = "it is fixed when the VM is made; Remove-KvmVM (disks kept) and a new VM on the same disk change it";
        if (s.Text("OSVariant") is string os && !string.Equals(os, vm.OSVariant, StringComparison.OrdinalIgnoreCase) && !string.Equals(os, vm.OSVariantUri, StringComparison.OrdinalIgnoreCase))
        {
            plan.Replace("OSVariant", vm.OSVariant ?? "", os, Fixed);
        }
        if (s.Text("Firmware") is string fw && !string.Equals(fw, vm.Firmware, StringComparison.OrdinalIgnoreCase))
        {
            plan.Replace("Firmware", vm.Firmware, fw, Fixed);
        }
        if (s.Text("MachineType") is string mt && !SameMachine(mt, vm.MachineType))
        {
            plan.Replace("MachineType", vm.MachineType ?? "", mt, Fixed);
        }

        CompareSettings(plan, vm);
        CompareAdapters(plan, vm);
        CompareDisk(plan, vm, host);
        TuningComparer.Compare(plan, state);
        if (state.Running && state.LiveVM is not null && state.Live is not null)
        {
            // What the persistent definition has and the running VM lacks (a change written for
            // the next boot, by an earlier run or by hand) is pending until a restart.
            var shadow = new PlanBuilder(plan.Resource) { Running = true };
            CompareSettings(shadow, state.LiveVM);
            TuningComparer.Compare(shadow, state with { VM = state.LiveVM, Config = state.Live });
            foreach (KvmPropertyChange c in shadow.Changes.Where(c => !plan.Changes.Any(p => p.Property == c.Property) && c.Property != "Autostart" && c.Property != "Description"))
            {
                plan.Pending(c);
            }
        }
        if (s.Switch("Start") && !state.Running)
        {
            plan.Change("State", vm.State.ToString(), "Running", KvmChangeTiming.Now, "Start-KvmVM");
            plan.Step("Start-KvmVM", VmArgs(plan));
        }
        foreach (string key in s.Values.Keys.Where(k => !Compared.Contains(k, StringComparer.OrdinalIgnoreCase) && !KeyCatalog.TuningKeys.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            plan.NotCompared(key);
        }
    }

    /// <summary>Memory, vCPUs, autostart and description, through one Set-KvmVM call.</summary>
    private static void CompareSettings(PlanBuilder plan, KvmVM vm)
    {
        DesiredSettings s = plan.Resource.Settings;
        var set = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        KvmChangeTiming setTiming = KvmChangeTiming.Now;
        if (s.Size("Memory") is ulong mem && mem != vm.MemoryBytes)
        {
            plan.Change("Memory", vm.MemoryBytes.ToString(CultureInfo.InvariantCulture), mem.ToString(CultureInfo.InvariantCulture), plan.Boot, "Set-KvmVM");
            set["Memory"] = mem;
            setTiming = plan.Boot;
        }
        if (s.Int("VCpuCount") is int vcpus && vcpus != vm.VCpuCount)
        {
            KvmChangeTiming t = plan.Running && vcpus > vm.MaxVCpuCount ? KvmChangeTiming.NextBoot : KvmChangeTiming.Now;
            plan.Change("VCpuCount", vm.VCpuCount.ToString(CultureInfo.InvariantCulture), vcpus.ToString(CultureInfo.InvariantCulture), t, "Set-KvmVM");
            set["VCpuCount"] = vcpus;
            setTiming = t == KvmChangeTiming.NextBoot ? t : setTiming;
        }
        if (s.Bool("Autostart") is bool auto && auto != vm.Autostart)
        {
            plan.Change("Autostart", vm.Autostart.ToString(), auto.ToString(), KvmChangeTiming.Now, "Set-KvmVM");
            set["Autostart"] = auto;
        }
        if (s.Has("Description") && (s.Text("Description") ?? "") != (vm.Description ?? ""))
        {
            plan.Change("Description", vm.Description ?? "", s.Text("Description") ?? "", KvmChangeTiming.Now, "Set-KvmVM");
            set["Description"] = s.Text("Description") ?? "";
        }
        if (set.Count > 0)
        {
            plan.Step("Set-KvmVM", VmArgs(plan, set.Select(kv => (kv.Key, kv.Value)).ToArray()), setTiming);
        }
    }

    /// <summary>The steps that make the VM: New-KvmVM (not started), its tuning, then Start-KvmVM when asked.</summary>
    public static void Create(PlanBuilder plan)
    {
        var args = VmArgs(plan);
        foreach (var (k, v) in plan.Resource.Settings.Values)
        {
            if (!KeyCatalog.TuningKeys.Contains(k, StringComparer.OrdinalIgnoreCase) && !string.Equals(k, "Start", StringComparison.OrdinalIgnoreCase))
            {
                args[k] = v;
            }
        }
        plan.Step("New-KvmVM", args);
        TuningComparer.CreateSteps(plan);
        if (plan.Resource.Settings.Switch("Start"))
        {
            plan.Step("Start-KvmVM", VmArgs(plan));
        }
    }

    /// <summary>NICs in order: the configuration's networks (then its bridge) against the VM's adapters; a MAC is kept unless the configuration gives another.</summary>
    private static void CompareAdapters(PlanBuilder plan, KvmVM vm)
    {
        DesiredSettings s = plan.Resource.Settings;
        var wanted = (s.List("Network") ?? Array.Empty<string>()).Select(n => (Type: "network", Source: n)).ToList();
        if (s.Text("Bridge") is string bridge)
        {
            wanted.Add(("bridge", bridge));
        }
        string[] macs = (s.List("MacAddress") ?? Array.Empty<string>()).Select(m => MacAddressText.Normalize(m) ?? m).ToArray();
        KvmNetworkAdapter[] have = vm.NetworkAdapters;
        for (int i = 0; i < wanted.Count; i++)
        {
            var (type, source) = wanted[i];
            string? mac = i < macs.Length ? macs[i] : null;
            string sourceKey = type == "bridge" ? "Bridge" : "Network";
            if (i >= have.Length)
            {
                plan.Change($"NetworkAdapter[{i}]", "", $"{type} {source}", KvmChangeTiming.Now, "Add-KvmNetworkAdapter");
                plan.Step("Add-KvmNetworkAdapter", DeviceArgs(plan, (sourceKey, source), ("MacAddress", mac)));
                continue;
            }
            KvmNetworkAdapter a = have[i];
            string haveMac = MacAddressText.Normalize(a.MacAddress) ?? a.MacAddress ?? "";
            if (mac is not null && !string.Equals(mac, haveMac, StringComparison.OrdinalIgnoreCase))
            {
                plan.Change($"NetworkAdapter[{i}].MacAddress", haveMac, mac, KvmChangeTiming.Now, "Remove-KvmNetworkAdapter, Add-KvmNetworkAdapter");
                plan.Step("Remove-KvmNetworkAdapter", DeviceArgs(plan, ("MacAddress", haveMac)));
                plan.Step("Add-KvmNetworkAdapter", DeviceArgs(plan, (sourceKey, source), ("MacAddress", mac)));
                continue;
            }
            if (!string.Equals(a.Type, type, StringComparison.OrdinalIgnoreCase) || !string.Equals(a.Source, source, StringComparison.Ordinal))
            {
                plan.Change($"NetworkAdapter[{i}].{sourceKey}", $"{a.Type} {a.Source}", $"{type} {source}", KvmChangeTiming.Now, "Set-KvmNetworkAdapter");
                plan.Step("Set-KvmNetworkAdapter", DeviceArgs(plan, ("MacAddress", haveMac), (sourceKey, source)));
            }
        }
    }

    private static void CompareDisk(PlanBuilder plan, KvmVM vm, HostState host)
    {
        if (plan.Resource.Settings.Size("DiskSize") is not ulong size || plan.Resource.Settings.Switch("Import"))
        {
            return;
        }
        KvmDisk? disk = vm.Disks.FirstOrDefault(d => d.Device == "disk" && d.Path is not null);
        if (disk?.Path is null || !host.VolumesByPath.TryGetValue(disk.Path, out KvmVolume? vol))
        {
            plan.NotCompared("DiskSize");
            return;
        }
        if (size > vol.CapacityBytes)
        {
            plan.Change($"DiskSize[{disk.Target}]", vol.CapacityBytes.ToString(CultureInfo.InvariantCulture), size.ToString(CultureInfo.InvariantCulture), plan.Boot, "Resize-KvmVolume");
            plan.Step("Resize-KvmVolume", new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
            {
                ["Pool"] = vol.Pool, ["Name"] = vol.Name, ["Uri"] = plan.Resource.Uri, ["Size"] = size, ["Force"] = true,
            }, plan.Boot);
        }
        else if (size < vol.CapacityBytes)
        {
            plan.Replace("DiskSize", vol.CapacityBytes.ToString(CultureInfo.InvariantCulture), size.ToString(CultureInfo.InvariantCulture),
                "a disk is never shrunk by a configuration run (the guest's data beyond the new end would be lost)");
        }
    }

    internal static Dictionary<string, object?> VmArgs(PlanBuilder plan, params (string Key, object? Value)[] more)
    {
        var args = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["Name"] = plan.Resource.Name, ["Uri"] = plan.Resource.Uri };
        foreach (var (k, v) in more)
        {
            args[k] = v;
        }
        return args;
    }

    private static Dictionary<string, object?> DeviceArgs(PlanBuilder plan, params (string Key, object? Value)[] more)
    {
        var args = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["VMName"] = plan.Resource.Name, ["Uri"] = plan.Resource.Uri };
        foreach (var (k, v) in more.Where(m => m.Value is not null))
        {
            args[k] = v;
        }
        return args;
    }

    /// <summary>A machine type matches its alias: q35 is pc-q35-7.2, pc is pc-i440fx-7.2.</summary>
    internal static bool SameMachine(string want, string? have)
    {
        if (have is null || string.Equals(want, have, StringComparison.OrdinalIgnoreCase))
        {
            return have is not null;
        }
        string w = want.ToLowerInvariant(), h = have.ToLowerInvariant();
        return (w == "q35" && h.StartsWith("pc-q35-", StringComparison.Ordinal)) ||
               (w == "pc" && h.StartsWith("pc-i440fx-", StringComparison.Ordinal));
    }

    internal static string Text(object? v) => v switch
    {
        null => "",
        IDictionary d => KvmConfigurationText.Value(d),
        string s => s,
        IEnumerable e => string.Join(",", e.Cast<object?>().Select(Text)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        object o => o.ToString() ?? "",
    };
}
