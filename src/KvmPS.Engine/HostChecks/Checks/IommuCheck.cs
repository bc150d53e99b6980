using KvmPS.Engine.Host;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>Whether the host has an IOMMU for PCI passthrough.</summary>
internal sealed class IommuCheck : IHostCheck
{
    public string Name => HostCheckNames.Iommu;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        if (ctx.IsRemote)
        {
            LibvirtConnection? conn = ctx.Connection;
            if (conn is null)
            {
                return HostCheckFinding.LibvirtUnreachable();
            }
            bool? support = HostInfoReader.ParseCapabilities(ctx.CapabilitiesXml(conn)).Iommu;
            return support switch
            {
                true => HostCheckFinding.Pass("libvirt reports IOMMU support on the host."),
                false => HostCheckFinding.Warn("libvirt reports no IOMMU support on the host: PCI passthrough (vfio) is not possible.",
                    "# On that host: enable VT-d/AMD-Vi in the firmware and add intel_iommu=on iommu=pt (Intel) or amd_iommu=on iommu=pt (AMD) to the kernel command line."),
                null => HostCheckFinding.Skip("libvirt does not report IOMMU support over this connection."),
            };
        }
        CpuInfo cpu = ctx.Cpu;
        int groups = ctx.Fs.List("/sys/kernel/iommu_groups").Count(g => g.All(char.IsAsciiDigit));
        string[] cmdline = (ctx.Fs.ReadText("/proc/cmdline") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string[] iommuArgs = cmdline.Where(a => a.StartsWith("intel_iommu=", StringComparison.Ordinal) || a.StartsWith("amd_iommu=", StringComparison.Ordinal)
            || a.StartsWith("iommu=", StringComparison.Ordinal) || a.StartsWith("iommu.", StringComparison.Ordinal)).ToArray();
        string table = cpu.IsAmd ? "IVRS" : "DMAR";
        bool hasTable = ctx.Fs.Exists("/sys/firmware/acpi/tables/" + table);
        string argsText = iommuArgs.Length == 0 ? "no IOMMU arguments on the kernel command line" : "kernel command line: " + string.Join(' ', iommuArgs);
        string seen = $"{groups} IOMMU groups in /sys/kernel/iommu_groups; ACPI {table} table {(hasTable ? "present" : "absent")}; {argsText}";
        if (groups > 0)
        {
            return HostCheckFinding.Pass(seen + ".");
        }
        string wanted = cpu.IsAmd ? "amd_iommu=on iommu=pt" : "intel_iommu=on iommu=pt";
        var remedy = new List<string>();
        if (!hasTable)
        {
            remedy.Add(cpu.UnderHypervisor
                ? $"# This is a virtual machine: give it a virtual IOMMU (QEMU: -device {(cpu.IsAmd ? "amd-iommu" : "intel-iommu")}; libvirt: <iommu model='{(cpu.IsAmd ? "amd" : "intel")}'/>)."
                : $"# Enable {(cpu.IsAmd ? "AMD-Vi (IOMMU)" : "VT-d")} in the firmware setup (BIOS/UEFI).");
        }
        string missing = string.Join(' ', wanted.Split(' ').Where(w => !cmdline.Contains(w)));
        if (missing.Length > 0)
        {
            remedy.AddRange(ctx.Distro.KernelArgumentCommands(missing).Select(c => c.StartsWith('#') ? c : ctx.Sudo + c));
        }
        return HostCheckFinding.Warn(seen + ": PCI passthrough (vfio) is not possible.", remedy.ToArray());
    }
}
