using System.Globalization;
using System.Runtime.InteropServices;
using System.Security;
using System.Xml.Linq;
using KvmPS.Engine.Tuning;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Puts the <see cref="VmInstallOptions"/> of a request into the domain XML the builder made,
/// the way virt-install writes them: maximum vCPUs and memory, the CPU mode and topology, the NIC
/// model, macvtap adapters, graphics port, password and listen=none, the serial port's type, and
/// virtiofs shares with the shared memory they need.
/// </summary>
public static class VmXmlOptions
{
    /// <summary>What stands for the graphics password in everything shown (verbose, debug, -PrintXml).</summary>
    public const string Hidden = "(hidden)";

    public static void Apply(XElement domain, VmRequest r, bool isQemu, string nicModel)
    {
        VmInstallOptions o = r.Install;
        if (o.MaxVCpuCount is int maxCpus && domain.Element("vcpu") is XElement vcpu)
        {
            vcpu.Value = maxCpus.ToString(CultureInfo.InvariantCulture);
            vcpu.SetAttributeValue("current", r.VCpuCount.ToString(CultureInfo.InvariantCulture));
        }
        if (o.MaxMemoryBytes is ulong maxMem && domain.Element("memory") is XElement memory)
        {
            memory.Value = (maxMem / 1024).ToString(CultureInfo.InvariantCulture);
        }
        if (o.CpuMode is not null || o.CpuModel is not null || o.Sockets is not null || o.Cores is not null || o.Threads is not null)
        {
            CpuXml.Apply(domain, new CpuChange { Mode = o.CpuMode ?? (o.CpuModel is null ? null : KvmCpuMode.Custom), Model = o.CpuModel, Sockets = o.Sockets, Cores = o.Cores, Threads = o.Threads }, null);
        }
        XElement devices = domain.Element("devices")!;
        if (o.NetworkModel is not null)
        {
            foreach (XElement model in devices.Elements("interface").Elements("model"))
            {
                model.SetAttributeValue("type", o.NetworkModel);
            }
        }
        foreach (string dev in o.DirectInterfaces)
        {
            var nic = new XElement("interface", new XAttribute("type", "direct"),
                new XElement("source", new XAttribute("dev", dev), new XAttribute("mode", "bridge")),
                new XElement("model", new XAttribute("type", o.NetworkModel ?? nicModel)));
            (devices.Elements("interface").LastOrDefault() is XElement last ? (Action<XElement>)last.AddAfterSelf : devices.Add)(nic);
        }
        if (devices.Element("graphics") is XElement g)
        {
            if (r.GraphicsListen == "none")
            {
                g.Attribute("port")?.Remove();
                g.Attribute("autoport")?.Remove();
                g.Attribute("listen")?.Remove();
                g.Elements("listen").Remove();
                g.Add(new XElement("listen", new XAttribute("type", "none")));
            }
            else if (o.GraphicsPort is int port)
            {
                g.SetAttributeValue("port", port.ToString(CultureInfo.InvariantCulture));
                g.SetAttributeValue("autoport", "no");
            }
            if (o.GraphicsPassword is SecureString password)
            {
                g.SetAttributeValue("passwd", Reveal(password));
            }
        }
        if (o.Serial is not null && VmSerialText.Parse(r.Name, o.Serial) is { } serial && serial.Type != "pty")
        {
            foreach (XElement port in devices.Elements("serial").Concat(devices.Elements("console")))
            {
                port.SetAttributeValue("type", serial.Type);
                port.Elements("source").Remove();
                port.Elements("protocol").Remove();
                port.AddFirst(serial.Source());
                if (serial.Type == "tcp")
                {
                    port.Element("source")!.AddAfterSelf(new XElement("protocol", new XAttribute("type", "raw")));
                }
            }
        }
        if (o.Filesystems.Count > 0 && isQemu)
        {
            XElement backing = domain.Element("memoryBacking") ?? AddAfter(domain, "currentMemory", new XElement("memoryBacking"));
            backing.Elements("source").Remove();
            backing.Elements("access").Remove();
            backing.Add(new XElement("source", new XAttribute("type", "memfd")), new XElement("access", new XAttribute("mode", "shared")));
            foreach (VmFilesystemSpec fs in o.Filesystems)
            {
                var share = new XElement("filesystem", new XAttribute("type", "mount"), new XAttribute("accessmode", "passthrough"),
                    new XElement("driver", new XAttribute("type", "virtiofs")),
                    new XElement("source", new XAttribute("dir", fs.Source)),
                    new XElement("target", new XAttribute("dir", fs.Tag)));
                (devices.Elements("disk").LastOrDefault() is XElement lastDisk ? (Action<XElement>)lastDisk.AddAfterSelf : devices.AddFirst)(share);
            }
        }
    }

    /// <summary>The XML with every graphics password replaced by <see cref="Hidden"/>, for the verbose and debug streams and -PrintXml.</summary>
    public static string Redact(string xml)
    {
        if (!xml.Contains("passwd=", StringComparison.Ordinal))
        {
            return xml;
        }
        XElement x = XElement.Parse(xml);
        foreach (XAttribute a in x.Descendants("graphics").Attributes("passwd"))
        {
            a.Value = Hidden;
        }
        return x.ToString();
    }

    private static XElement AddAfter(XElement parent, string sibling, XElement child)
    {
        if (parent.Element(sibling) is XElement s)
        {
            s.AddAfterSelf(child);
        }
        else
        {
            parent.Add(child);
        }
        return child;
    }

    private static string Reveal(SecureString s)
    {
        IntPtr p = Marshal.SecureStringToGlobalAllocUnicode(s);
        try
        {
            return Marshal.PtrToStringUni(p) ?? "";
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(p);
        }
    }
}
