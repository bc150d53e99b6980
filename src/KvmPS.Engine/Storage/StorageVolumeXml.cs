using System.Globalization;
using System.Xml.Linq;

namespace KvmPS.Engine.Storage;

/// <summary>Storage volume XML (libvirt's storagevol schema).</summary>
public static class StorageVolumeXml
{
    /// <summary>
    /// The XML to create a volume. Sizes are written in bytes. The allocation is always written:
    /// without it libvirt allocates the whole capacity up front.
    /// </summary>
    public static string Build(VolumeDefinition v)
    {
        var target = new XElement("target");
        if (v.Format is not null)
        {
            target.Add(new XElement("format", new XAttribute("type", v.Format)));
        }
        if (v.Mode is UnixFileMode mode)
        {
            // libvirt reads the mode as octal.
            target.Add(new XElement("permissions", new XElement("mode", "0" + Convert.ToString((int)mode, 8))));
        }
        if (v.Format == "qcow2")
        {
            // qcow2 v3 with lazy refcounts, as qemu-img makes it by default and virt-install asks
            // for it (libvirt's own default is v2, compat 0.10: no dirty bitmaps, so no
            // incremental backups).
            target.Add(new XElement("compat", "1.1"), new XElement("features", new XElement("lazy_refcounts")));
        }
        var volume = new XElement("volume",
            new XElement("name", v.Name),
            Bytes("capacity", v.CapacityBytes),
            Bytes("allocation", v.AllocationBytes),
            target);
        if (v.BackingPath is not null)
        {
            var backing = new XElement("backingStore", new XElement("path", v.BackingPath));
            if (v.BackingFormat is not null)
            {
                backing.Add(new XElement("format", new XAttribute("type", v.BackingFormat)));
            }
            volume.Add(backing);
        }
        return volume.ToString();
    }

    private static XElement Bytes(string name, ulong value) =>
        new(name, new XAttribute("unit", "bytes"), value.ToString(CultureInfo.InvariantCulture));

    public static VolumeDefinition Parse(string xml)
    {
        XElement vol = SafeXml.Parse(xml);
        XElement? target = vol.Element("target");
        XElement? backing = vol.Element("backingStore");
        return new VolumeDefinition
        {
            Name = vol.Element("name")?.Value ?? "",
            Type = (string?)vol.Attribute("type"),
            Key = vol.Element("key")?.Value,
            Path = target?.Element("path")?.Value,
            Format = (string?)target?.Element("format")?.Attribute("type"),
            CapacityBytes = ReadBytes(vol.Element("capacity")),
            AllocationBytes = ReadBytes(vol.Element("allocation")),
            PhysicalBytes = vol.Element("physical") is XElement physical ? ReadBytes(physical) : null,
            BackingPath = NullIfEmpty(backing?.Element("path")?.Value),
            BackingFormat = (string?)backing?.Element("format")?.Attribute("type"),
        };
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    // libvirt writes bytes, but hand-made XML may carry any of its units (K, MiB, GB, ...).
    private static readonly Dictionary<string, ulong> s_units = new(StringComparer.Ordinal)
    {
        ["b"] = 1, ["bytes"] = 1,
        ["KB"] = 1000, ["K"] = 1UL << 10, ["KiB"] = 1UL << 10, ["k"] = 1UL << 10,
        ["MB"] = 1000_000, ["M"] = 1UL << 20, ["MiB"] = 1UL << 20, ["m"] = 1UL << 20,
        ["GB"] = 1000_000_000, ["G"] = 1UL << 30, ["GiB"] = 1UL << 30, ["g"] = 1UL << 30,
        ["TB"] = 1000_000_000_000, ["T"] = 1UL << 40, ["TiB"] = 1UL << 40, ["t"] = 1UL << 40,
        ["PB"] = 1000_000_000_000_000, ["P"] = 1UL << 50, ["PiB"] = 1UL << 50, ["p"] = 1UL << 50,
        ["EB"] = 1000_000_000_000_000_000, ["E"] = 1UL << 60, ["EiB"] = 1UL << 60, ["e"] = 1UL << 60,
    };

    /// <summary>A sized element (capacity, allocation) in bytes; libvirt's default unit is bytes.</summary>
    public static ulong ReadBytes(XElement? e)
    {
        if (e is null || !ulong.TryParse(e.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong n))
        {
            return 0;
        }
        string unit = (string?)e.Attribute("unit") ?? "bytes";
        return s_units.TryGetValue(unit, out ulong factor) ? checked(n * factor) : throw new FormatException($"Unknown size unit '{unit}'.");
    }
}
