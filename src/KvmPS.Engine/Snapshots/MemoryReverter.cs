using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Snapshots;

/// <summary>
/// Carries out a <see cref="MemoryRevertPlan"/>: every step that changes something records its
/// undo first, and a failure before the guest runs from the snapshot undoes them newest first —
/// the new overlays deleted, the definition and the snapshot metadata put back, and a VM that was
/// running resumed from the state it was saved in. Only after the restore succeeded are the old
/// overlays and the saved present state deleted.
/// </summary>
public static class MemoryReverter
{
    public static void Apply(LibvirtConnection conn, DomainHandle h, MemoryRevertPlan plan, Action<string> verbose)
    {
        string vm = plan.VMName;
        bool local = conn.IsLocal;
        var undo = new UndoLog();
        bool saved = false;
        try
        {
            if (DomainService.IsActive(h))
            {
                verbose($"Saving the present state of VM '{vm}' to '{plan.KeepFile}' (the VM stops; a failure resumes it from there).");
                LibvirtException.Check(Libvirt.virDomainSaveFlags(h, plan.KeepFile, null, 0), "virDomainSaveFlags");
                saved = true;
                undo.Record($"the saved state '{plan.KeepFile}'", () => Resume(conn, h, plan), e =>
                    $"VM '{vm}' could not be resumed from '{plan.KeepFile}' ({Reason(e)}); its state before the revert is in that file: Restore it with 'virsh restore {plan.KeepFile}'.");
            }
            string before = DomainService.GetXmlForEdit(h, inactive: true);
            DomainEditor.EditConfig(conn, h, config => MemoryRevertPlanner.PointAtFrozen(config, plan));
            undo.Record("the definition", () =>
            {
                DomainService.Define(conn, before).Dispose();
                return $"Defined VM '{vm}' again as it was.";
            }, e => $"VM '{vm}': its definition could not be put back ({Reason(e)}); its disks may point at the images the snapshot froze.");

            undo.RecordPending("the new overlays", () => string.Join(" ", plan.Disks.Select(d => OwnedStorage.Delete(conn, d.NewOverlay, local))),
                $"Remove-Item {string.Join(", ", plan.Disks.Select(d => d.NewOverlay))}");
            verbose($"New overlays on the frozen images: {string.Join(", ", plan.Disks.Select(d => $"{d.Target}: {d.NewOverlay}"))}.");
            IntPtr p = Libvirt.virDomainSnapshotCreateXML(h, plan.OverlayXml,
                Libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY | Libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA | Libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC);
            if (p == IntPtr.Zero)
            {
                throw LibvirtException.FromLastError("virDomainSnapshotCreateXML");
            }
            Libvirt.virDomainSnapshotFree(p);

            string original = SnapshotService.GetXml(h, plan.Name);
            string? current = SnapshotService.Names(h).FirstOrDefault(n => SnapshotService.IsCurrent(h, n));
            string? currentXml = current is null || current == plan.Name ? null : SnapshotService.GetXml(h, current);
            SnapshotService.Redefine(h, plan.SnapshotXml, current: true);
            undo.Record($"snapshot '{plan.Name}'", () =>
            {
                SnapshotService.Redefine(h, original, current: current == plan.Name);
                if (currentXml is not null)
                {
                    SnapshotService.Redefine(h, currentXml, current: true);
                }
                return $"Snapshot '{plan.Name}' is as it was{(current is null ? "" : $"; '{current}' is the current snapshot again")}.";
            }, e => $"Snapshot '{plan.Name}' of VM '{vm}' could not be put back ({Reason(e)}); its disks may name the new overlays.");

            verbose($"Resuming VM '{vm}' from the memory file '{plan.MemoryFile}' of snapshot '{plan.Name}' on the new overlays (virDomainRestoreFlags{(plan.StartPaused ? ", paused" : "")}).");
            uint flags = plan.StartPaused ? Libvirt.VIR_DOMAIN_SAVE_PAUSED : Libvirt.VIR_DOMAIN_SAVE_RUNNING;
            LibvirtException.Check(Libvirt.virDomainRestoreFlags(conn.Handle, plan.MemoryFile, plan.RestoreXml, flags), "virDomainRestoreFlags");
            undo.Commit();
        }
        catch (Exception)
        {
            var (done, failed) = undo.Rollback();
            done.ForEach(verbose);
            failed.ForEach(EngineWarnings.Add);
            throw;
        }
        foreach (string file in plan.Disks.Select(d => d.OldOverlay).Concat(saved ? [plan.KeepFile] : []).Distinct())
        {
            try
            {
                verbose(OwnedStorage.Delete(conn, file, local));
            }
            catch (Exception e) when (e is LibvirtException or IOException or UnauthorizedAccessException)
            {
                EngineWarnings.Add($"VM '{vm}' was restored to snapshot '{plan.Name}', but '{file}' (no longer used) could not be deleted: {Reason(e)}.");
            }
        }
    }

    /// <summary>Reads the definition saved in a memory file (a libvirt save image), with its secrets, for the restore's dxml.</summary>
    public static string ReadSaveImageXml(LibvirtConnection conn, string file) =>
        Libvirt.TakeString(Libvirt.virDomainSaveImageGetXMLDesc(conn.Handle, file, Libvirt.VIR_DOMAIN_SAVE_IMAGE_XML_SECURE))
            ?? throw LibvirtException.FromLastError("virDomainSaveImageGetXMLDesc");

    private static string Resume(LibvirtConnection conn, DomainHandle h, MemoryRevertPlan plan)
    {
        if (DomainService.IsActive(h))
        {
            DomainService.Destroy(h);
        }
        LibvirtException.Check(Libvirt.virDomainRestoreFlags(conn.Handle, plan.KeepFile, null, 0), "virDomainRestoreFlags");
        string said = OwnedStorage.Delete(conn, plan.KeepFile, conn.IsLocal);
        return $"VM '{plan.VMName}' resumed from its state before the revert. {said}";
    }

    private static string Reason(Exception e) => e is LibvirtException le ? le.LibvirtMessage : e.Message;
}
