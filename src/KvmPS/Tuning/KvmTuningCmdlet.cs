using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using KvmPS.Engine.Tuning;

namespace KvmPS.Commands;

/// <summary>
/// Base of the CPU, NUMA and memory cmdlets: a refused request becomes an ErrorRecord for that VM
/// (the others go on), and configuration edits are validated on a copy before ShouldProcess, so
/// -WhatIf reports bad input and a refused request changes nothing.
/// </summary>
public abstract class KvmTuningCmdlet : KvmVMCmdlet
{
    protected sealed override void ProcessVM(LibvirtConnection conn, DomainHandle domain, string name)
    {
        try
        {
            ProcessTuning(conn, domain, name);
        }
        catch (TuningException e)
        {
            var category = e.Kind switch
            {
                TuningErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
                TuningErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
                _ => ErrorCategory.InvalidArgument,
            };
            WriteError(ErrorHelper.Create(e, e.ErrorId, category, name, e.Message));
        }
    }

    protected abstract void ProcessTuning(LibvirtConnection conn, DomainHandle domain, string name);

    /// <summary>The persistent definition, or a TuningException for a transient VM.</summary>
    protected static XElement ReadPersistentConfig(DomainHandle h, string name)
    {
        if (!DomainService.IsPersistent(h))
        {
            throw new TuningException("TransientVM",
                $"VM '{name}' is transient: it has no persistent definition to change.", TuningErrorKind.InvalidOperation);
        }
        return SafeXml.Parse(DomainService.GetInactiveXml(h));
    }

    /// <summary>
    /// Validates an edit of the persistent definition on a copy (throwing TuningException for a bad
    /// request), asks ShouldProcess, then redefines the VM with the edit. Returns false when the
    /// user declined.
    /// </summary>
    protected bool EditConfig(LibvirtConnection conn, DomainHandle h, string name, string action, Action<XElement> edit)
    {
        edit(ReadPersistentConfig(h, name));
        if (!ShouldProcess(name, action))
        {
            return false;
        }
        DomainEditor.EditConfig(conn, h, edit);
        return true;
    }

    /// <summary>Says once that a running VM gets a configuration change at its next start.</summary>
    protected void WarnNextStart(DomainHandle h, string name, string what)
    {
        if (DomainService.IsActive(h))
        {
            WriteWarning($"VM '{name}' is running: {what} takes effect at its next start.");
        }
    }
}
