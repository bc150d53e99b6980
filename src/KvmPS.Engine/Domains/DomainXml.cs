using System.Globalization;
using System.Xml.Linq;
using KvmPS.Engine.Host;

namespace KvmPS.Engine.Domains;

/// <summary>Reads KvmVM facts out of a domain XML document (pure: no libvirt call).</summary>
public static class DomainXml
{
    /// <summary>Namespace of the metadata KvmPS keeps in a domain (owned volumes).</summary>
    public static readonly XNamespace KvmPSNs = "https://kvmps.dev/xmlns/domain/1";

    /// <summary>libosinfo's metadata namespace, as virt-install writes it.</summary>
    public static readonly XNamespace LibosinfoNs = "http://libosinfo.org/xmlns/libvirt/domain/1.0";

    public static KvmVM Read(string xml, KvmVMState state, int reason, bool autostart, bool persistent, string uri)
    {
        XElement d = SafeXml.Parse(xml);
        string name = (string?)d.Element("name") ?? "";
        XElement? os = d.Element("os");
        XElement? osType = os?.Element("type");
        string? osId = (string?)d.Element("metadata")?.Element(LibosinfoNs + "libosinfo")?.Element(LibosinfoNs + "os")?.Attribute("id");
        XElement? vcpu = d.Element("vcpu");
        int maxVcpu = ParseInt(vcpu?.Value) ?? 1;
        int curVcpu = ParseInt((string?)vcpu?.Attribute("current")) ?? maxVcpu;
        var owned = OwnedPaths(d);
        bool uefi = (string?)os?.Attribute("firmware") == "efi"
            || ((string?)os?.Element("loader")?.Attribute("type") == "pflash");

        return new KvmVM
        {
            Name = name,
            Uuid = Guid.TryParse((string?)d.Element("uuid"), out Guid g) ? g : Guid.Empty,
            Id = ParseInt((string?)d.Attribute("id")) is int id && id >= 0 ? id : null,
            State = state,
            StateReason = reason,
            DomainType = (string?)d.Attribute("type") ?? "",
            VCpuCount = curVcpu,
            MaxVCpuCount = maxVcpu,
            MemoryBytes = Bytes(d.Element("memory")),
            CurrentMemoryBytes = d.Element("currentMemory") is XElement cm ? Bytes(cm) : Bytes(d.Element("memory")),
            Autostart = autostart,
            Persistent = persistent,
            Description = (string?)d.Element("description"),
            OSVariantUri = osId,
            OSVariant = OsShortId.Of(osId, (string?)d.Element("metadata")?.Element(KvmPSNs + "kvmps")?.Element(KvmPSNs + "os")?.Attribute("short-id")),
            MachineType = (string?)osType?.Attribute("machine"),
            Architecture = (string?)osType?.Attribute("arch"),
            Firmware = uefi ? "Uefi" : "Bios",
            CpuMode = (string?)d.Element("cpu")?.Attribute("mode"),
            Disks = (d.Element("devices")?.Elements("disk") ?? Enumerable.Empty<XElement>()).Select(x => ReadDisk(x, name, owned, uri)).ToArray(),
            NetworkAdapters = (d.Element("devices")?.Elements("interface") ?? Enumerable.Empty<XElement>()).Select(x => ReadNic(x, name, uri)).ToArray(),
            Graphics = (d.Element("devices")?.Elements("graphics") ?? Enumerable.Empty<XElement>()).Select(x => new KvmGraphics
            {
                Type = (string?)x.Attribute("type") ?? "",
                Listen = (string?)x.Attribute("listen") ?? (string?)x.Element("listen")?.Attribute("address"),
                Port = ParseInt((string?)x.Attribute("port")),
            }).ToArray(),
            HostDevices = Devices.DeviceXml.PciHostdevAddresses(d).Select(a => a.ToString()).ToArray(),
            PassthroughDevices = DeviceSourceText.HostDevices(d, name, uri),
            Uri = uri,
            Xml = xml,
        };
    }

    /// <summary>
    /// Paths of the storage KvmPS created for this domain, from its metadata. An entry counts only
    /// when its owner is this domain's UUID: a copy defined from another VM's XML (a new UUID)
    /// carries the entries along but does not own that storage.
    /// </summary>
    public static HashSet<string> OwnedPaths(XElement domain)
    {
        string? uuid = (string?)domain.Element("uuid");
        return (domain.Element("metadata")?.Element(KvmPSNs + "kvmps")?.Elements(KvmPSNs + "owned") ?? Enumerable.Empty<XElement>())
            .Where(e => uuid is not null && Guid.TryParse((string?)e.Attribute("owner"), out Guid owner)
                && Guid.TryParse(uuid, out Guid self) && owner == self)
            .Select(e => (string?)e.Attribute("path"))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
    }

    private static KvmDisk ReadDisk(XElement x, string vm, HashSet<string> owned, string uri)
    {
        XElement? src = x.Element("source");
        string? path = DeviceSourceText.Disk(x);
        XElement? driver = x.Element("driver");
        return new KvmDisk
        {
            VMName = vm,
            Device = (string?)x.Attribute("device") ?? "disk",
            Target = (string?)x.Element("target")?.Attribute("dev") ?? "",
            Bus = (string?)x.Element("target")?.Attribute("bus") ?? "",
            Path = path,
            Format = (string?)driver?.Attribute("type"),
            Cache = (string?)driver?.Attribute("cache"),
            IO = (string?)driver?.Attribute("io"),
            ReadOnly = x.Element("readonly") is not null,
            Discard = (string?)driver?.Attribute("discard"),
            OwnedByVM = path is not null && owned.Contains(path),
            Uri = uri,
        };
    }

    private static KvmNetworkAdapter ReadNic(XElement x, string vm, string uri)
    {
        XElement? src = x.Element("source");
        XElement? driver = x.Element("driver");
        return new KvmNetworkAdapter
        {
            VMName = vm,
            Type = (string?)x.Attribute("type") ?? "",
            MacAddress = (string?)x.Element("mac")?.Attribute("address"),
            Source = (string?)src?.Attribute("network") ?? (string?)src?.Attribute("bridge") ?? (string?)src?.Attribute("dev"),
            Model = (string?)x.Element("model")?.Attribute("type"),
            Driver = (string?)driver?.Attribute("name"),
            Queues = ParseInt((string?)driver?.Attribute("queues")),
            TargetDevice = (string?)x.Element("target")?.Attribute("dev"),
            LinkState = (string?)x.Element("link")?.Attribute("state") == "down" ? KvmLinkState.Down : KvmLinkState.Up,
            Uri = uri,
        };
    }

    internal static ulong Bytes(XElement? e) => e is null ? 0 : HostInfoReader.ToKiB(e.Value, (string?)e.Attribute("unit")) * 1024;

    private static int? ParseInt(string? s) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;
}
