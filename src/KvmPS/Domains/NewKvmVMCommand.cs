using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;

namespace KvmPS.Commands;

/// <summary>Creates a virtual machine the way virt-install does, with its storage, and optionally starts it.</summary>
[Cmdlet(VerbsCommon.New, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class NewKvmVMCommand : KvmVMInstallCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true), Alias("MemoryStartupBytes")]
    [ValidateSize(Memory = true)]
    public ulong Memory { get; set; }

    [Parameter, Alias("ProcessorCount")]
    [ValidateRange(1, 4096)]
    public int VCpuCount { get; set; } = 1;

    [Parameter]
    [ValidateSize]
    public ulong DiskSize { get; set; }

    [Parameter, ValidateNotNullOrEmpty]
    public string? DiskPath { get; set; }

    [Parameter]
    public KvmVolumeFormat DiskFormat { get; set; } = KvmVolumeFormat.Qcow2;

    [Parameter] public SwitchParameter Import { get; set; }

    [Parameter, ValidateNotNullOrEmpty]
    public string? Cdrom { get; set; }

    [Parameter] public SwitchParameter Force { get; set; }

    [Parameter]
    public VmGraphics Graphics { get; set; } = VmGraphics.Vnc;

    [Parameter, ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? GraphicsListen { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(OSVariantCompleter))]
    [ValidateNotNullOrEmpty]
    public string? OSVariant { get; set; }

    [Parameter]
    public VmFirmware Firmware { get; set; } = VmFirmware.Bios;

    [Parameter] public SwitchParameter SecureBoot { get; set; }

    [Parameter] public SwitchParameter Tpm { get; set; }

    [Parameter, ValidateNotNullOrEmpty, ArgumentCompleter(typeof(MachineTypeCompleter))]
    public string? MachineType { get; set; }

    [Parameter, ValidateNotNullOrEmpty]
    public string? SerialLogPath { get; set; }

    [Parameter, ValidateNotNullOrEmpty]
    public string? CloudInit { get; set; }

    [Parameter, ValidateNotNullOrEmpty]
    public string? CloudInitMetaData { get; set; }

    [Parameter, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Description { get; set; }

    [Parameter]
    public KvmVirtType VirtType { get; set; } = KvmVirtType.Auto;

    [Parameter]
    public KvmVMProfile Profile { get; set; } = KvmVMProfile.Default;

    [Parameter]
    public SwitchParameter Autostart { get; set; }

    [Parameter]
    public SwitchParameter Start { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override object? ErrorTarget => Name;

    protected override string FailureErrorId => "NewVMFailed";

    protected override void ProcessRecordCore()
    {
        if (!TakePipedObjects(GetConnection, Name, IsFromPipeline(nameof(Name))))
        {
            return;
        }
        VmPlan plan;
        try
        {
            // The request itself first: a bad one is refused before any host is asked.
            VmRequest request = Request();
            VmProvisioner.CheckRequest(request);
            plan = VmProvisioner.Plan(GetConnection(), request);
        }
        catch (VmRequestException e)
        {
            WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, e.Target));
            return;
        }
        foreach (string warning in plan.Warnings)
        {
            WriteWarning(warning);
        }
        if (PrintXml || WhatIfRequested)
        {
            VmInstallSteps steps = VmXmlPreview.Steps(plan, CancelToken);
            if (PrintXml)
            {
                WriteObject(new[] { steps.FirstBootXml, steps.FinalXml }.Where(x => x is not null), enumerateCollection: true);
                return;
            }
            WriteVerbose(steps.FirstBootXml is null ? $"Domain XML:\n{steps.FinalXml}" : $"First-boot XML:\n{steps.FirstBootXml}\nFinal XML:\n{steps.FinalXml}");
        }
        if (!ShouldProcess(Name, $"Create VM ({SizeText.Format(Memory)}, {VCpuCount} vCPU{(IsBound(nameof(DiskSize)) ? $", {SizeText.Format(DiskSize)} disk" : "")})"))
        {
            return;
        }

        VmProvisionResult result;
        try
        {
            result = VmProvisioner.Apply(plan, Report, CancelToken);
        }
        catch (Exception e) when (e is not (PipelineStoppedException or FlowControlException)
            && !(e is LibvirtException && !plan.Connection.IsAlive))
        {
            // The provisioner has removed what it made for the request.
            if (e is OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            WriteError(CreationError(e, Name, FailureErrorId));
            return;
        }
        WriteObject(Output(Wait ? WaitForInstall(plan, Report) : result.VM, plan));
    }

    private VmRequest Request() => new()
    {
        Name = Name,
        MemoryBytes = Memory,
        VCpuCount = VCpuCount,
        DiskSizeBytes = IsBound(nameof(DiskSize)) ? DiskSize : null,
        Pool = PoolName,
        DiskPath = DiskPath,
        DiskFormat = IsBound(nameof(DiskFormat)) ? (DiskFormat == KvmVolumeFormat.Raw ? "raw" : "qcow2") : null,
        Import = Import,
        Cdrom = Cdrom,
        Networks = Networks,
        Bridge = Bridge,
        MacAddresses = MacAddress,
        AllowMacAddressInUse = Force,
        Graphics = Graphics,
        GraphicsGiven = IsBound(nameof(Graphics)),
        FirmwareGiven = IsBound(nameof(Firmware)),
        NetworkGiven = IsBound(nameof(Network)) || IsBound(nameof(NetworkObject)) || IsBound(nameof(Bridge)),
        Tpm = Tpm,
        SecureBoot = SecureBoot,
        GraphicsListen = GraphicsListen,
        OSVariant = OSVariant,
        Firmware = Firmware,
        MachineType = MachineType,
        Kernel = Kernel,
        Initrd = Initrd,
        KernelArgs = KernelArgs,
        Install = InstallOptions(Name),
        SerialLogPath = SerialLogPath,
        CloudInitUserData = CloudInit,
        CloudInitMetaData = CloudInitMetaData,
        Description = Description,
        VirtType = VirtType switch { KvmVirtType.Kvm => VmVirtType.Kvm, KvmVirtType.Qemu => VmVirtType.Qemu, _ => VmVirtType.Auto },
        HighPerformance = Profile == KvmVMProfile.HighPerformance,
        Autostart = Autostart,
        Start = Start || Wait || PrintXml,
        ReadBack = true,
        ResolvePath = GetUnresolvedProviderPathFromPSPath,
    };

    private void Report(VmProgress p) =>
        (p.Kind switch { VmProgressKind.Warning => (Action<string>)WriteWarning, VmProgressKind.Debug => WriteDebug, VmProgressKind.Progress => ShowProgress, _ => WriteVerbose })(p.Message);
}
