using System.Runtime.CompilerServices;

namespace KvmPS.Engine.Domains;

/// <summary>
/// What New-KvmVM asks a host about before each VM and that does not change from one VM to the
/// next: its capabilities (parsed once), hypervisor type, size, vCPU limit per domain type and
/// domain capabilities per domain type and arch. virt-install asks all of it again in each new
/// process; a session making many VMs asks once per connection and minute (a host that gains
/// firmware or a newer QEMU is seen within a minute, or at once after Connect-KvmHost).
/// </summary>
public sealed class VmHostFacts
{
    /// <summary>How long the facts of a connection are kept.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private static readonly ConditionalWeakTable<LibvirtConnection, VmHostFacts> s_byConnection = new();

    private readonly LibvirtConnection _conn;
    private readonly DateTime _read = DateTime.UtcNow;
    private readonly Lazy<(List<GuestArch> Guests, string HostArch, HashSet<string> CpuFeatures)> _caps;
    private readonly Lazy<string> _hypervisor;
    private readonly Lazy<(ulong? MemoryBytes, int? Cpus)> _size;
    private readonly Dictionary<string, int?> _maxVcpus = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VmHostDevices> _devices = new(StringComparer.Ordinal);

    private VmHostFacts(LibvirtConnection conn)
    {
        _conn = conn;
        _caps = new(() =>
        {
            string xml = conn.GetCapabilitiesXml();
            return (GuestCapabilities.Parse(xml), GuestCapabilities.HostArch(xml), GuestCapabilities.HostCpuFeatures(xml));
        });
        _hypervisor = new(conn.GetHypervisorType);
        _size = new(() =>
        {
            try
            {
                var node = conn.GetNodeInfo();
                return (node.MemoryKiB * 1024, (int)node.Cpus);
            }
            catch (LibvirtException e) when (e.Kind is KvmErrorKind.NotSupported)
            {
                return (null, null);
            }
        });
    }

    /// <summary>The facts of a connection, read again when they are older than <see cref="Lifetime"/>.</summary>
    public static VmHostFacts For(LibvirtConnection conn)
    {
        lock (s_byConnection)
        {
            if (s_byConnection.TryGetValue(conn, out VmHostFacts? facts) && DateTime.UtcNow - facts._read < Lifetime)
            {
                return facts;
            }
            facts = new VmHostFacts(conn);
            s_byConnection.AddOrUpdate(conn, facts);
            return facts;
        }
    }

    public List<GuestArch> Guests => _caps.Value.Guests;

    public string HostArch => _caps.Value.HostArch;

    public HashSet<string> CpuFeatures => _caps.Value.CpuFeatures;

    public string HypervisorType => _hypervisor.Value;

    public (ulong? MemoryBytes, int? Cpus) Size => _size.Value;

    public int? MaxVcpus(string domainType)
    {
        lock (_maxVcpus)
        {
            if (!_maxVcpus.TryGetValue(domainType, out int? n))
            {
                _maxVcpus[domainType] = n = DomainService.MaxVcpus(_conn, domainType);
            }
            return n;
        }
    }

    /// <summary>The host's offer for a domain type and arch (its default machine), from its domain capabilities.</summary>
    public VmHostDevices Devices(string domainType, string arch)
    {
        string key = domainType + "/" + arch;
        lock (_devices)
        {
            if (!_devices.TryGetValue(key, out VmHostDevices? d))
            {
                _devices[key] = d = VmHostDevices.Read(_conn, domainType, arch, null);
            }
            return d;
        }
    }
}
