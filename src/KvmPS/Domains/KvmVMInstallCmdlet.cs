using System.Collections;
using System.Management.Automation;
using System.Security;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// The parameters of New-KvmVM that virt-install has and the first disk, NIC and console do not
/// cover: more disks (-Disk), an install tree (-Location), CPU, memory, boot, graphics access,
/// serial port, virtiofs shares, and how the install runs (-Wait, -PrintXml). They become one
/// <see cref="VmInstallOptions"/>.
/// </summary>
public abstract class KvmVMInstallCmdlet : KvmVMInstallRunCmdlet
{
    [Parameter, ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public object[]? Disk { get; set; }

    [Parameter, ValidateNotNullOrEmpty]
    public string? Kernel { get; set; }

    [Parameter, ValidateNotNullOrEmpty]
    public string? Initrd { get; set; }

    [Parameter, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? KernelArgs { get; set; }

    [Parameter, ValidateNotNullOrEmpty]
    public string? Location { get; set; }

    [Parameter, ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? ExtraArgs { get; set; }

    [Parameter]
    public KvmCpuMode CpuMode { get; set; }

    [Parameter, ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? CpuModel { get; set; }

    [Parameter, ValidateRange(1, 4096)]
    public int Sockets { get; set; }

    [Parameter, ValidateRange(1, 4096)]
    public int Cores { get; set; }

    [Parameter, ValidateRange(1, 16)]
    public int Threads { get; set; }

    [Parameter, ValidateRange(1, 4096)]
    public int MaxVCpuCount { get; set; }

    [Parameter, ValidateSize(Memory = true)]
    public ulong MaxMemory { get; set; }

    [Parameter, ValidateSet("virtio", "e1000e", "e1000", "rtl8139")]
    public string? NetworkModel { get; set; }

    [Parameter, ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string[]? DirectInterface { get; set; }

    [Parameter]
    public SwitchParameter NoNetwork { get; set; }

    [Parameter]
    public SwitchParameter Pxe { get; set; }

    [Parameter, ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string[]? BootOrder { get; set; }

    [Parameter]
    public int GraphicsPort { get; set; }

    [Parameter]
    public SecureString? GraphicsPassword { get; set; }

    [Parameter, ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Serial { get; set; }

    [Parameter, ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string[]? Filesystem { get; set; }

    [Parameter, ValidateNotNullOrEmpty, ArgumentCompleter(typeof(PciAddressCompleter))]
    public string[]? HostDevice { get; set; }

    [Parameter, ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string[]? SshKey { get; set; }

    [Parameter]
    public SwitchParameter RootPasswordGenerate { get; set; }

    [Parameter, ValidateNotNullOrEmpty]
    public string? CloudInitNetworkConfig { get; set; }

    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter, ValidateRange(1, int.MaxValue)]
    public int TimeoutSec { get; set; }

    [Parameter]
    public SwitchParameter PrintXml { get; set; }

    /// <summary>The options as the engine takes them; a bad -Disk, -Filesystem spec throws <see cref="VmRequestException"/>.</summary>
    private protected VmInstallOptions InstallOptions(string vmName) => new()
    {
        Disks = (Disk ?? Array.Empty<object>()).Select(d => DiskSpec(vmName, d)).ToList(),
        Location = Location,
        ExtraArgs = ExtraArgs,
        CpuMode = IsBound(nameof(CpuMode)) ? CpuMode : null,
        CpuModel = CpuModel,
        Sockets = IsBound(nameof(Sockets)) ? Sockets : null,
        Cores = IsBound(nameof(Cores)) ? Cores : null,
        Threads = IsBound(nameof(Threads)) ? Threads : null,
        MaxVCpuCount = IsBound(nameof(MaxVCpuCount)) ? MaxVCpuCount : null,
        MaxMemoryBytes = IsBound(nameof(MaxMemory)) ? MaxMemory : null,
        NetworkModel = NetworkModel,
        DirectInterfaces = DirectInterface ?? Array.Empty<string>(),
        NoNetwork = NoNetwork,
        Pxe = Pxe,
        BootOrder = (BootOrder ?? Array.Empty<string>()).Select(b => b.ToLowerInvariant()).ToList(),
        GraphicsPort = IsBound(nameof(GraphicsPort)) ? GraphicsPort : null,
        GraphicsPassword = GraphicsPassword,
        Serial = Serial,
        Filesystems = (Filesystem ?? Array.Empty<string>()).Select(f => VmFilesystemSpec.Parse(vmName, f)).ToList(),
        SshKeys = SshKey ?? Array.Empty<string>(),
        HostDevices = HostDevice ?? Array.Empty<string>(),
        RootPasswordGenerate = RootPasswordGenerate,
        CloudInitNetworkConfig = CloudInitNetworkConfig,
        Wait = Wait,
        WaitTimeout = IsBound(nameof(TimeoutSec)) ? TimeSpan.FromSeconds(TimeoutSec) : null,
    };

    private static VmDiskRequest DiskSpec(string vmName, object spec) => (spec is PSObject pso ? pso.BaseObject : spec) switch
    {
        string text => VmDiskSpecText.Parse(vmName, text),
        IDictionary table => VmDiskSpecText.FromPairs(vmName, string.Join(",", table.Keys.Cast<object>().Select(k => $"{k}={Unwrap(table[k])}")),
            table.Keys.Cast<object>().Select(k => (k.ToString() ?? "", Unwrap(table[k])))),
        var other => throw new VmRequestException("InvalidDiskSpec", KvmErrorKind.InvalidArgument, vmName, $"-Disk takes strings (size=20,pool=images) or hashtables (@{{ Size = 20GB; Pool = 'images' }}), not {other?.GetType().Name ?? "null"}."),
    };

    private static object? Unwrap(object? value) => value is PSObject p ? p.BaseObject : value;
}
