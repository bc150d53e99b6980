using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Makes (or takes) the disks of a plan for <see cref="VmProvisioner.Apply"/>: a pool volume, a
/// new image file, an existing file or CD-ROM image; a new qcow2 overlay of a backing image. Each
/// thing made goes into the undo log before or as it is made.
/// </summary>
public static class VmDiskMaker
{
    public static VmDiskSpec Make(LibvirtConnection conn, VmPlan plan, VmDiskPlan d, UndoLog undo, List<string> created,
        Action<string> say, CancellationToken cancel)
    {
        VmDiskOptions? o = d.Options;
        switch (d.Source)
        {
            case VmDiskSource.PoolVolume when o?.BackingStore is not null:
                say($"Creating volume '{d.Location}' ({d.SizeBytes} bytes) in pool '{d.Pool}', an overlay of '{o.BackingStore}'.");
                undo.RecordPending($"Volume '{d.Pool}/{d.Location}'", () => VmStorage.DeletePoolVolumeIfExists(conn, d.Pool!, d.Location),
                    Leftover.RemoveVolumeCommand(d.Pool!, d.Location, conn.Uri));
                string backed = CreateBackedVolume(conn, d, o.BackingStore, plan.Local ? ProbeOrNull(o.BackingStore, cancel) : null);
                created.Add(backed);
                return new VmDiskSpec { Path = backed, Format = "qcow2", Owned = true, Options = o };
            case VmDiskSource.PoolVolume:
                say($"Creating volume '{d.Location}' ({d.SizeBytes} bytes) in pool '{d.Pool}'.");
                // Recorded before the create: if the host goes away during it, the volume may exist anyway.
                PendingVolumes pending = PendingVolumes.Default;
                undo.RecordPending($"Volume '{d.Pool}/{d.Location}'", () => VmUndo.DeletePending(conn, pending, d.Pool!, d.Location),
                    Leftover.RemoveVolumeCommand(d.Pool!, d.Location, conn.Uri));
                var (path, reused) = VmStorage.CreatePoolVolume(conn, d.Pool!, d.Location, d.SizeBytes, d.Format!, pending);
                undo.OnCommit(() => pending.Remove(conn.Uri, d.Pool!, d.Location));
                if (reused)
                {
                    say($"Using volume '{d.Pool}/{d.Location}': an earlier run of this request made it and was interrupted (unused, never written, same size and format).");
                }
                created.Add(path);
                return new VmDiskSpec { Path = path, Format = d.Format!, Owned = true, Options = o };
            case VmDiskSource.NewFile:
                if (o?.BackingStore is string backing)
                {
                    say($"Creating disk '{d.Location}' (qcow2), an overlay of '{backing}'.");
                    CreateOverlayFile(d.Location, d.SizeBytes, backing, ProbeOrNull(backing, cancel), cancel);
                }
                else
                {
                    say($"Creating disk '{d.Location}' ({d.SizeBytes} bytes, {d.Format}).");
                    VmStorage.CreateImageFileAsync(d.Location, d.SizeBytes, d.Format!, cancel).GetAwaiter().GetResult();
                }
                Owned(conn, plan, undo, created, d.Location);
                return new VmDiskSpec { Path = d.Location, Format = d.Format ?? "qcow2", Owned = true, Options = o };
            default:
                bool cdrom = o?.Device == "cdrom";
                string format = cdrom ? "raw" : d.Format ?? VmStorage.ProbeFormat(d.Location, cancel);
                say($"Using the existing {(cdrom ? "CD-ROM image" : "disk")} '{d.Location}' ({format}).");
                return new VmDiskSpec { Path = d.Location, Format = format, Device = cdrom ? "cdrom" : "disk", Options = o };
        }
    }

    /// <summary>Records a file or volume made for the VM (it owns it): removed again on a failure.</summary>
    public static void Owned(LibvirtConnection conn, VmPlan plan, UndoLog undo, List<string> created, string path)
    {
        created.Add(path);
        undo.Record($"'{path}'", () => OwnedStorage.Delete(conn, path, plan.Local), e => Leftover.NotRemoved($"'{path}'",
            e is LibvirtException le ? le.LibvirtMessage : e.Message, VmUndo.RemoveStorageCommand(conn, path, plan.Local)));
    }

    private static string? ProbeOrNull(string path, CancellationToken cancel) => File.Exists(path) ? VmStorage.ProbeFormat(path, cancel) : null;

    private static string CreateBackedVolume(LibvirtConnection conn, VmDiskPlan d, string backing, string? backingFormat)
    {
        using StoragePool p = StoragePool.TryLookup(conn, d.Pool!) ?? throw new InvalidOperationException($"No storage pool named '{d.Pool}'.");
        using (StorageVolume? existing = p.TryLookupVolume(d.Location))
        {
            if (existing is not null)
            {
                throw new InvalidOperationException($"Pool '{d.Pool}' already has a volume named '{d.Location}'; it was left untouched.");
            }
        }
        using StorageVolume vol = p.CreateVolume(StorageVolumeXml.Build(new VolumeDefinition
        {
            Name = d.Location, CapacityBytes = d.SizeBytes, Format = "qcow2", BackingPath = backing, BackingFormat = backingFormat,
        }));
        return vol.GetDefinition().Path ?? throw new InvalidOperationException($"libvirt reports no path for volume '{d.Location}'.");
    }

    private static void CreateOverlayFile(string path, ulong bytes, string backing, string? backingFormat, CancellationToken cancel)
    {
        var args = new List<string> { "create", "-q", "-f", "qcow2", "-b", backing };
        if (backingFormat is not null)
        {
            args.AddRange(new[] { "-F", backingFormat });
        }
        args.Add(path);
        if (bytes > 0)
        {
            args.Add(bytes.ToString(CultureInfo.InvariantCulture));
        }
        BufferedCommandResult result = Cli.Wrap("qemu-img").WithArguments(args).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancel).GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw new IOException($"qemu-img create failed ({result.ExitCode}): {result.StandardError.Trim()}");
        }
    }
}
