using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Changes the cache, I/O, discard and read-only settings of a disk, found by its target (or the VM's only hard disk when it is left out). They take effect at the VM's next start.</summary>
[Cmdlet(VerbsCommon.Set, "KvmDisk", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class SetKvmDiskCommand : KvmDiskSettingsCmdlet
{
    /// <summary>Target name of the disk (vda, sdb, ...); may be left out when the VM has only one hard disk.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DiskTargetCompleter))]
    public string? Target { get; set; }

    protected override string FailureErrorId => "SetDiskFailed";

    protected override void ProcessDevice(LibvirtConnection conn, DomainHandle h, string name)
    {
        var (config, live) = DeviceService.ReadDefinitions(h);
        string? target = Target;
        if (target is null)
        {
            var (only, refusal) = DeviceChoice.OnlyDisk(name, config, live);
            if (refusal is not null)
            {
                WriteError(ErrorHelper.Refusal(refusal.Kind, refusal.Message, refusal.ErrorId, refusal.Target ?? name));
                return;
            }
            target = only!;
        }
        XElement? current = FindDevice(config, live, d => DeviceXml.FindDisk(d, target));
        if (current is null)
        {
            NotFound($"VM '{name}' has no disk with target {target}.", "DiskNotFound", target);
            return;
        }
        XElement? driver = current.Element("driver");
        string? cache = IsBound(nameof(Cache)) ? DeviceXml.Value(Cache) : (string?)driver?.Attribute("cache");
        string? io = IsBound(nameof(IO)) ? DeviceXml.Value(IO) : (string?)driver?.Attribute("io");
        if (DeviceXml.CheckCacheIO(cache, io) is string badIO)
        {
            Invalid($"Disk {target} of VM '{name}': {badIO}", "IONativeNeedsDirectCache", target);
            return;
        }
        if (config is null)
        {
            WriteError(ErrorHelper.Create(new InvalidOperationException(
                $"VM '{name}' is transient: the settings of its disks cannot change while it runs."),
                "TransientVM", ErrorCategory.InvalidOperation, name));
            return;
        }

        var changes = new List<string>();
        if (IsBound(nameof(Cache))) changes.Add($"cache={cache}");
        if (IsBound(nameof(IO))) changes.Add($"io={io}");
        if (IsBound(nameof(Discard))) changes.Add(Discard ? "discard=unmap" : "no discard");
        if (IsBound(nameof(ReadOnly))) changes.Add(ReadOnly ? "read-only" : "writable");
        if (changes.Count > 0 && ShouldProcess(name, $"Set disk {target}: {string.Join(", ", changes)}"))
        {
            DeviceChangeResult? r = DeviceService.Change(conn, h, d => DeviceXml.FindDisk(d, target),
                d => DeviceXml.SetDiskOptions(d,
                    GivenCache,
                    GivenIO,
                    IsBound(nameof(Discard)) ? Discard.IsPresent : null,
                    IsBound(nameof(ReadOnly)) ? ReadOnly.IsPresent : null),
                changeLive: null);
            if (r is not null)
            {
                ReportChange(name, $"disk {target}", r, null);
            }
        }
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }
}
