using System.Xml.Linq;

namespace KvmPS.Engine.Domains;

/// <summary>
/// What the host's hypervisor offers a new guest, from its domain capabilities: the video
/// models, SPICE, the TPM emulator. virt-install consults the same to pick its defaults. A host
/// without domain capabilities (the test driver) offers none of them.
/// </summary>
public sealed record VmHostDevices
{
    public bool Spice { get; init; }
    public bool VideoVirtio { get; init; }
    public bool VideoQxl { get; init; }
    public bool VideoBochs { get; init; }
    public bool TpmEmulator { get; init; }
    public bool TpmCrb { get; init; }
    public bool Efi { get; init; }

    public static VmHostDevices None { get; } = new();

    /// <summary>Reads a domainCapabilities document.</summary>
    public static VmHostDevices Parse(string xml)
    {
        XElement caps = XElement.Parse(xml);
        XElement? devices = caps.Element("devices");
        HashSet<string> Values(XElement? parent, string element, string enumName)
        {
            XElement? e = parent?.Element(element);
            if (e is null || (string?)e.Attribute("supported") != "yes")
            {
                return new HashSet<string>(StringComparer.Ordinal);
            }
            return e.Elements("enum").Where(x => (string?)x.Attribute("name") == enumName)
                .SelectMany(x => x.Elements("value")).Select(v => v.Value.Trim()).ToHashSet(StringComparer.Ordinal);
        }
        var video = Values(devices, "video", "modelType");
        var tpmBackends = Values(devices, "tpm", "backendModel");
        var tpmModels = Values(devices, "tpm", "model");
        var firmware = caps.Element("os")?.Elements("enum").Where(x => (string?)x.Attribute("name") == "firmware")
            .SelectMany(x => x.Elements("value")).Select(v => v.Value.Trim()) ?? Enumerable.Empty<string>();
        return new VmHostDevices
        {
            Spice = Values(devices, "graphics", "type").Contains("spice"),
            VideoVirtio = video.Contains("virtio"),
            VideoQxl = video.Contains("qxl"),
            VideoBochs = video.Contains("bochs"),
            TpmEmulator = tpmBackends.Contains("emulator"),
            TpmCrb = tpmModels.Contains("tpm-crb"),
            Efi = firmware.Contains("efi"),
        };
    }

    /// <summary>The host's offer for a domain type, or <see cref="None"/> when it reports no domain capabilities.</summary>
    public static VmHostDevices Read(LibvirtConnection conn, string domainType, string arch, string? machine)
    {
        try
        {
            return Parse(conn.GetDomainCapabilitiesXml(domainType, arch, null, machine));
        }
        catch (Exception e) when (e is LibvirtException or System.Xml.XmlException)
        {
            return None;
        }
    }
}
