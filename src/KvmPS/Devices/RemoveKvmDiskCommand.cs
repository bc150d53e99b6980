using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Detaches a disk, found by its target, from VMs. The image itself is never deleted.</summary>
[Cmdlet(VerbsCommon.Remove, "KvmDisk", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveKvmDiskCommand : KvmDeviceCmdlet
{
    /// <summary>Target name of the disk to detach (vdb, sda, ...).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DiskTargetCompleter))]
    public string Target { get; set; } = "";

    protected override string FailureErrorId => "RemoveDiskFailed";

    protected override void ProcessDevice(LibvirtConnection conn, DomainHandle h, string name)
    {
        var (config, live) = DeviceService.ReadDefinitions(h);
        XElement? disk = FindDevice(config, live, d => DeviceXml.FindDisk(d, Target));
        if (disk is null)
        {
            NotFound($"VM '{name}' has no disk with target {Target}.", "DiskNotFound", Target);
            return;
        }
        XElement? source = disk.Element("source");
        string? path = (string?)source?.Attribute("file") ?? (string?)source?.Attribute("dev") ?? (string?)source?.Attribute("volume");
        if (!ShouldProcess(name, $"Detach disk {Target}{(path is null ? "" : $" ('{path}' is kept)")}"))
        {
            return;
        }
        // Once detached, the image is no longer the VM's own: Remove-KvmVM -DeleteStorage must
        // not delete it later (it may be attached elsewhere by then).
        Action<XElement>? disown = null;
        if (path is not null && config is not null && DomainXml.OwnedPaths(config).Contains(path))
        {
            disown = d => d.Element("metadata")?.Element(DomainXml.KvmPSNs + "kvmps")?.Elements(DomainXml.KvmPSNs + "owned")
                .Where(o => (string?)o.Attribute("path") == path).Remove();
        }
        string? bus = (string?)disk.Element("target")?.Attribute("bus");
        string? notHotpluggable = bus is "sata" or "ide" ? $"QEMU cannot hot-unplug {bus.ToUpperInvariant()} disks" : null;
        DeviceChangeResult? r = DeviceService.Remove(conn, h, d => DeviceXml.FindDisk(d, Target), notHotpluggable, disown);
        if (r is not null)
        {
            ReportRemove(name, $"disk {Target}", r);
            if (disown is not null)
            {
                WriteVerbose($"'{path}' is kept and no longer counts as storage of VM '{name}'.");
            }
        }
    }
}
