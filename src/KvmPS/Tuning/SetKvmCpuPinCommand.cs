using System.Collections;
using System.Globalization;
using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Tuning;

namespace KvmPS.Commands;

/// <summary>
/// Pins a VM's vCPUs, emulator threads and IOThreads to host CPUs: explicitly, from a map, or
/// planned from the host topology (-Auto). Applied to the running VM and to its configuration.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KvmCpuPin", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class SetKvmCpuPinCommand : KvmTuningCmdlet
{
    /// <summary>The vCPU to pin (with -HostCpu).</summary>
    [Parameter]
    [ValidateRange(0, 4095)]
    public int VCpu { get; set; }

    /// <summary>Host CPUs for -VCpu, as a cpuset (e.g. 2 or 2-3,6).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? HostCpu { get; set; }

    /// <summary>Pins several vCPUs at once: @{0='2'; 1='3'} (vCPU = host cpuset).</summary>
    [Parameter]
    [ValidateNotNull]
    public IDictionary? Map { get; set; }

    /// <summary>Plans the pins from the host topology: one host CPU per vCPU, NUMA- and SMT-aware.</summary>
    [Parameter]
    public SwitchParameter Auto { get; set; }

    /// <summary>-Auto strategy: Spread (one vCPU per physical core) or Compact (fill SMT siblings first).</summary>
    [Parameter]
    public KvmPinStrategy Strategy { get; set; } = KvmPinStrategy.Spread;

    /// <summary>Host CPUs -Auto must not use (e.g. kept for the host), as a cpuset.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? ExcludeHostCpu { get; set; }

    /// <summary>Lets -Auto use host CPUs that other VMs' vCPUs are pinned to.</summary>
    [Parameter]
    public SwitchParameter AllowOverlap { get; set; }

    /// <summary>Host CPUs for the emulator threads, as a cpuset (with -Auto it overrides the planned one).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? EmulatorCpu { get; set; }

    /// <summary>Host CPUs for the IOThreads (every IOThread, or the one given by -IOThread), as a cpuset.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? IOThreadCpu { get; set; }

    /// <summary>The IOThread id -IOThreadCpu applies to (default: all of the VM's IOThreads).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int IOThread { get; set; }

    /// <summary>Removes every vCPU, emulator and IOThread pin first (alone, it unpins the VM).</summary>
    [Parameter]
    public SwitchParameter Clear { get; set; }

    /// <summary>Returns the VM after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessTuning(LibvirtConnection conn, DomainHandle h, string name)
    {
        PinApplication plan = PinApplier.Plan(conn, h, name, BuildRequest(), WriteVerbose, WriteWarning);
        if (!ShouldProcess(name, plan.Description))
        {
            return;
        }
        PinApplier.Apply(conn, h, plan, WriteVerbose, WriteWarning);
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }

    /// <summary>The bound parameters as the engine's request: what was not given stays null.</summary>
    private PinChangeRequest BuildRequest() => new()
    {
        VCpu = IsBound(nameof(VCpu)) ? VCpu : null,
        HostCpu = HostCpu,
        Map = Map?.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, string?>(
            Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "",
            e.Value is null ? null : Convert.ToString(e.Value is PSObject pso ? pso.BaseObject : e.Value, CultureInfo.InvariantCulture))).ToList(),
        Auto = Auto,
        Strategy = IsBound(nameof(Strategy)) ? Strategy : null,
        ExcludeHostCpu = ExcludeHostCpu,
        AllowOverlap = IsBound(nameof(AllowOverlap)) ? AllowOverlap.IsPresent : null,
        EmulatorCpu = EmulatorCpu,
        IOThreadCpu = IOThreadCpu,
        IOThread = IsBound(nameof(IOThread)) ? IOThread : null,
        Clear = Clear,
    };
}
