using System.Xml.Linq;

namespace KvmPS.Engine.Conversion;

/// <summary>Machine type, firmware, boot, features and clock of a domain, in KubeVirt's terms.</summary>
internal static class KubeVirtPlatformMapper
{
    private static readonly Dictionary<string, string> s_hyperv = new(StringComparer.Ordinal)
    {
        ["relaxed"] = "relaxed", ["vapic"] = "vapic", ["vpindex"] = "vpindex", ["runtime"] = "runtime", ["synic"] = "synic",
        ["stimer"] = "synictimer", ["reset"] = "reset", ["frequencies"] = "frequencies", ["reenlightenment"] = "reenlightenment",
        ["tlbflush"] = "tlbflush", ["ipi"] = "ipi", ["evmcs"] = "evmcs",
    };

    /// <summary>The boot order of os/boot (hd, cdrom, network → 1, 2, 3), for the devices without a boot element.</summary>
    public static Dictionary<string, int> BootOrder(XElement domain)
    {
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        var boots = domain.Element("os")?.Elements("boot").Select(b => (string?)b.Attribute("dev")).OfType<string>().ToList() ?? new List<string>();
        // One boot device is what libvirt does anyway; an order is only worth writing with several.
        if (boots.Count > 1)
        {
            for (int i = 0; i < boots.Count; i++)
            {
                order.TryAdd(boots[i], i + 1);
            }
        }
        return order;
    }

    public static void MapOs(KubeVirtWork w)
    {
        XElement? os = w.Domain.Element("os");
        if (os is null)
        {
            return;
        }
        XElement? type = os.Element("type");
        string? machine = (string?)type?.Attribute("machine");
        if (machine is not null)
        {
            if (machine == "q35" || machine.StartsWith("pc-q35", StringComparison.Ordinal))
            {
                w.DomainSpec.Map("machine").Add("type", "q35");
                if (machine != "q35")
                {
                    w.Note($"Machine {machine} → q35 (the newest q35 of the cluster's QEMU).");
                }
            }
            else if (machine == "pc" || machine.StartsWith("pc-i440fx", StringComparison.Ordinal))
            {
                w.Lost($"Machine {machine} (i440fx): KubeVirt runs q35 machines; the guest gets q35.");
            }
            else
            {
                w.DomainSpec.Map("machine").Add("type", machine);
            }
        }
        switch ((string?)type?.Attribute("arch"))
        {
            case null or "x86_64":
                break;
            case "aarch64":
                w.TemplateSpec.Add("architecture", "arm64");
                break;
            case "s390x":
                w.TemplateSpec.Add("architecture", "s390x");
                break;
            case string arch:
                w.Lost($"Guest architecture {arch}: KubeVirt runs amd64, arm64 and s390x guests.");
                break;
        }
        XElement? loader = os.Element("loader");
        bool efi = (string?)os.Attribute("firmware") == "efi" || (string?)loader?.Attribute("type") == "pflash";
        YamlMap firmware = w.DomainSpec.Map("firmware");
        if (efi)
        {
            bool secure = (string?)loader?.Attribute("secure") == "yes"
                || os.Element("firmware")?.Elements("feature").Any(f => (string?)f.Attribute("name") == "secure-boot" && (string?)f.Attribute("enabled") == "yes") == true;
            firmware.Map("bootloader").Add("efi", new YamlMap { { "secureBoot", secure } });
            if (secure)
            {
                w.DomainSpec.Map("features").Add("smm", new YamlMap());
            }
            if (loader?.Value is { Length: > 0 } code)
            {
                w.Note($"UEFI firmware {code} → the cluster's OVMF build.");
            }
            if (os.Element("nvram")?.Value is { Length: > 0 } nvram)
            {
                w.Lost($"UEFI variables in {nvram} (host path): the guest starts with fresh variables.");
            }
        }
        if (Guid.TryParse((string?)w.Domain.Element("uuid"), out Guid uuid))
        {
            firmware.Add("uuid", uuid.ToString());
        }
        foreach (string part in new[] { "kernel", "initrd", "dtb" })
        {
            if (os.Element(part)?.Value is { Length: > 0 } p)
            {
                w.Lost($"Direct boot {part} {p} (host path): KubeVirt's kernelBoot takes the kernel from a container image.");
            }
        }
        if (os.Element("cmdline")?.Value is { Length: > 0 } cmd)
        {
            w.Lost($"Kernel command line \"{cmd}\" (goes with the direct boot kernel).");
        }
        foreach (XElement e in os.Elements().Where(e => e.Name.LocalName is not ("type" or "loader" or "nvram" or "boot" or "kernel" or "initrd" or "cmdline" or "dtb" or "firmware")))
        {
            w.Lost($"<os><{e.Name.LocalName}>{KubeVirtCpuMapper.Attrs(e)}.");
        }
    }

