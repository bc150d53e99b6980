using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Tuning;

namespace KvmPS.Commands;

/// <summary>Gets a VM's memory size and backing: huge pages, locked memory, the balloon.</summary>
[Cmdlet(VerbsCommon.Get, "KvmMemory")]
[OutputType(typeof(KvmMemory))]
public sealed class GetKvmMemoryCommand : KvmTuningCmdlet
{
    /// <summary>Reads the persistent definition (what the next start uses) instead of the running VM.</summary>
    [Parameter]
    public SwitchParameter Config { get; set; }

    protected override void ProcessTuning(LibvirtConnection conn, DomainHandle h, string name)
    {
        var (xml, fromConfig) = TuningService.ReadDomain(h, Config);
        WriteObject(MemoryXml.Read(xml, name, conn.Uri, fromConfig));
    }
}
