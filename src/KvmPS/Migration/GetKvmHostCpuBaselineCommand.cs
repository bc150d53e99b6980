using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Migration;
using KvmPS.Engine.Tuning;

namespace KvmPS.Commands;

/// <summary>
/// The CPU model every given host can run (virConnectBaselineHypervisorCPU over the hosts'
/// host-model CPUs): a VM defined with it can move between them. Pipe it to Set-KvmCpu -Baseline
/// or Compare-KvmHostCpu.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KvmHostCpuBaseline")]
[OutputType(typeof(KvmCpuBaseline))]
public sealed class GetKvmHostCpuBaselineCommand : KvmFanOutCmdlet
{
    protected override void ProcessRecordCore()
    {
        IReadOnlyList<string> hosts = Hosts.Count > 0 ? Hosts : new[] { EffectiveUri };
        var cpus = new List<string>();
        KvmSessionState session = Session;
        ForEachHostUri((uri, cancel) => new[] { HostCpu.HostModelXml(uri is null ? GetConnection() : session.GetConnection(uri, null, cancel)) }, cpus.Add);
        if (cpus.Count < hosts.Count)
        {
            // A host that did not answer has been reported; a baseline without it would be wrong for it.
            return;
        }
        LibvirtConnection first = session.GetConnection(hosts[0], WriteVerbose, CancelToken);
        string xml = HostCpu.Baseline(first, cpus);
        WriteObject(CpuBaselineXml.Parse(xml, hosts));
    }
}
