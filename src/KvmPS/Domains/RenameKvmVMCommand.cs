using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Renames a shut-off virtual machine (virDomainRename: libvirt renames only inactive VMs).</summary>
[Cmdlet(VerbsCommon.Rename, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class RenameKvmVMCommand : KvmVMCmdlet
{
    /// <summary>The new name.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string NewName { get; set; } = "";

    /// <summary>Returns the renamed VM.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        if (ObjectName.Validate("VM", NewName) is string bad)
        {
            WriteError(ErrorHelper.InvalidArgument(bad, "InvalidVMName", NewName));
            return;
        }
        if (DomainService.IsActive(h))
        {
            WriteError(ErrorHelper.Create(new InvalidOperationException($"VM '{name}' is running: libvirt renames only shut-off VMs. Stop it first."),
                "VMRunning", ErrorCategory.InvalidOperation, name));
            return;
        }
        using (DomainHandle? other = DomainService.TryLookup(conn, NewName))
        {
            if (other is not null)
            {
                WriteError(ErrorHelper.Create(new InvalidOperationException($"A VM named '{NewName}' already exists on {conn.Uri}."),
                    "VMExists", ErrorCategory.ResourceExists, NewName));
                return;
            }
        }
        if (!ShouldProcess(name, $"Rename VM to '{NewName}'"))
        {
            return;
        }
        DomainRename.Rename(h, NewName);
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }
}
