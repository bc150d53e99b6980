using System.Management.Automation;
using KvmPS.Engine.Host;

namespace KvmPS.Commands;

/// <summary>Describes the hypervisor host: CPU topology, memory, NUMA cells, huge pages, versions (several hosts at once with -Uri h1,h2).</summary>
[Cmdlet(VerbsCommon.Get, "KvmHost")]
[OutputType(typeof(KvmHost))]
public sealed class GetKvmHostCommand : KvmFanOutCmdlet
{
    protected override void ProcessRecordCore()
    {
        ForEachHost(conn => new[] { HostInfoReader.Read(conn) }, WriteObject);
    }
}
