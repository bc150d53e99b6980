using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Lists the disks and CD-ROMs of VMs.</summary>
[Cmdlet(VerbsCommon.Get, "KvmDisk", DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmDisk))]
public sealed class GetKvmDiskCommand : KvmDeviceCmdlet
{
    /// <summary>Only the disks with these target names (vda, sdb, ...); wildcards allowed.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Target { get; set; }

    /// <summary>Reads the persistent definition (what the next start uses) instead of the running VM.</summary>
    [Parameter]
    public SwitchParameter Config { get; set; }

    protected override void ProcessDevice(LibvirtConnection conn, DomainHandle h, string name)
    {
        KvmDisk[] disks = ReadVM(ReadForGet(h, Config), conn.Uri).Disks;
        if (Target is not { Length: > 0 })
        {
            WriteObject(disks, enumerateCollection: true);
            return;
        }
        var patterns = Target.Select(t => WildcardPattern.Get(t, WildcardOptions.IgnoreCase)).ToList();
        foreach (KvmDisk disk in disks.Where(d => patterns.Any(p => p.IsMatch(d.Target))))
        {
            WriteObject(disk);
        }
        foreach (string t in Target.Where(t => !WildcardPattern.ContainsWildcardCharacters(t)))
        {
            if (!disks.Any(d => string.Equals(d.Target, t, StringComparison.OrdinalIgnoreCase)))
            {
                NotFound($"VM '{name}' has no disk with target {t}.", "DiskNotFound", t);
            }
        }
    }
}
