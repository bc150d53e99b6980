using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Host;
using KvmPS.Engine.Migration;
using KvmPS.Engine.Native;
using KvmPS.Engine.Tuning;

namespace KvmPS.Commands;

/// <summary>Sets a VM's guest CPU: mode, model, topology, cache passthrough, features, nested virtualization.</summary>
[Cmdlet(VerbsCommon.Set, "KvmCpu", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class SetKvmCpuCommand : KvmTuningCmdlet
{
    /// <summary>CPU mode: HostPassthrough, HostModel, Custom (with -Model) or Maximum.</summary>
    [Parameter]
    public KvmCpuMode Mode { get; set; }

    /// <summary>Named CPU model for -Mode Custom (e.g. Skylake-Server, EPYC).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CpuModelCompleter))]
    public string? Model { get; set; }

    /// <summary>Guest sockets; sockets x cores x threads must equal the VM's vCPU count.</summary>
    [Parameter]
    [ValidateRange(1, 4096)]
    public int Sockets { get; set; }

    /// <summary>Cores per socket.</summary>
    [Parameter]
    [ValidateRange(1, 4096)]
    public int Cores { get; set; }

    /// <summary>Threads per core.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int Threads { get; set; }

    /// <summary>Passes the host's cache topology through (HostPassthrough or Maximum only); -CachePassthrough:$false removes it.</summary>
    [Parameter]
    public SwitchParameter CachePassthrough { get; set; }

    /// <summary>CPU features: '+name' requires, '-name' disables, 'policy:name' sets any libvirt policy.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CpuFeatureCompleter))]
    public string[]? Feature { get; set; }

    /// <summary>Gives the guest the host vendor's virtualization extension (vmx or svm); -Nested:$false disables it.</summary>
    [Parameter]
    public SwitchParameter Nested { get; set; }

    /// <summary>A CPU baseline (Get-KvmHostCpuBaseline, or the CPU element as text): mode Custom with its model and features.</summary>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    [CpuBaselineArgument]
    public KvmCpuBaseline? Baseline { get; set; }

    /// <summary>Hosts whose common CPU (for each VM's kind of virtualization) the VM gets, as with -Baseline.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(UriCompleter))]
    public string[]? BaselineUri { get; set; }

    /// <summary>Returns the VM after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private readonly Dictionary<string, (CapabilitiesInfo Info, HashSet<string> Features)> _caps = new(StringComparer.Ordinal);

    private readonly Dictionary<string, string> _baselines = new(StringComparer.Ordinal);

    protected override void ProcessTuning(LibvirtConnection conn, DomainHandle h, string name)
    {
        string? baseline = BaselineFor(conn, h, name);
        var change = new CpuChange
        {
            BaselineXml = baseline,
            Mode = IsBound(nameof(Mode)) ? Mode : null,
            Model = Model,
            Sockets = IsBound(nameof(Sockets)) ? Sockets : null,
            Cores = IsBound(nameof(Cores)) ? Cores : null,
            Threads = IsBound(nameof(Threads)) ? Threads : null,
            CachePassthrough = IsBound(nameof(CachePassthrough)) ? CachePassthrough.IsPresent : null,
            Features = Feature ?? Array.Empty<string>(),
            Nested = IsBound(nameof(Nested)) ? Nested.IsPresent : null,
        };
        bool any = baseline is not null || change.Mode is not null || change.Model is not null || change.Sockets is not null || change.Cores is not null
            || change.Threads is not null || change.CachePassthrough is not null || change.Features.Count > 0 || change.Nested is not null;
        if (any)
        {
            var (caps, hostFeatures) = Capabilities(conn);
            Func<string, bool>? modelExists = null;
            if (Model is not null || change.Features.Count > 0)
            {
                XElement config = ReadPersistentConfig(h, name);
                string arch = (string?)config.Element("os")?.Element("type")?.Attribute("arch") ?? caps.Architecture;
                if (Model is not null)
                {
                    HashSet<string>? models = arch.Length == 0 ? null : TuningService.CpuModelNames(conn, arch);
                    modelExists = models is null ? null : models.Contains;
                }
                // A feature libvirt does not know is refused here: defined, it would stop the VM from starting.
                CpuFeatureCatalog.Check(conn, arch, change.Features.Select(f => CpuXml.ParseFeature(f).Name).Distinct().ToList(), hostFeatures);
            }
            if (EditConfig(conn, h, name, change.Describe(), d => CpuXml.Apply(d, change, caps.CpuVendor, modelExists)))
            {
                WarnNextStart(h, name, "the CPU change");
                if (Nested && CpuXml.NestedFlag(caps.CpuVendor) is string flag && hostFeatures.Count > 0 && !hostFeatures.Contains(flag))
                {
                    string module = flag == "vmx" ? "kvm_intel" : "kvm_amd";
                    WriteWarning($"VM '{name}': the host CPU does not offer {flag} (nested virtualization is off in {module}, or this host is itself a VM without it); " +
                        $"the VM cannot start until it does (e.g. modprobe -r {module}; modprobe {module} nested=1).");
                }
            }
        }
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }

    /// <summary>The baseline for this VM, checked against its host: -Baseline, or made from -BaselineUri for the VM's virtualization type.</summary>
    private string? BaselineFor(LibvirtConnection conn, DomainHandle h, string name)
    {
        if (Baseline is null && BaselineUri is null)
        {
            return null;
        }
        if (Baseline is not null && BaselineUri is not null)
        {
            throw new TuningException("BaselineAndBaselineUriGiven", "-Baseline and -BaselineUri both give the CPU baseline; give one of them.");
        }
        CpuXml.CheckBaselineConflict(IsBound(nameof(Mode)) ? Mode : null, Model);
        XElement config = ReadPersistentConfig(h, name);
        string? xml = Baseline?.Xml;
        if (xml is null)
        {
            string key = CpuBaselineCheck.VirtType(config) ?? "";
            if (!_baselines.TryGetValue(key, out xml))
            {
                var hosts = BaselineUri!.Select(u => Session.GetConnection(u, WriteVerbose, CancelToken)).ToList();
                xml = CpuBaselineCheck.Make(hosts, CpuBaselineCheck.VirtType(config));
                _baselines[key] = xml;
            }
        }
        CpuBaselineCheck.EnsureRunnable(conn, config, xml, name);
        return xml;
    }

    private (CapabilitiesInfo, HashSet<string>) Capabilities(LibvirtConnection conn)
    {
        if (!_caps.TryGetValue(conn.Uri, out var caps))
        {
            string xml = conn.GetCapabilitiesXml();
            caps = (HostInfoReader.ParseCapabilities(xml), KvmPS.Engine.Domains.GuestCapabilities.HostCpuFeatures(xml));
            _caps[conn.Uri] = caps;
        }
        return caps;
    }
}
