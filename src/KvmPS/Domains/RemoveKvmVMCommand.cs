using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Snapshots;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Removes virtual machines. Disks are kept unless -DeleteStorage is given.</summary>
[Cmdlet(VerbsCommon.Remove, "KvmVM", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveKvmVMCommand : KvmVMCmdlet
{
    /// <summary>
    /// Does not ask for confirmation; turns a running VM off first (without it a running VM is
    /// refused); with -DeleteStorage, also deletes owned storage that other VMs use (without it
    /// that is refused).
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Also deletes the storage KvmPS created for this VM (its owned disks and seed ISO), and its UEFI variables.</summary>
    [Parameter]
    public SwitchParameter DeleteStorage { get; set; }

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        bool active = DomainService.IsActive(h);
        if (active && !Force)
        {
            WriteError(ErrorHelper.Create(
                new InvalidOperationException($"VM '{name}' is running. Stop it first, or use -Force to turn it off and remove it."),
                "VMRunning", ErrorCategory.InvalidOperation, name));
            return;
        }
        var snapshots = SnapshotService.Names(h);
        if (snapshots.Count > 0 && !Force)
        {
            WriteError(ErrorHelper.Create(
                new InvalidOperationException($"VM '{name}' has snapshots: {string.Join(", ", snapshots.Select(s => $"'{s}'"))}. Remove them first (Remove-KvmSnapshot), or use -Force to remove the VM with their metadata."),
                "VMHasSnapshots", ErrorCategory.InvalidOperation, name));
            return;
        }
        bool persistent = DomainService.IsPersistent(h);
        XElement inactive = SafeXml.Parse(persistent ? DomainService.GetInactiveXml(h) : LibvirtConnection.GetXml(h));
        // The overlay and memory files KvmPS made for snapshots count as the VM's disks here.
        var snapshotFiles = new XElement("domain", new XElement("devices", SnapshotRecord.AllFiles(inactive)
            .Select(p => new XElement("disk", new XElement("source", new XAttribute("file", p))))));
        var (owned, notSources) = OwnedStorage.Plan(inactive, snapshotFiles);
        if (DeleteStorage && !StorageMayGo(conn, name, owned))
        {
            return;
        }
        string what = DeleteStorage && owned.Count > 0
            ? $"Remove VM and delete its storage: {string.Join(", ", owned)}"
            : "Remove VM (its disks are kept)";
        if (snapshots.Count > 0)
        {
            what += $", with its snapshots {string.Join(", ", snapshots)}";
        }
        if (active)
        {
            what = "Turn off the running VM (unsaved guest data is lost), then r" + what[1..];
        }
        if (!ShouldProcess(name, what, Force))
        {
            return;
        }
        if (active)
        {
            WriteVerbose($"Turning off VM '{name}'.");
            DomainService.Destroy(h);
        }
        // A transient VM is gone once turned off; only a persistent one has a definition left.
        if (persistent)
        {
            DomainService.Undefine(h, removeNvram: DeleteStorage);
        }
        WriteVerbose($"Removed VM '{name}'.");
        if (DeleteStorage)
        {
            foreach (string path in notSources)
            {
                WriteWarning($"'{path}' is listed as owned by VM '{name}' but is not one of its disks; it was left in place.");
            }
            bool local = conn.IsLocal;
            foreach (string path in owned)
            {
                try
                {
                    WriteVerbose(OwnedStorage.Delete(conn, path, local));
                }
                catch (Exception e) when (e is LibvirtException or IOException or UnauthorizedAccessException)
                {
                    WriteError(ErrorHelper.Create(e, "DeleteStorageFailed", ErrorCategory.WriteError, path,
                        $"VM '{name}' was removed but its storage '{path}' could not be deleted: {e.Message}"));
                }
            }
        }
    }

    /// <summary>
    /// Checks, before anything is removed, that no other VM on the host uses the storage to be
    /// deleted (as its disk or under its overlay); with -Force it goes anyway, with a warning.
    /// </summary>
    private bool StorageMayGo(LibvirtConnection conn, string name, List<string> owned)
    {
        if (owned.Count == 0)
        {
            return true;
        }
        var shared = OwnedStorage.SharedWithOthers(StorageUsage.Read(conn), owned, name);
        if (shared.Count == 0)
        {
            return true;
        }
        string uses = StorageUsage.Describe(shared);
        if (Force)
        {
            WriteWarning($"Deleting storage of VM '{name}' that other VMs use (-Force): {uses}.");
            return true;
        }
        WriteError(ErrorHelper.Create(
            new InvalidOperationException($"VM '{name}' was not removed: other VMs use its storage: {uses}. Remove or change those VMs first, remove it without -DeleteStorage, or use -Force to delete the storage anyway."),
            "StorageInUse", ErrorCategory.ResourceBusy, name));
        return false;
    }
}
