using System.Globalization;
using System.Xml.Linq;

namespace KvmPS.Engine.Devices;

/// <summary>A PCI address: domain (segment), bus, slot (device) and function.</summary>
public readonly record struct PciAddress(int Domain, int Bus, int Slot, int Function)
{
    /// <summary>
    /// Parses "dddd:bb:ss.f" (as lspci -D and sysfs write it) or the short "bb:ss.f" of lspci
    /// (domain 0). Hex digits; slot 0-0x1f, function 0-7.
    /// </summary>
    public static bool TryParse(string? text, out PciAddress address)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        string[] parts = text.Trim().Split(':');
        if (parts.Length is < 2 or > 3)
        {
            return false;
        }
        string domain = parts.Length == 3 ? parts[0] : "0";
        string bus = parts[^2];
        string[] slotFn = parts[^1].Split('.');
        if (slotFn.Length != 2
            || !Hex(domain, 4, out int d) || !Hex(bus, 2, out int b)
            || !Hex(slotFn[0], 2, out int s) || !Hex(slotFn[1], 1, out int f)
            || s > 0x1f || f > 7)
        {
            return false;
        }
        address = new PciAddress(d, b, s, f);
        return true;
    }

    private static bool Hex(string s, int maxDigits, out int value)
    {
        value = 0;
        return s.Length >= 1 && s.Length <= maxDigits
            && s.All(Uri.IsHexDigit)
            && int.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Reads an &lt;address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/&gt; element (hex or decimal values).</summary>
    public static PciAddress? FromXml(XElement? address)
    {
        if (address is null)
        {
            return null;
        }
        int? Read(string name)
        {
            string? v = (string?)address.Attribute(name);
            if (v is null)
            {
                return name == "domain" ? 0 : null;
            }
            return v.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? int.TryParse(v[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int h) ? h : null
                : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : null;
        }
        int? d = Read("domain"), b = Read("bus"), s = Read("slot"), f = Read("function");
        return b is null || s is null || f is null ? null : new PciAddress(d ?? 0, b.Value, s.Value, f.Value);
    }

    /// <summary>The address as libvirt writes it in a hostdev source.</summary>
    public XElement ToXml() => new("address",
        new XAttribute("domain", $"0x{Domain:x4}"),
        new XAttribute("bus", $"0x{Bus:x2}"),
        new XAttribute("slot", $"0x{Slot:x2}"),
        new XAttribute("function", $"0x{Function:x}"));

    /// <summary>libvirt's node device name for the address, e.g. pci_0000_01_00_0.</summary>
    public string NodeDeviceName => $"pci_{Domain:x4}_{Bus:x2}_{Slot:x2}_{Function:x}";

    /// <inheritdoc />
    public override string ToString() => $"{Domain:x4}:{Bus:x2}:{Slot:x2}.{Function:x}";
}
