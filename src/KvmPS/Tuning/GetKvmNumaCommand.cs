using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Tuning;

namespace KvmPS.Commands;

/// <summary>Gets a VM's guest NUMA cells and host memory binding.</summary>
[Cmdlet(VerbsCommon.Get, "KvmNuma")]
[OutputType(typeof(KvmNuma))]
public sealed class GetKvmNumaCommand : KvmTuningCmdlet
{
    /// <summary>Reads the persistent definition (what the next start uses) instead of the running VM.</summary>
    [Parameter]
    public SwitchParameter Config { get; set; }

    protected override void ProcessTuning(LibvirtConnection conn, DomainHandle h, string name)
    {
        var (xml, fromConfig) = TuningService.ReadDomain(h, Config);
        WriteObject(NumaXml.Read(xml, name, conn.Uri, fromConfig));
    }
}