    public static void MapFeatures(KubeVirtWork w)
    {
        XElement? features = w.Domain.Element("features");
        if (features is null)
        {
            return;
        }
        YamlMap f = w.DomainSpec.Map("features");
        foreach (XElement e in features.Elements())
        {
            string n = e.Name.LocalName;
            bool off = (string?)e.Attribute("state") == "off";
            switch (n)
            {
                case "acpi" or "apic" or "smm":
                    f.Add(n, off ? new YamlMap { { "enabled", false } } : new YamlMap());
                    break;
                case "pae" or "vmport" or "vmcoreinfo":
                    break; // what KubeVirt's launcher sets by itself
                case "hyperv":
                    YamlMap hv = f.Map("hyperv");
                    foreach (XElement h in e.Elements())
                    {
                        if (h.Name.LocalName == "spinlocks" && int.TryParse((string?)h.Attribute("retries"), out int retries))
                        {
                            hv.Add("spinlocks", new YamlMap { { "enabled", (string?)h.Attribute("state") != "off" }, { "spinlocks", retries } });
                        }
                        else if (h.Name.LocalName == "vendor_id" && (string?)h.Attribute("value") is string vid)
                        {
                            hv.Add("vendorid", new YamlMap { { "enabled", (string?)h.Attribute("state") != "off" }, { "vendorid", vid } });
                        }
                        else if (s_hyperv.TryGetValue(h.Name.LocalName, out string? kv))
                        {
                            hv.Add(kv, new YamlMap { { "enabled", (string?)h.Attribute("state") != "off" } });
                        }
                        else
                        {
                            w.Lost($"Hyper-V enlightenment {h.Name.LocalName}{KubeVirtCpuMapper.Attrs(h)}.");
                        }
                    }
                    break;
                case "kvm" when e.Element("hidden") is XElement hidden:
                    f.Add("kvm", new YamlMap { { "hidden", (string?)hidden.Attribute("state") == "on" } });
                    break;
                default:
                    w.Lost($"Feature <{n}>{KubeVirtCpuMapper.Attrs(e)}.");
                    break;
            }
        }
    }

    public static void MapClock(KubeVirtWork w)
    {
        XElement? clock = w.Domain.Element("clock");
        if (clock is null)
        {
            return;
        }
        string offset = (string?)clock.Attribute("offset") ?? "utc";
        var map = new YamlMap();
        if (offset == "utc")
        {
            map.Add("utc", new YamlMap());
        }
        else if (offset == "timezone" && (string?)clock.Attribute("timezone") is string tz)
        {
            map.Add("timezone", tz);
        }
        else
        {
            w.Lost($"Clock offset '{offset}': KubeVirt's clock is UTC or a named timezone.");
        }
        var timer = new YamlMap();
        foreach (XElement t in clock.Elements("timer"))
        {
            string? n = (string?)t.Attribute("name");
            string? key = n switch { "rtc" => "rtc", "pit" => "pit", "hpet" => "hpet", "kvmclock" => "kvm", "hypervclock" => "hyperv", _ => null };
            if (key is null)
            {
                w.Lost($"Clock timer {n}{KubeVirtCpuMapper.Attrs(t)}.");
                continue;
            }
            var tm = new YamlMap();
            if ((string?)t.Attribute("present") is string present)
            {
                tm.Add("present", present == "yes");
            }
            if ((string?)t.Attribute("tickpolicy") is string tick && key is "rtc" or "pit" or "hpet")
            {
                tm.Add("tickPolicy", tick);
            }
            timer.Add(key, tm);
        }
        if (timer.Any())
        {
            map.Add("timer", timer);
        }
        if (map.Any())
        {
            w.DomainSpec.Add("clock", map);
        }
    }
}
