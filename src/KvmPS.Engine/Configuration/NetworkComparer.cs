using KvmPS.Engine.Networks;

namespace KvmPS.Engine.Configuration;

/// <summary>A network in a configuration against the network on the host.</summary>
public static class NetworkComparer
{
    private static readonly string[] Compared = { "Mode", "Subnet", "DhcpStart", "DhcpEnd", "NoDhcp", "BridgeName", "HostBridge", "DnsDomain", "Autostart", "Start" };

    public static void Compare(PlanBuilder plan, KvmNetwork current)
    {
        DesiredSettings s = plan.Resource.Settings;
        const string Why = "a network's addresses and forwarding change only by making it again (Remove-KvmNetwork, then New-KvmNetwork; its VMs lose their link meanwhile)";
        if (s.Text("Mode") is string mode && !string.Equals(mode, current.Mode.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            plan.Replace("Mode", current.Mode.ToString(), mode, Why);
        }
        if (s.List("Subnet") is string[] subnets)
        {
            string want = string.Join(" ", subnets.Select(Normalize));
            string have = string.Join(" ", new[] { current.Subnet, current.Subnet6 }.Where(x => !string.IsNullOrEmpty(x)).Select(x => Normalize(x!)));
            if (want != have)
            {
                plan.Replace("Subnet", have, want, Why);
            }
        }
        CompareText(plan, "DhcpStart", s.List("DhcpStart")?.FirstOrDefault(), current.DhcpStart, Why);
        CompareText(plan, "DhcpEnd", s.List("DhcpEnd")?.FirstOrDefault(), current.DhcpEnd, Why);
        if (s.Switch("NoDhcp") && !string.IsNullOrEmpty(current.DhcpStart))
        {
            plan.Replace("NoDhcp", "False", "True", Why);
        }
        CompareText(plan, "BridgeName", s.Text("BridgeName"), current.BridgeName, Why);
        CompareText(plan, "HostBridge", s.Text("HostBridge"), current.HostBridge, Why);
        CompareText(plan, "DnsDomain", s.Text("DnsDomain"), current.DnsDomain, Why);
        if (s.Bool("Autostart") is bool auto && auto != current.Autostart)
        {
            plan.Change("Autostart", current.Autostart.ToString(), auto.ToString(), KvmChangeTiming.Now, "Set-KvmNetwork");
            plan.Step("Set-KvmNetwork", Args(plan, ("Autostart", auto)));
        }
        if (s.Switch("Start") && !current.IsActive)
        {
            plan.Change("IsActive", "False", "True", KvmChangeTiming.Now, "Start-KvmNetwork");
            plan.Step("Start-KvmNetwork", Args(plan));
        }
        foreach (string key in s.Values.Keys.Where(k => !Compared.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            plan.NotCompared(key);
        }
    }

    /// <summary>The steps that make the network: New-KvmNetwork with the configuration's parameters.</summary>
    public static void Create(PlanBuilder plan) =>
        plan.Step("New-KvmNetwork", Args(plan, plan.Resource.Settings.Values.Select(kv => (kv.Key, kv.Value)).ToArray()));

    internal static Dictionary<string, object?> Args(PlanBuilder plan, params (string Key, object? Value)[] more)
    {
        var args = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["Name"] = plan.Resource.Name, ["Uri"] = plan.Resource.Uri };
        foreach (var (k, v) in more)
        {
            args[k] = v;
        }
        return args;
    }

    private static void CompareText(PlanBuilder plan, string key, string? want, string? have, string why)
    {
        if (want is not null && !string.Equals(want.Trim(), have ?? "", StringComparison.OrdinalIgnoreCase))
        {
            plan.Replace(key, have ?? "", want, why);
        }
    }

    /// <summary>A subnet in its canonical form (network address, prefix), or the text when it does not parse.</summary>
    private static string Normalize(string cidr) => IpSubnet.TryParse(cidr.Trim(), out IpSubnet? net, out _) ? net.ToString() ?? cidr.Trim() : cidr.Trim();
}
