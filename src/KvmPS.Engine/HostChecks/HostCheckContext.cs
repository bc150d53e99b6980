using System.Runtime.InteropServices;

namespace KvmPS.Engine.HostChecks;

/// <summary>
/// What the checks and the repairs look at, gathered once per run: the file system, the libvirt
/// connection (opened on first use, its failure kept), the CPU, the modules, the user and the
/// distribution. Everything here is read through <see cref="IHostFileSystem"/>.
/// </summary>
public sealed class HostCheckContext
{
    private readonly Func<LibvirtConnection>? _connect;
    private LibvirtConnection? _connection;
    private LibvirtException? _connectionError;
    private bool _connectTried;
    private CpuInfo? _cpu;
    private HostIdentity? _identity;
    private HostDistribution? _distro;
    private string? _modules;
    private bool _modulesRead;

    /// <param name="fs">The host's file system (or a fixture tree).</param>
    /// <param name="uri">The libvirt URI as requested ("" for libvirt's default).</param>
    /// <param name="connect">Opens the connection; may throw LibvirtException. Null: no libvirt.</param>
    public HostCheckContext(IHostFileSystem fs, string uri, Func<LibvirtConnection>? connect)
    {
        Fs = fs;
        Uri = uri;
        IsRemote = IsRemoteUri(uri);
        _connect = connect;
    }

    public IHostFileSystem Fs { get; }
    public string Uri { get; }
    public bool IsRemote { get; }

    private IGuestProbeRunner? _guestProbe;

    /// <summary>
    /// Starts the KvmGuestRuns check's test guest: QEMU on the live system by default, none for a
    /// fixture tree (the guest would run on this machine, not on the host the tree stands for).
    /// </summary>
    public IGuestProbeRunner? GuestProbe
    {
        get => _guestProbe ?? (Fs.IsLive && !OperatingSystem.IsWindows() ? QemuGuestProbeRunner.Instance : null);
        init => _guestProbe = value;
    }

    /// <summary>Stops checks that wait (the test guest) when the user presses Ctrl+C.</summary>
    public CancellationToken Cancel { get; init; }

    public LibvirtConnection? Connection
    {
        get
        {
            Connect();
            return _connection;
        }
    }

    /// <summary>The connection if one was opened already; never opens one.</summary>
    public LibvirtConnection? OpenedConnection => _connection;

    public LibvirtException? ConnectionError
    {
        get
        {
            Connect();
            return _connectionError;
        }
    }

    private void Connect()
    {
        if (_connectTried)
        {
            return;
        }
        _connectTried = true;
        if (_connect is null)
        {
            return;
        }
        try
        {
            _connection = _connect();
        }
        catch (LibvirtException e)
        {
            _connectionError = e;
        }
        catch (DllNotFoundException e)
        {
            // No libvirt at all is a finding of the LibvirtDaemon check, like a stopped daemon.
            LibraryMissing = true;
            _connectionError = new LibvirtException("virConnectOpen", LibvirtErrorCode.NoSupport, 0, e.Message);
        }
    }

    /// <summary>True when libvirt's C library could not be loaded.</summary>
    public bool LibraryMissing { get; private set; }

    private string? _capabilities;

    /// <summary>The connection's capabilities XML, read once (several checks look at it).</summary>
    public string CapabilitiesXml(LibvirtConnection conn) => _capabilities ??= conn.GetCapabilitiesXml();

    public CpuInfo Cpu => _cpu ??= CpuInfo.Parse(Fs.ReadText("/proc/cpuinfo"));
    public HostIdentity Identity => _identity ??= HostIdentity.Read(Fs);
    public HostDistribution Distro => _distro ??= HostDistribution.Read(Fs);

    /// <summary>Prefix for commands that need root when the user is not root.</summary>
    public string Sudo => Identity.IsRoot ? "" : "sudo ";

    /// <summary>A kernel without /proc/modules cannot load modules: everything it has is built in.</summary>
    public bool ModulesSupported
    {
        get
        {
            ReadModules();
            return _modules is not null;
        }
    }

    private void ReadModules()
    {
        if (!_modulesRead)
        {
            _modules = Fs.ReadText("/proc/modules");
            _modulesRead = true;
        }
    }

