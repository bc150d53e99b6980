namespace KvmPS.Engine.Configuration;

/// <summary>
/// Plans a configuration against what the hosts have, with read calls only: one item per
/// resource, in the order Invoke-KvmConfiguration applies them (networks and pools before volumes,
/// volumes before VMs; removals last, VMs first).
/// </summary>
public static class ConfigurationPlanner
{
    public static List<KvmConfigurationPlanItem> Plan(LabDocument doc, Func<string, HostState> readHost, string? pruneConfiguration = null)
    {
        var hosts = new Dictionary<string, HostState>(StringComparer.Ordinal);
        HostState Host(string uri) => hosts.TryGetValue(uri, out HostState? h) ? h : hosts[uri] = readHost(uri);

        var items = new List<KvmConfigurationPlanItem>();
        var removals = new List<KvmConfigurationPlanItem>();
        foreach (DesiredResource r in doc.Resources)
        {
            HostState host = Host(r.Uri);
            KvmConfigurationPlanItem item = r.Kind switch
            {
                KvmResourceKind.Network => PlanNetwork(r, host),
                KvmResourceKind.StoragePool => PlanPool(r, host),
                KvmResourceKind.Volume => PlanVolume(r, host),
                _ => PlanVm(r, host, doc),
            };
            (item.Action == KvmConfigurationAction.Remove ? removals : items).Add(item);
        }
        if (pruneConfiguration is not null)
        {
            foreach (HostState host in doc.Hosts.Select(Host))
            {
                foreach (var (name, vm) in host.VMs.OrderBy(v => v.Key, StringComparer.Ordinal))
                {
                    if (ConfigurationMark.Read(vm.Config) == pruneConfiguration &&
                        !doc.Resources.Any(r => r.Kind == KvmResourceKind.VM && r.Uri == host.Uri && r.Name == name))
                    {
                        var plan = new PlanBuilder(new DesiredResource { Kind = KvmResourceKind.VM, Name = name, Uri = host.Uri, Present = false }) { Running = vm.Running };
                        plan.Step("Remove-KvmVM", VmComparer.VmArgs(plan, ("Force", true)));
                        removals.Add(plan.Build(KvmConfigurationAction.Remove,
                            $"made by the configuration '{pruneConfiguration}', which no longer lists it{(vm.Running ? "; it is running and is turned off first (only with -AllowRestart)" : "")}"));
                    }
                }
            }
        }
        items.AddRange(removals.OrderByDescending(i => (int)i.Kind));
        return items;
    }

    private static KvmConfigurationPlanItem PlanNetwork(DesiredResource r, HostState host)
    {
        var plan = new PlanBuilder(r);
        if (!host.Networks.TryGetValue(r.Name, out KvmNetwork? net))
        {
            return Missing(plan, NetworkComparer.Create, $"a {r.Settings.Text("Mode") ?? "Nat"} network");
        }
        if (!r.Present)
        {
            plan.Step("Remove-KvmNetwork", NetworkComparer.Args(plan, ("Force", true)));
            return plan.Build(KvmConfigurationAction.Remove, "the configuration says Ensure = 'Absent'");
        }
        NetworkComparer.Compare(plan, net);
        return plan.Build();
    }

    private static KvmConfigurationPlanItem PlanPool(DesiredResource r, HostState host)
    {
        var plan = new PlanBuilder(r);
        if (!host.Pools.TryGetValue(r.Name, out KvmStoragePool? pool))
        {
            return Missing(plan, StorageComparer.CreatePool, $"a {r.Settings.Text("Type") ?? "Dir"} pool at {r.Settings.Text("Path") ?? "its default place"}");
        }
        if (!r.Present)
        {
            plan.Step("Remove-KvmStoragePool", NetworkComparer.Args(plan, ("Force", true)));
            return plan.Build(KvmConfigurationAction.Remove, "the configuration says Ensure = 'Absent' (its data is kept)");
        }
        StorageComparer.ComparePool(plan, pool);
        return plan.Build();
    }

    private static KvmConfigurationPlanItem PlanVolume(DesiredResource r, HostState host)
    {
        var plan = new PlanBuilder(r);
        KvmVolume? vol = r.Pool is string p && host.Volumes.TryGetValue(p, out var vols) && vols.TryGetValue(r.Name, out KvmVolume? v) ? v : null;
        if (vol is null)
        {
            return Missing(plan, StorageComparer.CreateVolume, $"a {r.Settings.Text("Format") ?? "qcow2"} volume of {r.Settings.Text("Size") ?? "?"} bytes");
        }
        if (!r.Present)
        {
            plan.Step("Remove-KvmVolume", StorageComparer.VolumeArgs(plan, ("Confirm", false)));
            return plan.Build(KvmConfigurationAction.Remove, "the configuration says Ensure = 'Absent'");
        }
        StorageComparer.CompareVolume(plan, vol);
        return plan.Build();
    }

    private static KvmConfigurationPlanItem PlanVm(DesiredResource r, HostState host, LabDocument doc)
    {
        host.VMs.TryGetValue(r.Name, out HostState.VmState? state);
        var plan = new PlanBuilder(r) { Running = state?.Running == true };
        if (state is null)
        {
            if (r.Present)
            {
                CheckReferences(r, host, doc);
            }
            return Missing(plan, VmComparer.Create, "a VM (New-KvmVM, then its tuning)");
        }
        if (!r.Present)
        {
            plan.Step("Remove-KvmVM", VmComparer.VmArgs(plan, ("Force", true)));
            return plan.Build(KvmConfigurationAction.Remove, "the configuration says Ensure = 'Absent' (its disks are kept)");
        }
        VmComparer.Compare(plan, state, host);
        return plan.Build();
    }

    private static KvmConfigurationPlanItem Missing(PlanBuilder plan, Action<PlanBuilder> create, string what)
    {
        if (!plan.Resource.Present)
        {
            return plan.Build(KvmConfigurationAction.NoChange, "absent, as the configuration asks");
        }
        create(plan);
        return plan.Build(KvmConfigurationAction.Create, what);
    }

    /// <summary>A new VM's networks and pool must exist on its host or be made by the same configuration.</summary>
    private static void CheckReferences(DesiredResource r, HostState host, LabDocument doc)
    {
        bool Made(KvmResourceKind kind, string name) => doc.Resources.Any(x => x.Kind == kind && x.Uri == r.Uri && x.Name == name && x.Present);
        foreach (string net in r.Settings.List("Network") ?? Array.Empty<string>())
        {
            if (!host.Networks.ContainsKey(net) && !Made(KvmResourceKind.Network, net))
            {
                throw new ConfigurationException("ConfigurationReferenceMissing",
                    $"{r.Settings.Where} uses the network '{net}', which {r.Uri} does not have and the configuration does not make.", r.Name);
            }
        }
        if (r.Settings.Text("Pool") is string pool && !host.Pools.ContainsKey(pool) && !Made(KvmResourceKind.StoragePool, pool))
        {
            throw new ConfigurationException("ConfigurationReferenceMissing",
                $"{r.Settings.Where} uses the pool '{pool}', which {r.Uri} does not have and the configuration does not make.", r.Name);
        }
    }
}
