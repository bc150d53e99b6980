using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// How New-KvmVM reports an install: the error of a request that failed half-way, -Wait with its
/// progress bar, and the output VM (with a generated root password as a SecureString).
/// </summary>
public abstract class KvmVMInstallRunCmdlet : KvmVMCreationCmdlet
{
    /// <summary>The error of a request that failed half-way (the provisioner has removed what it made).</summary>
    private protected static ErrorRecord CreationError(Exception e, string name, string failureId)
    {
        string message = $"Could not create VM '{name}'; what was created was removed";
        return e is LibvirtException le
            ? ErrorHelper.Libvirt(le, failureId, name, message)
            : ErrorHelper.Create(e, e is PayloadTooLargeException ? PayloadTooLargeException.ErrorId : failureId,
                e is InvalidOperationException ? ErrorCategory.ResourceExists
                : e is PayloadTooLargeException ? ErrorCategory.InvalidArgument
                : e is KvmPS.Engine.Tuning.TuningException ? ErrorCategory.InvalidArgument
                : ErrorHelper.CategoryOfHostFailure(e) ?? ErrorCategory.NotSpecified,
                name, $"{message}: {e.Message}");
    }

    /// <summary>
    /// -Wait: waits (with a progress bar) for the install boot to end, starts the final
    /// configuration and returns the VM; at the timeout writes InstallTimeout (the install goes on).
    /// </summary>
    private protected KvmVM? WaitForInstall(VmPlan plan, Action<VmProgress> report)
    {
        var record = new ProgressRecord(1, $"Installing VM '{plan.Request.Name}'", "Waiting for the installer's reboot");
        _progress = record;
        try
        {
            using DomainHandle h = plan.Connection.LookupDomain(plan.Uuid);
            VmInstallRun.WaitAndStartFinal(h, plan.Request.Name, plan.Request.Install.WaitTimeout, report, CancelToken);
            return DomainService.Get(plan.Connection, h);
        }
        catch (TimeoutException e)
        {
            WriteError(ErrorHelper.Create(e, "InstallTimeout", ErrorCategory.OperationTimeout, plan.Request.Name, e.Message));
            return null;
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            record.RecordType = ProgressRecordType.Completed;
            WriteProgress(record);
            _progress = null;
        }
    }

    private ProgressRecord? _progress;

    /// <summary>
    /// The VM to output; with -RootPasswordGenerate it carries the generated password as a
    /// SecureString (GeneratedRootPassword), never as text.
    /// </summary>
    private protected object? Output(KvmVM? vm, VmPlan plan)
    {
        if (vm is null || plan.GeneratedRootPassword is null)
        {
            return vm;
        }
        WriteVerbose($"A root password was generated for VM '{vm.Name}': it is the GeneratedRootPassword property (a SecureString) of the output, and must be changed at the first login.");
        var o = PSObject.AsPSObject(vm);
        o.Properties.Add(new PSNoteProperty("GeneratedRootPassword", plan.GeneratedRootPassword));
        return o;
    }

    /// <summary>Shows a progress message of the provisioner on the progress bar of -Wait.</summary>
    private protected void ShowProgress(string message)
    {
        if (_progress is not null)
        {
            _progress.StatusDescription = message;
            WriteProgress(_progress);
        }
    }
}
