using KvmPS.Engine.Native;

namespace KvmPS.Engine.Migration;

/// <summary>
/// Runs one migration: virDomainMigrate3 on a worker thread while the caller's thread reads the
/// job's statistics every half second and reports them. Cancelling (Ctrl+C) or running past the
/// timeout aborts the job with virDomainAbortJob: libvirt then leaves the VM running on the source
/// and removes what it had started on the destination.
/// </summary>
public static unsafe class MigrationRunner
{
    public static MigrationOutcome Run(LibvirtConnection source, DomainHandle domain, LibvirtConnection destination, MigrationPlan plan,
        TimeSpan? timeout, Action<MigrationProgress> progress, CancellationToken cancel)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        Task<IntPtr> job = Task.Factory.StartNew(() => Migrate(domain, destination, plan), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        int reports = 0;
        string? aborted = null;
        // WhenAny never throws: a failed job is read below, with the reason it was aborted.
        while (!Task.WhenAny(job, Task.Delay(500)).GetAwaiter().GetResult().Equals(job))
        {
            if (aborted is null && cancel.IsCancellationRequested)
            {
                aborted = "cancelled";
                Abort(domain);
            }
            else if (aborted is null && timeout is TimeSpan t && started.Elapsed > t)
            {
                aborted = "timeout";
                Abort(domain);
            }
            if (aborted is null && ReadStats(domain, 0) is MigrationProgress p)
            {
                progress(p);
                reports++;
            }
        }
        IntPtr result;
        try
        {
            result = job.GetAwaiter().GetResult();
        }
        catch (LibvirtException) when (aborted == "cancelled")
        {
            throw new OperationCanceledException("the migration was cancelled; the VM keeps running on the source", cancel);
        }
        catch (LibvirtException e) when (aborted == "timeout")
        {
            throw new LibvirtException(e.Function, LibvirtErrorCode.OperationTimeout, e.ErrorDomain,
                $"the migration did not finish within {timeout!.Value.TotalSeconds:0.#} s and was aborted; the VM keeps running on the source");
        }
        var moved = new DomainHandle(result);
        // 1 | 2: the completed job's statistics, kept (KEEP_COMPLETED) so that virsh domjobinfo
        // --completed and other readers on the destination still see them.
        ulong? downtime = ReadStats(moved, 1 | 2)?.DowntimeMs;
        started.Stop();
        using (moved)
        {
            return new MigrationOutcome(Domains.DomainService.Get(destination, moved), started.Elapsed, downtime, reports);
        }
    }

    private static IntPtr Migrate(DomainHandle domain, LibvirtConnection destination, MigrationPlan plan)
    {
        IntPtr parameters = IntPtr.Zero;
        int n = 0, max = 0;
        try
        {
            foreach (KeyValuePair<string, object> kv in plan.Parameters)
            {
                int rc = kv.Value switch
                {
                    ulong u => Libvirt.virTypedParamsAddULLong(&parameters, &n, &max, kv.Key, u),
                    _ => Libvirt.virTypedParamsAddString(&parameters, &n, &max, kv.Key, kv.Value.ToString()!),
                };
                LibvirtException.Check(rc, "virTypedParamsAdd");
            }
            IntPtr moved = Libvirt.virDomainMigrate3(domain, destination.Handle, parameters, (uint)n, (uint)plan.Flags);
            return moved == IntPtr.Zero ? throw LibvirtException.FromLastError("virDomainMigrate3") : moved;
        }
        finally
        {
            if (parameters != IntPtr.Zero)
            {
                Libvirt.virTypedParamsFree(parameters, n);
            }
        }
    }

    private static void Abort(DomainHandle domain)
    {
        if (Libvirt.virDomainAbortJob(domain) < 0)
        {
            // The job may have just ended: its own result says how.
            Libvirt.virResetLastError();
        }
    }

    /// <summary>The job's statistics (flags 1: the last completed job's), or null when there is no job to read.</summary>
    internal static MigrationProgress? ReadStats(DomainHandle domain, uint flags)
    {
        int type;
        IntPtr p = IntPtr.Zero;
        int n = 0;
        if (Libvirt.virDomainGetJobStats(domain, &type, &p, &n, flags) < 0)
        {
            Libvirt.virResetLastError();
            return null;
        }
        try
        {
            if (type == 0)
            {
                return null;
            }
            return new MigrationProgress(Get(p, n, "data_total"), Get(p, n, "data_processed"), Get(p, n, "data_remaining"),
                Get(p, n, "memory_bps"), Get(p, n, "downtime"), Get(p, n, "time_elapsed"));
        }
        finally
        {
            Libvirt.virTypedParamsFree(p, n);
        }
    }

    private static ulong? Get(IntPtr p, int n, string name)
    {
        ulong v;
        return Libvirt.virTypedParamsGetULLong(p, n, name, &v) == 1 ? v : null;
    }
}
