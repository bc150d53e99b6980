using System.Xml.Linq;

namespace KvmPS.Engine.Conversion;

/// <summary>
/// Converts a libvirt domain into a KubeVirt VirtualMachine (kubevirt.io/v1), with CDI DataVolumes
/// (cdi.kubevirt.io/v1beta1) for DiskSource DataVolume. Every element of the domain is mapped,
/// known to be implicit in KubeVirt (controllers, the QEMU binary, the VNC console, ...), or listed
/// in <see cref="KvmKubeVirtManifest.Unmapped"/>: nothing is dropped silently.
/// </summary>
public static class KubeVirtConverter
{
    // Top-level elements mapped by one of the mappers, or of no meaning in a cluster (libvirt's
    // reactions to guest events follow runStrategy there).
    private static readonly HashSet<string> s_topHandled = new(StringComparer.Ordinal)
    {
        "name", "uuid", "title", "description", "metadata", "memory", "currentMemory", "maxMemory", "vcpu", "cpu", "cputune",
        "numatune", "memoryBacking", "os", "features", "clock", "devices", "on_poweroff", "on_reboot", "on_crash", "seclabel", "resource",
    };

    // Devices KubeVirt provides by itself: what it makes needs no mapping.
    private static readonly HashSet<string> s_implicitDevices = new(StringComparer.Ordinal) { "emulator", "controller", "video", "disk", "interface", "hostdev" };

    /// <summary>Converts domain XML text.</summary>
    public static KvmKubeVirtManifest Convert(string domainXml, KubeVirtOptions options, string uri = "") =>
        Convert(SafeXml.Parse(domainXml), options, uri);

    /// <summary>Converts a parsed domain.</summary>
    public static KvmKubeVirtManifest Convert(XElement domain, KubeVirtOptions options, string uri = "")
    {
        var w = new KubeVirtWork(domain, options);
        if (w.Name != w.LibvirtName)
        {
            w.Note($"Name '{w.LibvirtName}' → '{w.Name}' (Kubernetes names are DNS-1123 labels).");
        }
        var boot = KubeVirtPlatformMapper.BootOrder(domain);
        KubeVirtCpuMapper.Map(w);
        KubeVirtPlatformMapper.MapOs(w);
        KubeVirtPlatformMapper.MapFeatures(w);
        KubeVirtPlatformMapper.MapClock(w);
        KubeVirtDiskMapper.Map(w, boot);
        KubeVirtDeviceMapper.MapInterfaces(w, boot);
        KubeVirtDeviceMapper.MapHostDevices(w);
        MapOtherDevices(w);
        MapTopLevel(w);
        if (options.CloudInitUserData is string ud && !w.Volumes.OfType<YamlMap>().Any(v => v["cloudInitNoCloud"] is not null))
        {
            string ci = w.UniqueName("cloudinitdisk");
            w.Disks.Add(new YamlMap { { "name", ci }, { "disk", new YamlMap { { "bus", "virtio" } } } });
            w.Volumes.Add(new YamlMap { { "name", ci }, { "cloudInitNoCloud", new YamlMap { { "userData", ud } } } });
        }
        return Build(w, uri);
    }

    private static void MapOtherDevices(KubeVirtWork w)
    {
        XElement? devs = w.Domain.Element("devices");
        YamlMap devices = w.DomainSpec.Map("devices");
        var inputs = new List<object?>();
        bool graphics = false;
        foreach (XElement e in devs?.Elements() ?? Enumerable.Empty<XElement>())
        {
            string n = e.Name.LocalName;
            string? type = (string?)e.Attribute("type");
            string? model = (string?)e.Attribute("model");
            switch (n)
            {
                case var _ when s_implicitDevices.Contains(n):
                    break;
                case "graphics" when type == "vnc":
                    graphics = true;
                    break;
                case "graphics":
                    graphics = true;
                    w.Lost($"Graphics {type}: KubeVirt's console is VNC (virtctl vnc).");
                    break;
                case "serial" or "console":
                    string? log = (string?)e.Element("log")?.Attribute("file") ?? (type == "file" ? (string?)e.Element("source")?.Attribute("path") : null);
                    if (log is not null)
                    {
                        w.Lost($"{n} log file {log} (host path): KubeVirt's serial console is virtctl console.");
                    }
                    else if (type is not ("pty" or null))
                    {
                        w.Lost($"{n} of type {type}: KubeVirt's serial console is virtctl console.");
                    }
                    break;
                case "channel":
                    string? target = (string?)e.Element("target")?.Attribute("name");
                    if (target != "org.qemu.guest_agent.0")
                    {
                        w.Lost($"Channel {target ?? type}: KubeVirt adds the guest agent channel only.");
                    }
                    break;
                case "input":
                    string bus = (string?)e.Attribute("bus") ?? "usb";
                    if (type == "tablet")
                    {
                        inputs.Add(new YamlMap { { "name", w.UniqueName($"tablet{inputs.Count}") }, { "type", "tablet" }, { "bus", bus is "usb" or "virtio" ? bus : "usb" } });
                    }
                    else if (bus != "ps2")
                    {
                        w.Lost($"Input {type} on {bus}: KubeVirt adds tablets only.");
                    }
                    break;
                case "memballoon":
                    if (model == "none")
                    {
                        devices.Add("autoattachMemBalloon", false);
                    }
                    break;
                case "rng":
                    devices.Add("rng", new YamlMap());
                    break;
                case "tpm":
                    devices.Add("tpm", new YamlMap());
                    break;
                case "vsock":
                    devices.Add("autoattachVSOCK", true);
                    break;
                case "watchdog" when model == "i6300esb":
                    string action = (string?)e.Attribute("action") ?? "reset";
                    if (action is "poweroff" or "reset" or "shutdown")
                    {
                        devices.Add("watchdog", new YamlMap { { "name", "watchdog0" }, { "i6300esb", new YamlMap { { "action", action } } } });
                    }
                    else
                    {
                        w.Lost($"Watchdog action {action}: KubeVirt offers poweroff, reset and shutdown.");
                    }
                    break;
                case "filesystem":
                    w.Lost($"Shared directory {(string?)e.Element("source")?.Attribute("dir")} → {(string?)e.Element("target")?.Attribute("dir")} (host path): share a PVC through KubeVirt's filesystems (virtiofs) instead.");
                    break;
                default:
                    w.Lost($"Device <{n}>{KubeVirtCpuMapper.Attrs(e)}: KubeVirt has no such device.");
                    break;
            }
        }
        if (!graphics)
        {
            devices.Add("autoattachGraphicsDevice", false);
        }
        if (inputs.Count > 0)
        {
            devices.Add("inputs", inputs);
        }
    }

