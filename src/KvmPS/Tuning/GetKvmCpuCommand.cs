using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Host;
using KvmPS.Engine.Native;
using KvmPS.Engine.Tuning;

namespace KvmPS.Commands;

/// <summary>Gets a VM's guest CPU: mode, model, topology, cache and features.</summary>
[Cmdlet(VerbsCommon.Get, "KvmCpu")]
[OutputType(typeof(KvmCpu))]
public sealed class GetKvmCpuCommand : KvmTuningCmdlet
{
    /// <summary>Reads the persistent definition (what the next start uses) instead of the running VM.</summary>
    [Parameter]
    public SwitchParameter Config { get; set; }

    private readonly Dictionary<string, string?> _vendor = new(StringComparer.Ordinal);

    protected override void ProcessTuning(LibvirtConnection conn, DomainHandle h, string name)
    {
        if (!_vendor.TryGetValue(conn.Uri, out string? vendor))
        {
            vendor = HostInfoReader.ParseCapabilities(conn.GetCapabilitiesXml()).CpuVendor;
            _vendor[conn.Uri] = vendor;
        }
        var (xml, fromConfig) = TuningService.ReadDomain(h, Config);
        WriteObject(CpuXml.Read(xml, name, conn.Uri, fromConfig, vendor));
    }
}
