using System.Diagnostics;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Runs the install the way virt-install does: the first boot as a transient domain from its own
/// XML (virDomainCreateXML), then the final XML defined over it (virDomainDefineXML), so the
/// persistent definition is the final one while the install runs; with -Wait, waits for the
/// install boot to end (its on_reboot=destroy) and starts the final configuration.
/// </summary>
public static class VmInstallRun
{
    /// <summary>How often the install domain's state is read while waiting.</summary>
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Defines the VM (and starts its first boot when asked); records the undo step first, which
    /// destroys the domain and removes its definition, whichever of them exists.
    /// </summary>
    public static DomainHandle DefineAndStart(LibvirtConnection conn, VmPlan plan, VmInstallSteps steps, UndoLog undo, Action<string> say)
    {
        VmRequest r = plan.Request;
        undo.RecordPending($"The half-made VM '{r.Name}'", () => RemoveIfOurs(conn, r.Name, plan.Uuid), Leftover.RemoveVMCommand(r.Name, conn.Uri));
        if (r.Start && steps.FirstBootXml is string first)
        {
            PayloadLimit.Check("The domain XML", first, conn);
            say($"Starting the install of VM '{r.Name}' from its first-boot configuration (it ends at the guest's first reboot).");
            IntPtr p = Libvirt.virDomainCreateXML(conn.Handle, first, 0);
            if (p == IntPtr.Zero)
            {
                throw LibvirtException.FromLastError("virDomainCreateXML");
            }
            new DomainHandle(p).Dispose();
            DomainHandle defined = DomainService.Define(conn, steps.FinalXml);
            if (r.Autostart)
            {
                DomainService.SetAutostart(defined, true);
            }
            return defined;
        }
        DomainHandle domain = DomainService.Define(conn, steps.FinalXml);
        if (r.Autostart)
        {
            DomainService.SetAutostart(domain, true);
        }
        if (r.Start)
        {
            say($"Starting VM '{r.Name}'.");
            DomainService.Start(domain);
        }
        return domain;
    }

    /// <summary>
    /// Waits until the install boot ends (the guest's reboot, or a shutdown), then starts the final
    /// configuration. Reports the time waited; throws <see cref="TimeoutException"/> at the timeout
    /// (the install keeps running) and <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public static void WaitAndStartFinal(DomainHandle domain, string name, TimeSpan? timeout, Action<VmProgress>? progress, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        while (DomainService.IsActive(domain))
        {
            TimeSpan waited = clock.Elapsed;
            if (timeout is TimeSpan limit && waited >= limit)
            {
                throw new TimeoutException($"The install of VM '{name}' did not end within {limit}; it is still running. When it has rebooted, start the final configuration with: Start-KvmVM -Name '{name}'");
            }
            progress?.Invoke(new VmProgress(VmProgressKind.Progress, $"Waiting for the install of VM '{name}' to reboot ({(int)waited.TotalSeconds} s)"));
            cancel.WaitHandle.WaitOne(PollInterval);
            cancel.ThrowIfCancellationRequested();
        }
        var (state, reason) = DomainService.GetState(domain);
        if (state == KvmVMState.Crashed || (state == KvmVMState.ShutOff && reason == ShutoffCrashed))
        {
            throw new InvalidOperationException($"The install boot of VM '{name}' crashed; the final configuration was not started.");
        }
        progress?.Invoke(new VmProgress(VmProgressKind.Verbose, $"The install of VM '{name}' has ended; starting its final configuration."));
        DomainService.Start(domain);
    }

    /// <summary>
    /// Deletes the cloud-init seed once the first boot has it open, as virt-install does: the
    /// final definition has it ejected, and it holds the user-data. A failure is only reported.
    /// </summary>
    public static string DeleteSeed(LibvirtConnection conn, string path, bool local)
    {
        try
        {
            return "The first boot has the cloud-init seed open: " + OwnedStorage.Delete(conn, path, local);
        }
        catch (Exception e) when (e is LibvirtException or IOException or UnauthorizedAccessException)
        {
            return $"The cloud-init seed '{path}' could not be deleted ({e.Message}); it is no longer used by VM definitions.";
        }
    }

    /// <summary>VIR_DOMAIN_SHUTOFF_CRASHED.</summary>
    private const int ShutoffCrashed = 3;

    /// <summary>Undoes the define and the first boot: only the domain of this request (its UUID).</summary>
    public static string RemoveIfOurs(LibvirtConnection conn, string name, Guid uuid)
    {
        DomainHandle h;
        try
        {
            h = conn.LookupDomain(uuid);
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
        {
            return $"VM '{name}' was not defined; nothing to undefine.";
        }
        using (h)
        {
            bool persistent = DomainService.IsPersistent(h);
            if (DomainService.IsActive(h))
            {
                DomainService.Destroy(h);
            }
            if (persistent)
            {
                DomainService.Undefine(h, removeNvram: true);
            }
        }
        return $"Undefined the half-made VM '{name}'.";
    }
}
