using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Migration;

namespace KvmPS.Commands;

/// <summary>
/// Whether a host can run a CPU definition (virConnectCompareHypervisorCPU): a VM's CPU, the
/// baseline of several hosts, CPU XML, or another host's own CPU (-ReferenceUri).
/// </summary>
[Cmdlet(VerbsData.Compare, "KvmHostCpu", DefaultParameterSetName = "Xml")]
[OutputType(typeof(KvmCpuComparison))]
public sealed class CompareKvmHostCpuCommand : KvmCmdlet
{
    /// <summary>A guest CPU element (<cpu>...</cpu>), e.g. a baseline's Xml.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Xml", ValueFromPipelineByPropertyName = true)]
    [Alias("CpuXml")]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string Xml { get; set; } = "";

    /// <summary>The host whose own CPU (host-model) is compared with this host's.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Reference")]
    [ArgumentCompleter(typeof(UriCompleter))]
    public string ReferenceUri { get; set; } = "";

    protected override void ProcessRecordCore()
    {
        LibvirtConnection conn = GetConnection();
        string cpu = ParameterSetName == "Reference"
            ? HostCpu.HostModelXml(Session.GetConnection(ReferenceUri, WriteVerbose, CancelToken))
            : Xml;
        int rc = HostCpu.Compare(conn, cpu);
        WriteObject(new KvmCpuComparison
        {
            Uri = conn.Uri,
            Result = rc switch { 1 => "Identical", 2 => "Superset", _ => "Incompatible" },
            IsCompatible = rc > 0,
        });
    }
}
