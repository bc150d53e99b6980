using System.Xml.Linq;
using KvmPS.Engine.Tuning;

namespace KvmPS.Engine.Migration;

/// <summary>
/// What Set-KvmCpu -Baseline asks of hosts: the baseline of several hosts for a VM's kind of
/// virtualization (kvm or qemu, whose CPUs differ), and whether the VM's own host can run a
/// baseline, before the definition is changed.
/// </summary>
public static class CpuBaselineCheck
{
    /// <summary>The domain's virtualization type (kvm, qemu, ...), or null.</summary>
    public static string? VirtType(XElement domain) => (string?)domain.Attribute("type");

    /// <summary>The domain's guest architecture (os/type arch), or null.</summary>
    public static string? Arch(XElement domain) => (string?)domain.Element("os")?.Element("type")?.Attribute("arch");

    /// <summary>
    /// The baseline CPU element of the hosts' own CPUs for this kind of virtualization. A host
    /// that cannot give one is a TuningException (CpuBaselineUnavailable) naming it.
    /// </summary>
    public static string Make(IReadOnlyList<LibvirtConnection> hosts, string? virtType)
    {
        var cpus = new List<string>();
        foreach (LibvirtConnection host in hosts)
        {
            cpus.Add(Unavailable(host.Uri, () => HostCpu.HostModelXml(host, virtType)));
        }
        return Unavailable(hosts[0].Uri, () => HostCpu.Baseline(hosts[0], cpus, virtType));
    }

    /// <summary>
    /// Throws TuningException when the VM's host cannot run the baseline for the VM's type and
    /// architecture: CpuBaselineNotRunnable (InvalidOperation) when libvirt says incompatible,
    /// CpuCompareUnsupported (ResourceUnavailable) when the host's driver cannot compare CPUs.
    /// </summary>
    public static void EnsureRunnable(LibvirtConnection conn, XElement domain, string baselineXml, string vmName)
    {
        string model = CpuBaselineXml.ModelOf(baselineXml);
        string? virtType = VirtType(domain);
        string kind = virtType is null ? "" : $" for {virtType} guests";
        int rc;
        try
        {
            rc = HostCpu.Compare(conn, baselineXml, virtType, Arch(domain));
        }
        catch (LibvirtException e) when (e.Code is LibvirtErrorCode.NoSupport or LibvirtErrorCode.OperationUnsupported)
        {
            throw new TuningException("CpuCompareUnsupported",
                $"VM '{vmName}': {conn.Uri} cannot compare CPUs ({e.LibvirtMessage}), so it cannot be shown to run the baseline {model}; nothing was changed.",
                TuningErrorKind.ResourceUnavailable);
        }
        catch (LibvirtException e) when (e.Code is LibvirtErrorCode.CpuIncompatible or LibvirtErrorCode.InternalError
            or LibvirtErrorCode.ConfigUnsupported or LibvirtErrorCode.XmlError or LibvirtErrorCode.InvalidArg)
        {
            throw NotRunnable(vmName, conn.Uri, model, kind, e.LibvirtMessage);
        }
        if (rc == 0)
        {
            throw NotRunnable(vmName, conn.Uri, model, kind, "libvirt compares it as incompatible with the CPU the hypervisor offers");
        }
    }

    private static TuningException NotRunnable(string vmName, string uri, string model, string kind, string why) =>
        new("CpuBaselineNotRunnable",
            $"VM '{vmName}': its host {uri} cannot run the baseline CPU {model}{kind} ({why}); nothing was changed. " +
            "Make the baseline with this host among the hosts (Get-KvmHostCpuBaseline -Uri ..., or Set-KvmCpu -BaselineUri).",
            TuningErrorKind.InvalidOperation);

    private static string Unavailable(string uri, Func<string> read)
    {
        try
        {
            return read();
        }
        catch (LibvirtException e) when (e.Code is LibvirtErrorCode.NoSupport or LibvirtErrorCode.OperationUnsupported)
        {
            throw new TuningException("CpuBaselineUnavailable",
                $"{uri} cannot give a CPU baseline ({e.LibvirtMessage}); nothing was changed.", TuningErrorKind.ResourceUnavailable);
        }
    }
}
