using System.Management.Automation;
using KvmPS.Engine.Host;

namespace KvmPS.Commands;

/// <summary>Describes the hypervisor host: CPU topology, memory, NUMA cells, huge pages, versions.</summary>
[Cmdlet(VerbsCommon.Get, "KvmHost")]
[OutputType(typeof(KvmHost))]
public sealed class GetKvmHostCommand : KvmCmdlet
{
    protected override void ProcessRecordCore()
    {
        WriteObject(HostInfoReader.Read(GetConnection()));
    }
}
