using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Attaches an existing disk image, block device or storage volume to VMs: hot-plugged when the VM runs, and in its configuration.</summary>
[Cmdlet(VerbsCommon.Add, "KvmDisk", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class AddKvmDiskCommand : KvmDiskSettingsCmdlet
{
    /// <summary>Image file, block device or storage volume path on the host; volumes from Get-KvmVolume bind by their Path.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Guest target name (vdb, sda, ...); the next free one for the bus when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Target { get; set; }

    /// <summary>Bus: Virtio (virtio-blk), Scsi (on a virtio-scsi controller, added when missing), Sata or Usb.</summary>
    [Parameter]
    public KvmDiskBus Bus { get; set; } = KvmDiskBus.Virtio;

    /// <summary>Image format; detected with qemu-img info (local files) or from the storage volume when omitted.</summary>
    [Parameter]
    [ValidateSet("raw", "qcow2", "qed", "vmdk", "vdi", "vpc", "vhdx")]
    public string? Format { get; set; }

    protected override string FailureErrorId => "AddDiskFailed";

    protected override void ProcessDevice(LibvirtConnection conn, DomainHandle h, string name)
    {
        if (Target is not null && DeviceXml.CheckTarget(Target, Bus) is string badTarget)
        {
            Invalid(badTarget, "InvalidTarget", Target);
            return;
        }
        if (DeviceXml.CheckCacheIO(GivenCache is { } c ? DeviceXml.Value(c) : null, GivenIO is { } i ? DeviceXml.Value(i) : null) is string badIO)
        {
            Invalid(badIO, "IONativeNeedsDirectCache", name);
            return;
        }

        bool local = conn.IsLocal;
        string path = local ? GetUnresolvedProviderPathFromPSPath(Path) : Path;
        if (!local && RemotePath.Problem(conn.Uri, nameof(Path), path) is string relative)
        {
            Invalid(relative, "RelativePathOnRemoteHost", name);
            return;
        }
        string? format = Format;
        bool exists = local && File.Exists(path);
        var (isVolume, volumeFormat) = DiskSource.LookupVolume(conn, path);
        if (!exists && !isVolume)
        {
            if (local || format is null)
            {
                NotFound(local
                    ? $"'{path}' is neither a file nor a storage volume. Add-KvmDisk attaches existing storage: create it first (qemu-img create, or a volume in a pool)."
                    : $"'{path}' is no storage volume of {conn.Uri}, so its format cannot be read: give -Format.", "DiskNotFound", path);
                return;
            }
            WriteWarning($"'{path}' is no storage volume of {conn.Uri}, so it could not be checked: it is attached as {format} as given.");
        }
        if (format is null && exists && !DiskSource.IsBlockDevicePath(path))
        {
            try
            {
                format = DiskSource.DetectLocalFormat(path, CancelToken);
                WriteVerbose($"'{path}' is {format} (qemu-img info).");
            }
            catch (InvalidOperationException e) when (volumeFormat is not null)
            {
                WriteVerbose($"{e.Message}; using the storage volume's format, {volumeFormat}.");
            }
        }
        format ??= volumeFormat ?? "raw";

        var (config, live) = DeviceService.ReadDefinitions(h);
        if (DeviceXml.Disks(config ?? live!).Concat(live is null ? Enumerable.Empty<XElement>() : DeviceXml.Disks(live))
            .Any(d => ((string?)d.Element("source")?.Attribute("file") ?? (string?)d.Element("source")?.Attribute("dev")) == path))
        {
            InUse($"VM '{name}' already has a disk on '{path}'.", "DiskPathInUse", path);
            return;
        }
        string target = Target ?? DeviceXml.NextTarget(DeviceXml.TargetPrefix(Bus), config, live);
        if (Target is not null && (DeviceXml.FindDisk(config ?? live!, Target) ?? (live is null ? null : DeviceXml.FindDisk(live, Target))) is not null)
        {
            InUse($"VM '{name}' already has a disk with target {Target}.", "TargetInUse", Target);
            return;
        }
        if (!ReadOnly)
        {
            var writers = HostDomains.Read(conn).WritersOfPath(path, name).ToList();
            if (writers.Count > 0)
            {
                WriteWarning($"'{path}' is also a writable disk of VM(s) {string.Join(", ", writers)}: two VMs writing one image corrupt it unless the guests coordinate.");
            }
        }

        var devices = new List<XElement>();
        (int, int)? drive = null;
        if (Bus == KvmDiskBus.Scsi)
        {
            XElement basis = config ?? live!;
            int? controller = DeviceXml.VirtioScsiControllerIndex(basis);
            if (controller is null)
            {
                controller = Math.Max(DeviceXml.NextControllerIndex(basis, "scsi"), live is null ? 0 : DeviceXml.NextControllerIndex(live, "scsi"));
                devices.Add(DeviceXml.BuildVirtioScsiController(controller.Value));
                WriteVerbose($"VM '{name}' has no virtio-scsi controller: adding one (index {controller}).");
            }
            drive = (controller.Value, DeviceXml.NextScsiUnit(controller.Value, config, live));
        }
        XElement disk = DeviceXml.BuildDisk(new DiskSpec
        {
            Path = path,
            Format = format,
            Bus = Bus,
            Target = target,
            Cache = GivenCache,
            IO = GivenIO,
            Discard = Discard,
            ReadOnly = ReadOnly,
            IsBlockDevice = DiskSource.IsBlockDevicePath(path),
            DriveAddress = drive,
        });
        devices.Add(disk);
        if (!ShouldProcess(name, $"Add disk {target} ({Bus.ToString().ToLowerInvariant()}, {format}) from '{path}'"))
        {
            return;
        }
        WriteDebug(string.Join(Environment.NewLine, devices));
        string? notHotpluggable = Bus == KvmDiskBus.Sata ? "QEMU cannot hot-plug SATA disks" : null;
        DeviceChangeResult r = DeviceService.Add(conn, h, devices, notHotpluggable);
        ReportAdd(name, $"disk {target}", r);
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }
}
