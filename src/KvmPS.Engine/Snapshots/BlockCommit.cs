using KvmPS.Engine.Native;

namespace KvmPS.Engine.Snapshots;

/// <summary>
/// Merges an overlay of a running VM's disk into the image under it (virDomainBlockCommit): an
/// active commit and a pivot when the overlay is the disk's active layer, a plain commit when
/// other overlays sit on top of it. Progress comes from the block job's info; a cancellation, or any
/// failure while it runs (the progress callback's too), aborts the job (without a pivot, so the VM
/// keeps using its overlay) and waits until it is gone.
/// </summary>
public static class BlockCommit
{
    /// <summary>How often the job is polled.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Merges <paramref name="top"/> into <paramref name="bas"/> on disk <paramref name="disk"/> of the running VM <paramref name="h"/>; <paramref name="cancel"/> aborts the job.</summary>
    /// <param name="h">The running VM.</param>
    /// <param name="disk">The disk's target (vda).</param>
    /// <param name="cancel">Aborts the job cleanly (no pivot) and throws OperationCanceledException.</param>
    /// <param name="top">The overlay to merge away.</param>
    /// <param name="bas">The image to merge it into.</param>
    /// <param name="active">Whether <paramref name="top"/> is the disk's active layer (then the VM pivots onto <paramref name="bas"/>).</param>
    /// <param name="bandwidth">Bytes per second the merge may use; 0 for no limit.</param>
    /// <param name="progress">Bytes done and the job's end, as the job reports them.</param>
    public static void Run(DomainHandle h, string disk, string top, string bas, bool active, ulong bandwidth, Action<ulong, ulong> progress, CancellationToken cancel)
    {
        LibvirtException.Check(Libvirt.virDomainBlockCommit(h, disk, bas, active ? null : top, bandwidth,
            (active ? Libvirt.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE : 0) | (bandwidth > 0 ? Libvirt.VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES : 0)), "virDomainBlockCommit");
        bool pivoted = false;
        try
        {
            while (true)
            {
                cancel.ThrowIfCancellationRequested();
                int r = LibvirtException.Check(Libvirt.virDomainGetBlockJobInfo(h, disk, out var info, 0), "virDomainGetBlockJobInfo");
                if (r == 0)
                {
                    return; // the job is gone: done (after the pivot for an active commit)
                }
                progress(info.Cur, info.End);
                // libvirt reports cur == end for an active commit only once the job is ready to pivot.
                if (active && !pivoted && info.End > 0 && info.Cur == info.End)
                {
                    LibvirtException.Check(Libvirt.virDomainBlockJobAbort(h, disk, Libvirt.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT), "virDomainBlockJobAbort");
                    pivoted = true;
                }
                Thread.Sleep(Poll);
            }
        }
        catch when (!pivoted)
        {
            // Whatever ends the wait — a cancellation, or the progress callback throwing because the
            // pipeline was stopped while it wrote — must not leave the job running.
            Abort(h, disk);
            throw;
        }
    }

    private static void Abort(DomainHandle h, string disk)
    {
        if (Libvirt.virDomainBlockJobAbort(h, disk, 0) < 0)
        {
            Libvirt.virResetLastError(); // the job ended on its own in the meantime
        }
        for (int i = 0; i < 600 && Libvirt.virDomainGetBlockJobInfo(h, disk, out _, 0) == 1; i++)
        {
            Thread.Sleep(Poll);
        }
        Libvirt.virResetLastError();
    }
}