    private static void MapTopLevel(KubeVirtWork w)
    {
        foreach (XElement e in w.Domain.Elements().Where(e => !s_topHandled.Contains(e.Name.LocalName)))
        {
            w.Lost($"<{e.Name.LocalName}> {Domains.DomainEditor.OneLine(e.ToString(SaveOptions.DisableFormatting))}: KubeVirt has no such setting.");
        }
        if (w.Domain.Element("metadata") is XElement md)
        {
            foreach (XElement e in md.Elements().Where(e => e.Name.Namespace != Domains.DomainXml.KvmPSNs))
            {
                w.Note($"Metadata of {e.Name.NamespaceName} is not carried over.");
            }
        }
        if (w.Domain.Element("iothreads") is XElement io && int.TryParse(io.Value, out int n) && n > 0)
        {
            w.DomainSpec.Add("ioThreadsPolicy", "shared");
            w.Note($"{n} iothread(s) → ioThreadsPolicy shared (one iothread for the disks that ask for one).");
        }
    }

    private static KvmKubeVirtManifest Build(KubeVirtWork w, string uri)
    {
        YamlMap devices = w.DomainSpec.Map("devices");
        if (w.Disks.Count > 0)
        {
            devices.Add("disks", w.Disks);
        }
        if (w.Interfaces.Count > 0)
        {
            devices.Add("interfaces", w.Interfaces);
        }
        else
        {
            devices.Add("autoattachPodInterface", false);
        }
        var requests = new YamlMap { { "memory", KubeVirtQuantity.FromBytes(w.MemoryBytes) } };
        var resources = new YamlMap { { "requests", requests } };
        if (w.Dedicated)
        {
            requests.Add("cpu", w.VCpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
            resources.Add("limits", new YamlMap { { "cpu", w.VCpus.ToString(System.Globalization.CultureInfo.InvariantCulture) }, { "memory", KubeVirtQuantity.FromBytes(w.MemoryBytes) } });
        }
        w.DomainSpec.Add("resources", resources);
        if (w.DomainSpec["firmware"] is YamlMap fw && !fw.Any())
        {
            w.DomainSpec.Add("firmware", null);
        }
        var spec = new YamlMap { { "domain", Ordered(w.DomainSpec) } };
        foreach (var (k, v) in w.TemplateSpec)
        {
            spec.Add(k, v);
        }
        if (w.Networks.Count > 0)
        {
            spec.Add("networks", w.Networks);
        }
        if (w.Volumes.Count > 0)
        {
            spec.Add("volumes", w.Volumes);
        }
        var meta = new YamlMap { { "name", w.Name } };
        meta.Add("namespace", w.Options.Namespace);
        var annotations = new YamlMap();
        annotations.Add("description", (string?)w.Domain.Element("description"));
        annotations.Add("kvmps.dev/libvirt-name", w.Name == w.LibvirtName ? null : w.LibvirtName);
        if (annotations.Any())
        {
            meta.Add("annotations", annotations);
        }
        var vm = new YamlMap
        {
            { "apiVersion", "kubevirt.io/v1" },
            { "kind", "VirtualMachine" },
            { "metadata", meta },
            { "spec", new YamlMap
                {
                    { "runStrategy", w.Options.Running ? "Always" : "Halted" },
                    { "template", new YamlMap
                        {
                            { "metadata", new YamlMap { { "labels", new YamlMap { { "kubevirt.io/domain", w.Name } } } } },
                            { "spec", spec },
                        }
                    },
                }
            },
        };
        string vmYaml = YamlText.Write(vm);
        string[] dvYaml = w.DataVolumes.Select(d => YamlText.Write(d)).ToArray();
        return new KvmKubeVirtManifest
        {
            VMName = w.LibvirtName,
            Name = w.Name,
            Namespace = w.Options.Namespace,
            DiskSource = w.Options.DiskSource,
            VirtualMachineYaml = vmYaml,
            DataVolumeYaml = dvYaml,
            Yaml = YamlText.WriteAll(new[] { vmYaml }.Concat(dvYaml)),
            UploadSteps = w.Steps.ToArray(),
            Unmapped = w.Unmapped.ToArray(),
            Notes = w.Notes.ToArray(),
            Uri = uri,
        };
    }

    // The domain's keys in the order KubeVirt's documentation writes them.
    private static YamlMap Ordered(YamlMap d)
    {
        var o = new YamlMap();
        foreach (string k in new[] { "cpu", "memory", "machine", "firmware", "features", "clock", "ioThreadsPolicy", "devices", "resources" })
        {
            o.Add(k, d[k] is YamlMap m && !m.Any() ? null : d[k]);
        }
        foreach (var (k, v) in d.Where(p => o[p.Key] is null && p.Value is not YamlMap { IsEmpty: true }))
        {
            o.Add(k, v);
        }
        return o;
    }
}
