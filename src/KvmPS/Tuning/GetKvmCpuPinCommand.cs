using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Tuning;

namespace KvmPS.Commands;

/// <summary>Gets where a VM's vCPUs, emulator threads and IOThreads may run: one object per vCPU.</summary>
[Cmdlet(VerbsCommon.Get, "KvmCpuPin")]
[OutputType(typeof(KvmCpuPin))]
public sealed class GetKvmCpuPinCommand : KvmTuningCmdlet
{
    /// <summary>Reads the persistent definition (what the next start uses) instead of the running VM.</summary>
    [Parameter]
    public SwitchParameter Config { get; set; }

    private readonly Dictionary<string, string> _allCpus = new(StringComparer.Ordinal);

    protected override void ProcessTuning(LibvirtConnection conn, DomainHandle h, string name)
    {
        if (!_allCpus.TryGetValue(conn.Uri, out string? all))
        {
            all = HostTopology.Read(conn).AllCpus;
            _allCpus[conn.Uri] = all;
        }
        // A running VM keeps a pin to every host CPU where its pins were cleared: that pins nothing.
        bool Pins(int[]? cpus) => cpus is not null && CpuSet.Format(cpus) != all;
        var (xml, fromConfig) = TuningService.ReadDomain(h, Config);
        PinState s = CpuTuneXml.Read(xml);
        // Threads without a pin of their own follow the VM's cpuset, else may run on any host CPU.
        string fallback = s.DefaultCpus is null ? all : CpuSet.Format(s.DefaultCpus);
        var io = s.IOThreadIds.Select(id => new KvmIOThreadPin
        {
            IOThread = id,
            HostCpus = s.IOThreads.TryGetValue(id, out int[]? cpus) ? CpuSet.Format(cpus) : fallback,
            Pinned = Pins(s.IOThreads.GetValueOrDefault(id)),
        }).ToArray();
        for (int v = 0; v < s.MaxVCpus; v++)
        {
            WriteObject(new KvmCpuPin
            {
                VMName = name,
                VCpu = v,
                HostCpus = s.VCpus.TryGetValue(v, out int[]? cpus) ? CpuSet.Format(cpus) : fallback,
                Pinned = Pins(s.VCpus.GetValueOrDefault(v)),
                EmulatorCpus = s.Emulator is null ? fallback : CpuSet.Format(s.Emulator),
                EmulatorPinned = Pins(s.Emulator),
                IOThreads = io,
                FromConfig = fromConfig,
                Uri = conn.Uri,
            });
        }
    }
}
