using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Conversion;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Writes a VM as a KubeVirt VirtualMachine (kubevirt.io/v1), with CDI DataVolumes for
/// -DiskSource DataVolume, and the commands that bring its disk images into the cluster. What
/// KubeVirt cannot express is named in a warning and in the output's Unmapped property.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "KvmKubeVirt")]
[OutputType(typeof(KvmKubeVirtManifest))]
public sealed class ConvertToKvmKubeVirtCommand : KvmVMCmdlet
{
    /// <summary>Where the disks come from in the cluster: ContainerDisk (default), Pvc or DataVolume.</summary>
    [Parameter]
    public KvmKubeVirtDiskSource DiskSource { get; set; } = KvmKubeVirtDiskSource.ContainerDisk;

    /// <summary>storageClassName of the PVCs and DataVolumes (the cluster's default when omitted).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? StorageClass { get; set; }

    /// <summary>Namespace of the VirtualMachine and its DataVolumes.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Writes runStrategy Always (the VM starts when applied); without it Halted.</summary>
    [Parameter]
    public SwitchParameter Running { get; set; }

    /// <summary>Registry (and path) the container disk images are pushed to, e.g. registry.lab:5000/vms.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? ImageRegistry { get; set; }

    /// <summary>cloud-init user-data for a cloudInitNoCloud volume (in place of the VM's NoCloud seed CD-ROM).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? CloudInitUserData { get; set; }

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        foreach (var (value, what) in new[] { (Namespace, "-Namespace"), (StorageClass, "-StorageClass") })
        {
            if (value is not null && !(KubeVirtQuantity.IsDnsLabel(value) || (what == "-StorageClass" && System.Text.RegularExpressions.Regex.IsMatch(value, @"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$"))))
            {
                WriteError(ErrorHelper.InvalidArgument($"{what} '{value}' is not a Kubernetes name (lower-case letters, digits and '-').", "InvalidKubernetesName", value));
                return;
            }
        }
        string xml = DomainService.GetXmlForEdit(h, inactive: true);
        var options = new KubeVirtOptions
        {
            DiskSource = DiskSource,
            StorageClass = StorageClass,
            Namespace = Namespace,
            Running = Running,
            ImageRegistry = ImageRegistry,
            CloudInitUserData = CloudInitUserData,
            DiskSize = KubeVirtHostFacts.DiskSizeOf(conn),
            PciLookup = KubeVirtHostFacts.PciOf(conn),
        };
        KvmKubeVirtManifest m = KubeVirtConverter.Convert(xml, options, conn.Uri);
        foreach (string note in m.Notes)
        {
            WriteVerbose($"{name}: {note}");
        }
        if (m.Unmapped.Length > 0)
        {
            WriteWarning($"VM '{name}': {m.Unmapped.Length} setting(s) KubeVirt cannot express are not in the manifest (see its Unmapped property): {string.Join(" | ", m.Unmapped)}");
        }
        WriteObject(m);
    }
}
