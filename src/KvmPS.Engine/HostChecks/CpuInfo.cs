namespace KvmPS.Engine.HostChecks;

/// <summary>What /proc/cpuinfo says about the CPUs.</summary>
public sealed class CpuInfo
{
    public int Processors { get; init; }
    public string Vendor { get; init; } = "";
    public string Model { get; init; } = "";

    /// <summary>True when the CPUs list x86 flags (other architectures list "Features").</summary>
    public bool IsX86 { get; init; }

    /// <summary>For each flag, on how many processors it appears.</summary>
    public IReadOnlyDictionary<string, int> FlagCounts { get; init; } = new Dictionary<string, int>();

    public int Count(string flag) => FlagCounts.TryGetValue(flag, out int n) ? n : 0;

    public bool IsIntel => Vendor == "GenuineIntel";
    public bool IsAmd => Vendor is "AuthenticAMD" or "HygonGenuine";

    /// <summary>Running as a virtual machine (the CPU sets the hypervisor flag).</summary>
    public bool UnderHypervisor => Count("hypervisor") > 0;

    public static CpuInfo Parse(string? text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int processors = 0;
        string vendor = "", model = "";
        bool x86 = false;
        foreach (string line in (text ?? "").Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }
            string key = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "processor":
                    processors++;
                    break;
                case "vendor_id":
                    vendor = vendor.Length == 0 ? value : vendor;
                    break;
                case "model name":
                    model = model.Length == 0 ? value : model;
                    break;
                case "flags":
                    x86 = true;
                    foreach (string f in value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct())
                    {
                        counts[f] = counts.GetValueOrDefault(f) + 1;
                    }
                    break;
            }
        }
        return new CpuInfo { Processors = processors, Vendor = vendor, Model = model, IsX86 = x86, FlagCounts = counts };
    }
}