    public ModuleState Module(string name)
    {
        ReadModules();
        if (_modules is not null && _modules.Split('\n').Any(l => l.StartsWith(name + " ", StringComparison.Ordinal)))
        {
            return ModuleState.Loaded;
        }
        // /sys/module/<name> exists for loaded modules and for built-in ones that have
        // parameters or a version; not listed in /proc/modules, it is built in.
        return Fs.Stat("/sys/module/" + name).Kind == HostNodeKind.Directory ? ModuleState.BuiltIn : ModuleState.Absent;
    }

    public bool IsPresent(string module) => Module(module) != ModuleState.Absent;

    /// <summary>KVM modules that drive the CPU's virtualization: by flag, then any that is present.</summary>
    public static readonly string[] VendorModules = { "kvm_intel", "kvm_amd", "kvm_pvm" };

    /// <summary>The vendor module the CPU flags call for (kvm_intel for vmx, kvm_amd for svm), or null.</summary>
    public string? ExpectedVendorModule =>
        Cpu.Count("vmx") > 0 ? "kvm_intel" : Cpu.Count("svm") > 0 ? "kvm_amd" : null;

    /// <summary>The vendor module in the kernel now, preferring the one the flags call for.</summary>
    public string? PresentVendorModule =>
        ExpectedVendorModule is { } e && IsPresent(e) ? e : VendorModules.FirstOrDefault(IsPresent);

    /// <summary>The module to load for KVM on this CPU (by flags, else by vendor name).</summary>
    public string VendorModuleForCpu => ExpectedVendorModule ?? (Cpu.IsAmd ? "kvm_amd" : "kvm_intel");

    /// <summary>The host's architecture (x86_64, aarch64, ...).</summary>
    public string Architecture =>
        Fs.ReadText("/proc/sys/kernel/arch")?.Trim() is { Length: > 0 } a ? a
        : RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.Arm64 => "aarch64",
            System.Runtime.InteropServices.Architecture.S390x => "s390x",
            System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
            _ => "x86_64",
        };

    /// <summary>The first of the usual places where a program is installed, or null.</summary>
    public string? FindProgram(string name, params string[] extraDirs)
    {
        foreach (string dir in extraDirs.Concat(new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin" }))
        {
            string path = dir.TrimEnd('/') + "/" + name;
            if (Fs.Stat(path).Kind == HostNodeKind.File)
            {
                return path;
            }
        }
        return null;
    }

    /// <summary>The host name: the kernel's for a local check, libvirt's (or the URI's) for a remote one.</summary>
    public string ComputerName
    {
        get
        {
            if (IsRemote)
            {
                try
                {
                    if (Connection is { } c)
                    {
                        return c.GetHostname();
                    }
                }
                catch (LibvirtException)
                {
                    // Fall back to the URI's host part.
                }
                return HostPart(Uri) ?? Uri;
            }
            return Fs.ReadText("/proc/sys/kernel/hostname")?.Trim() is { Length: > 0 } h ? h
                : Fs.IsLive ? Environment.MachineName : "";
        }
    }

    /// <summary>
    /// True when the URI reaches another machine: it names a host, or its transport is a network
    /// one (qemu+ssh://, +tcp, +tls, +libssh, +libssh2, +ext). The file-based checks then
    /// cannot look at that machine.
    /// </summary>
    public static bool IsRemoteUri(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            return false;
        }
        int sep = uri.IndexOf("://", StringComparison.Ordinal);
        if (sep < 0)
        {
            return false;
        }
        string scheme = uri[..sep];
        int plus = scheme.IndexOf('+');
        if (plus >= 0 && scheme[(plus + 1)..].ToLowerInvariant() is not "unix")
        {
            return true;
        }
        return HostPart(uri) is not null;
    }

    /// <summary>The host of a URI (without user and port), or null.</summary>
    public static string? HostPart(string uri)
    {
        int sep = uri.IndexOf("://", StringComparison.Ordinal);
        if (sep < 0)
        {
            return null;
        }
        string rest = uri[(sep + 3)..];
        int end = rest.IndexOfAny(new[] { '/', '?' });
        string authority = end < 0 ? rest : rest[..end];
        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..];
        }
        if (authority.StartsWith('['))
        {
            int close = authority.IndexOf(']');
            authority = close > 0 ? authority[1..close] : authority;
        }
        else
        {
            int colon = authority.LastIndexOf(':');
            authority = colon >= 0 ? authority[..colon] : authority;
        }
        return authority.Length == 0 ? null : authority;
    }
}
