using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Lists the disks and CD-ROMs of VMs.</summary>
[Cmdlet(VerbsCommon.Get, "KvmDisk")]
[OutputType(typeof(KvmDisk))]
public sealed class GetKvmDiskCommand : KvmDeviceCmdlet
{
    /// <summary>Only the disks with these target names (vda, sdb, ...); wildcards allowed.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DiskTargetCompleter))]
    public string[]? Target { get; set; }

    /// <summary>Reads the persistent definition (what the next start uses) instead of the running VM.</summary>
    [Parameter]
    public SwitchParameter Config { get; set; }

    protected override void ProcessDevice(LibvirtConnection conn, DomainHandle h, string name)
    {
        KvmDisk[] disks = ReadVM(ReadForGet(h, Config), conn.Uri).Disks;
        WriteMatching(disks, Target, d => d.Target, t => $"VM '{name}' has no disk with target {t}.", "DiskNotFound");
    }
}
