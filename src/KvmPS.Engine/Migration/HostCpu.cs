using System.Runtime.InteropServices;
using System.Xml.Linq;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Migration;

/// <summary>
/// CPU models across hosts: whether a host can run a CPU definition (virConnectCompareHypervisorCPU)
/// and the model every one of several hosts can run (virConnectBaselineHypervisorCPU over the
/// host-model CPUs their domain capabilities report).
/// </summary>
public static unsafe class HostCpu
{
    /// <summary>0 incompatible, 1 identical, 2 the host is a superset.</summary>
    public static int Compare(LibvirtConnection conn, string cpuXml, string? virtType = null, string? arch = null)
    {
        int rc = Libvirt.virConnectCompareHypervisorCPU(conn.Handle, null, arch, null, virtType, cpuXml, 0);
        return rc < 0 ? throw LibvirtException.FromLastError("virConnectCompareHypervisorCPU") : rc;
    }

    /// <summary>The host's own CPU as a guest CPU definition: the host-model of its domain capabilities, as custom.</summary>
    public static string HostModelXml(LibvirtConnection conn, string? virtType = null)
    {
        XElement caps = SafeXml.Parse(conn.GetDomainCapabilitiesXml(virtType));
        XElement? mode = caps.Element("cpu")?.Elements("mode").FirstOrDefault(m => (string?)m.Attribute("name") == "host-model");
        if (mode is null || mode.Element("model") is null)
        {
            throw new LibvirtException("virConnectGetDomainCapabilities", LibvirtErrorCode.OperationUnsupported, 0,
                $"{conn.Uri} reports no host-model CPU to compare");
        }
        var cpu = new XElement("cpu", new XAttribute("mode", "custom"), new XAttribute("match", "exact"));
        cpu.Add(mode.Elements().Where(e => e.Name == "model" || e.Name == "vendor" || e.Name == "feature"));
        return cpu.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The CPU definition all given host CPUs can run (migratable features only).</summary>
    public static string Baseline(LibvirtConnection conn, IReadOnlyList<string> cpuXmls, string? virtType = null)
    {
        var ptrs = cpuXmls.Select(x => Marshal.StringToCoTaskMemUTF8(x)).ToArray();
        try
        {
            fixed (IntPtr* list = ptrs)
            {
                // 2: VIR_CONNECT_BASELINE_CPU_MIGRATABLE.
                IntPtr p = Libvirt.virConnectBaselineHypervisorCPU(conn.Handle, null, null, null, virtType, list, (uint)ptrs.Length, 2);
                return Libvirt.TakeString(p) ?? throw LibvirtException.FromLastError("virConnectBaselineHypervisorCPU");
            }
        }
        finally
        {
            foreach (IntPtr p in ptrs)
            {
                Marshal.FreeCoTaskMem(p);
            }
        }
    }

    /// <summary>The guest CPU element of a domain definition when it names a model to compare (custom or host-model expanded), else null.</summary>
    public static string? DomainCpuToCompare(string domainXml)
    {
        XElement? cpu = SafeXml.Parse(domainXml).Element("cpu");
        if (cpu is null || cpu.Element("model") is null || (string?)cpu.Attribute("mode") is "host-passthrough" or "maximum")
        {
            return null;
        }
        var copy = new XElement(cpu);
        copy.SetAttributeValue("mode", "custom");
        copy.Elements("numa").Remove();
        copy.Elements("topology").Remove();
        return copy.ToString(SaveOptions.DisableFormatting);
    }
}
