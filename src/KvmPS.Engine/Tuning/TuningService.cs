using System.Runtime.InteropServices;
using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Tuning;

/// <summary>The libvirt side of tuning: live pins, host facts, other VMs' pins.</summary>
public static class TuningService
{
    private unsafe delegate int PinCall(byte* map, int length, uint flags);

    /// <summary>Pins one vCPU of a running VM.</summary>
    public static unsafe void PinVCpuLive(DomainHandle h, int vcpu, IEnumerable<int> cpus, int mapLength) =>
        PinLive("virDomainPinVcpuFlags", cpus, mapLength, (m, n, f) => Libvirt.virDomainPinVcpuFlags(h, (uint)vcpu, m, n, f));

    /// <summary>Pins the emulator threads of a running VM.</summary>
    public static unsafe void PinEmulatorLive(DomainHandle h, IEnumerable<int> cpus, int mapLength) =>
        PinLive("virDomainPinEmulator", cpus, mapLength, (m, n, f) => Libvirt.virDomainPinEmulator(h, m, n, f));

    /// <summary>Pins one IOThread of a running VM.</summary>
    public static unsafe void PinIOThreadLive(DomainHandle h, int iothread, IEnumerable<int> cpus, int mapLength) =>
        PinLive("virDomainPinIOThread", cpus, mapLength, (m, n, f) => Libvirt.virDomainPinIOThread(h, (uint)iothread, m, n, f));

    /// <summary>
    /// Makes a pin call with AFFECT_LIVE. Drivers that take only "current" (the test driver) get
    /// flags 0, which for a running VM means the same thing.
    /// </summary>
    private static unsafe void PinLive(string function, IEnumerable<int> cpus, int mapLength, PinCall call)
    {
        byte[] map = CpuMap(cpus, mapLength);
        fixed (byte* p = map)
        {
            if (call(p, map.Length, Libvirt.VIR_DOMAIN_AFFECT_LIVE) == 0)
            {
                return;
            }
            var e = LibvirtException.FromLastError(function);
            if (!FlagsRefused(e))
            {
                throw e;
            }
            if (call(p, map.Length, 0) < 0)
            {
                throw LibvirtException.FromLastError(function);
            }
        }
    }

    private static bool FlagsRefused(LibvirtException e) =>
        e.Code is LibvirtErrorCode.InvalidArg or LibvirtErrorCode.ArgumentUnsupported && e.LibvirtMessage.Contains("flags", StringComparison.OrdinalIgnoreCase);

    /// <summary>libvirt's cpumap: bit n of byte n/8 set for each CPU n.</summary>
    public static byte[] CpuMap(IEnumerable<int> cpus, int mapLength)
    {
        var list = cpus.ToList();
        int len = Math.Max(mapLength, list.Count == 0 ? 1 : list.Max() / 8 + 1);
        var map = new byte[len];
        foreach (int c in list)
        {
            map[c / 8] |= (byte)(1 << (c % 8));
        }
        return map;
    }

    /// <summary>CPU model names the host knows for an architecture, or null when the driver cannot tell.</summary>
    public static unsafe HashSet<string>? CpuModelNames(LibvirtConnection conn, string arch)
    {
        IntPtr* models;
        int n = Libvirt.virConnectGetCPUModelNames(conn.Handle, arch, &models, 0);
        if (n < 0)
        {
            Libvirt.virResetLastError();
            return null;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            for (int i = 0; i < n; i++)
            {
                string? s = Marshal.PtrToStringUTF8(models[i]);
                NativeMemory.Free((void*)models[i]);
                if (s is not null)
                {
                    names.Add(s);
                }
            }
        }
        finally
        {
            NativeMemory.Free(models);
        }
        return names;
    }

    /// <summary>
    /// Host CPUs other VMs hold through any of their pins (see <see cref="ClaimsOfOtherVMs"/>).
    /// </summary>
    public static HashSet<int> TakenByOtherVMs(LibvirtConnection conn, string exceptName) =>
        ClaimsOfOtherVMs(conn, exceptName, HostTopology.Read(conn)).Cpus.ToHashSet();

    /// <summary>
    /// What every other VM of the host holds (vCPU, emulator and IOThread pins, &lt;vcpu cpuset&gt;
    /// placement), from its live definition and, for a running persistent VM, its next-start one too.
    /// </summary>
    public static HostCpuClaims ClaimsOfOtherVMs(LibvirtConnection conn, string exceptName, HostTopology host)
    {
        var claims = new HostCpuClaims();
        foreach (DomainHandle h in conn.ListAllDomains())
        {
            using (h)
            {
                string vm = LibvirtConnection.GetName(h);
                if (vm == exceptName)
                {
                    continue;
                }
                claims.AddDomain(vm, SafeXml.Parse(LibvirtConnection.GetXml(h)), host.CpuIds);
                if (DomainService.IsPersistent(h) && DomainService.IsActive(h))
                {
                    claims.AddDomain(vm, SafeXml.Parse(DomainService.GetInactiveXml(h)), host.CpuIds);
                }
            }
        }
        return claims;
    }

    /// <summary>
    /// The VM's definition to report: the persistent one when asked for, else the live one. FromConfig
    /// says whether it is what the next start uses (true also for a VM that is not running).
    /// </summary>
    public static (XElement Xml, bool FromConfig) ReadDomain(DomainHandle h, bool config)
    {
        if (config && DomainService.IsPersistent(h))
        {
            return (SafeXml.Parse(DomainService.GetInactiveXml(h)), true);
        }
        return (SafeXml.Parse(LibvirtConnection.GetXml(h)), !DomainService.IsActive(h));
    }
}
