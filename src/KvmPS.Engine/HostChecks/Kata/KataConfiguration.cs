namespace KvmPS.Engine.HostChecks.Kata;

/// <summary>What Kata's configuration.toml says about its hypervisor, as read by <see cref="Read"/>.</summary>
public sealed class KataConfiguration
{
    /// <summary>Where the runtime looks for its configuration, first match wins (kata-runtime's own order, then kata-deploy's).</summary>
    public static readonly string[] SearchPaths =
    {
        "/etc/kata-containers/configuration.toml",
        "/usr/share/defaults/kata-containers/configuration.toml",
        "/opt/kata/share/defaults/kata-containers/configuration.toml",
    };

    public string Path { get; init; } = "";
    /// <summary>The hypervisor table used: qemu, clh, firecracker, dragonball...</summary>
    public string Hypervisor { get; init; } = "";
    public string? HypervisorPath { get; init; }
    public string? Kernel { get; init; }
    public string? Image { get; init; }
    public string? Initrd { get; init; }
    public string? MachineType { get; init; }
    public string[] EnableAnnotations { get; init; } = Array.Empty<string>();
    public long? DefaultVCpus { get; init; }
    public long? DefaultMemoryMiB { get; init; }

    /// <summary>Reads a configuration.toml's text; the first [hypervisor.*] table is Kata's hypervisor.</summary>
    public static KataConfiguration Read(string path, string text)
    {
        var v = TomlReader.Read(text);
        string? hv = v.Keys.Where(k => k.StartsWith("hypervisor.", StringComparison.Ordinal)).Select(k => k.Split('.')[1]).FirstOrDefault();
        if (hv is null)
        {
            throw new FormatException("it has no [hypervisor.*] table.");
        }
        string p = $"hypervisor.{hv}.";
        string? S(string k) => v.TryGetValue(p + k, out object? o) ? o as string : null;
        long? L(string k) => v.TryGetValue(p + k, out object? o) && o is long l ? l : null;
        return new KataConfiguration
        {
            Path = path,
            Hypervisor = hv,
            HypervisorPath = S("path"),
            Kernel = S("kernel"),
            Image = S("image"),
            Initrd = S("initrd"),
            MachineType = S("machine_type"),
            EnableAnnotations = v.TryGetValue(p + "enable_annotations", out object? a) && a is object[] arr ? arr.OfType<string>().ToArray() : Array.Empty<string>(),
            DefaultVCpus = L("default_vcpus"),
            DefaultMemoryMiB = L("default_memory"),
        };
    }
}
