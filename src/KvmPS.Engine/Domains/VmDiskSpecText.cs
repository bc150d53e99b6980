using System.Globalization;
using System.Text.RegularExpressions;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Reads the disk specs of New-KvmVM -Disk. A string is virt-install's --disk text
/// ("size=20,pool=images,bus=virtio,cache=none"; a first item without '=' is the path), where a
/// bare size is GiB as virt-install has it (size=20 is 20 GiB; 512M, 1.5G and 20GB also read). A
/// hashtable has the same keys, and a number as its Size is bytes, as PowerShell writes 20GB.
/// Every refusal is a <see cref="VmRequestException"/> with a stable id, before anything is made.
/// </summary>
public static partial class VmDiskSpecText
{
    /// <summary>The keys a spec may have, as virt-install spells them.</summary>
    public static readonly IReadOnlyList<string> Keys = new[] { "path", "size", "pool", "bus", "cache", "io", "discard", "format", "backing_store", "device", "readonly" };

    private static readonly Dictionary<string, string[]> Choices = new(StringComparer.Ordinal)
    {
        ["bus"] = new[] { "virtio", "sata", "scsi", "ide", "usb" },
        ["cache"] = new[] { "none", "writethrough", "writeback", "directsync", "unsafe", "default" },
        ["io"] = new[] { "native", "threads", "io_uring" },
        ["discard"] = new[] { "unmap", "ignore" },
        ["format"] = new[] { "qcow2", "raw" },
        ["device"] = new[] { "disk", "cdrom" },
        ["readonly"] = new[] { "on", "off", "yes", "no", "true", "false" },
    };

    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex SizeRegex();

    /// <summary>Reads a virt-install style text.</summary>
    public static VmDiskRequest Parse(string vmName, string text)
    {
        var pairs = new List<(string, object?)>();
        string[] items = text.Split(',');
        for (int i = 0; i < items.Length; i++)
        {
            string item = items[i].Trim();
            int eq = item.IndexOf('=');
            if (eq < 0 && i == 0 && item.Length > 0)
            {
                pairs.Add(("path", item));
            }
            else if (eq <= 0)
            {
                throw Bad(vmName, "InvalidDiskSpec", $"-Disk '{text}': '{item}' is not key=value (keys: {string.Join(", ", Keys)}).");
            }
            else
            {
                pairs.Add((item[..eq].Trim(), item[(eq + 1)..].Trim()));
            }
        }
        return FromPairs(vmName, text, pairs);
    }

    /// <summary>Reads the keys and values of a hashtable; <paramref name="shown"/> is how the spec is named in messages.</summary>
    public static VmDiskRequest FromPairs(string vmName, string shown, IEnumerable<(string Key, object? Value)> pairs)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        ulong? size = null;
        foreach (var (rawKey, value) in pairs)
        {
            string key = rawKey.Trim().ToLowerInvariant().Replace('-', '_');
            if (!Keys.Contains(key))
            {
                throw Bad(vmName, "UnknownDiskOption", $"-Disk '{shown}': '{rawKey}' is not a disk option (keys: {string.Join(", ", Keys)}).");
            }
            if (values.ContainsKey(key) || (key == "size" && size is not null))
            {
                throw Bad(vmName, "InvalidDiskSpec", $"-Disk '{shown}': '{key}' is given twice.");
            }
            if (key == "size")
            {
                size = Size(vmName, shown, value);
                continue;
            }
            string text = Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() ?? "";
            if (text.Length == 0)
            {
                throw Bad(vmName, "InvalidDiskSpec", $"-Disk '{shown}': '{key}' has no value.");
            }
            if (Choices.TryGetValue(key, out string[]? allowed))
            {
                text = text.ToLowerInvariant();
                if (!allowed.Contains(text))
                {
                    throw Bad(vmName, "InvalidDiskOption", $"-Disk '{shown}': {key}={text} is not one of {string.Join(", ", allowed)}.");
                }
            }
            values[key] = text;
        }
        string? V(string k) => values.TryGetValue(k, out string? v) ? v : null;
        var d = new VmDiskRequest
        {
            SizeBytes = size,
            Path = V("path"),
            Pool = V("pool"),
            Bus = V("bus"),
            Cache = V("cache"),
            IO = V("io"),
            Discard = V("discard"),
            Format = V("format"),
            BackingStore = V("backing_store"),
            Device = V("device") ?? "disk",
            ReadOnly = V("readonly") is "on" or "yes" or "true",
        };
        Check(vmName, shown, d);
        return d;
    }

    private static void Check(string vmName, string shown, VmDiskRequest d)
    {
        string? problem =
            d.Path is not null && d.Pool is not null ? "give pool= (a new volume) or path= (a file), not both"
            : d.Device == "cdrom" && d.Path is null ? "a cdrom needs path= (the image)"
            : d.Device == "cdrom" && (d.SizeBytes is not null || d.Pool is not null || d.BackingStore is not null) ? "a cdrom takes an existing image: no size, pool or backing_store"
            : d.SizeBytes is null && d.Path is null ? "give size= (a new disk, in pool= or at path=) or path= (an existing image)"
            : d.Pool is not null && d.SizeBytes is null ? "pool= makes a new volume: give its size="
            : d.Device == "cdrom" && d.Bus == "virtio" ? "a cdrom cannot be on the virtio bus (sata, scsi, ide or usb)"
            : d.BackingStore is not null && d.Format == "raw" ? "backing_store= makes a qcow2 overlay; format=raw cannot have one"
            : d.IO == "native" && d.Cache is not ("none" or "directsync") ? "io=native needs cache=none or cache=directsync (QEMU's native AIO needs direct I/O)"
            : null;
        if (problem is not null)
        {
            throw Bad(vmName, "InvalidDiskSpec", $"-Disk '{shown}': {problem}.");
        }
    }

    private static ulong Size(string vmName, string shown, object? value)
    {
        ulong bytes;
        if (value is sbyte or byte or short or ushort or int or uint or long or ulong)
        {
            long n = Convert.ToInt64(value, CultureInfo.InvariantCulture);
            if (n <= 0)
            {
                throw Bad(vmName, "InvalidDiskSize", $"-Disk '{shown}': size {n} is not a size.");
            }
            bytes = (ulong)n;
        }
        else
        {
            string text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            Match m = SizeRegex().Match(text);
            if (!m.Success)
            {
                throw Bad(vmName, "InvalidDiskSize", $"-Disk '{shown}': size '{text}' is not a size (GiB like virt-install: size=20, or 512M, 20G, 20GB).");
            }
            double number = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            int shift = m.Groups[2].Value.ToUpperInvariant() switch { "K" => 10, "M" => 20, "T" => 40, _ => 30 };
            bytes = (ulong)Math.Round(number * (1UL << shift));
        }
        if (SizeText.CheckDisk(bytes) is string small)
        {
            throw Bad(vmName, "InvalidDiskSize", $"-Disk '{shown}': {small} In a -Disk text a bare size is GiB (size=20).");
        }
        return bytes;
    }

    private static VmRequestException Bad(string vmName, string id, string message) => VmRequestException.Invalid(vmName, id, message);
}
