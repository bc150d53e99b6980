using System.Globalization;
using System.Net;
using System.Xml.Linq;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The serial port of New-KvmVM -Serial, as virt-install's --serial names its types: pty (the
/// default), file=PATH (the output only), tcp=HOST:PORT (a raw TCP server; loopback only: the port
/// is an unauthenticated console) and unix=PATH (a socket libvirt listens on).
/// </summary>
public sealed record VmSerialText(string Type, string? Path, string? Host, int? Port)
{
    public static VmSerialText Parse(string vmName, string text)
    {
        string t = text.Trim();
        int eq = t.IndexOf('=');
        string type = (eq < 0 ? t : t[..eq]).Trim().ToLowerInvariant();
        string value = eq < 0 ? "" : t[(eq + 1)..].Trim();
        VmRequestException Bad(string why) => VmRequestException.Invalid(vmName, "InvalidSerial", $"-Serial '{text}': {why}");
        switch (type)
        {
            case "pty" when value.Length == 0:
                return new VmSerialText("pty", null, null, null);
            case "file" or "unix" when value.StartsWith('/'):
                return new VmSerialText(type, value, null, null);
            case "file" or "unix":
                throw Bad($"{type}= takes an absolute path on the host.");
            case "tcp":
                int colon = value.LastIndexOf(':');
                string host = colon < 0 ? "" : value[..colon].Trim('[', ']');
                if (colon < 0 || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
                {
                    throw Bad("tcp= takes HOST:PORT, e.g. tcp=127.0.0.1:4555.");
                }
                if (!(host == "localhost" || (IPAddress.TryParse(host, out IPAddress? ip) && IPAddress.IsLoopback(ip))))
                {
                    throw Bad($"'{host}' is not a loopback address: a TCP serial port is a console without a password, so it listens on 127.0.0.1 or ::1 only.");
                }
                return new VmSerialText("tcp", null, host, port);
            default:
                throw Bad("give pty, file=PATH, tcp=127.0.0.1:PORT or unix=PATH.");
        }
    }

    /// <summary>The source element of the serial and console devices.</summary>
    public XElement Source() => Type switch
    {
        "file" => new XElement("source", new XAttribute("path", Path!)),
        "unix" => new XElement("source", new XAttribute("mode", "bind"), new XAttribute("path", Path!)),
        _ => new XElement("source", new XAttribute("mode", "bind"), new XAttribute("host", Host!), new XAttribute("service", Port!.Value.ToString(CultureInfo.InvariantCulture))),
    };
}
