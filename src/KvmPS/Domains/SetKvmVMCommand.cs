using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Changes memory, vCPUs, autostart or description of VMs: live where the VM runs and the change allows, and in the configuration.</summary>
[Cmdlet(VerbsCommon.Set, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class SetKvmVMCommand : KvmVMCmdlet
{
    /// <summary>Memory in bytes (maximum and current), e.g. 4GB.</summary>
    [Parameter]
    [Alias("MemoryStartupBytes")]
    [ValidateSize(Memory = true)]
    public ulong Memory { get; set; }

    /// <summary>Number of vCPUs.</summary>
    [Parameter]
    [Alias("ProcessorCount")]
    [ValidateRange(1, 4096)]
    public int VCpuCount { get; set; }

    /// <summary>Start the VM with the host (-Autostart) or not (-Autostart:$false).</summary>
    [Parameter]
    public SwitchParameter Autostart { get; set; }

    /// <summary>Free-text description.</summary>
    [Parameter]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Description { get; set; }

    /// <summary>Returns the VM after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        bool active = DomainService.IsActive(h);
        bool persistent = DomainService.IsPersistent(h);
        KvmVM before = DomainService.Get(conn, h);
        if (IsBound(nameof(VCpuCount)) && DomainService.MaxVcpus(conn, before.DomainType) is int limit && VCpuCount > limit)
        {
            WriteError(ErrorHelper.InvalidArgument(
                $"VM '{name}' cannot have {VCpuCount} vCPUs: the host allows at most {limit} for domain type {before.DomainType}. Nothing was changed.",
                "TooManyVCpus", name));
            return;
        }
        if ((IsBound(nameof(VCpuCount)) || IsBound(nameof(Memory)))
            && VmSettingsCheck.Check(name, SafeXml.Parse(persistent ? DomainService.GetInactiveXml(h) : LibvirtConnection.GetXml(h)),
                IsBound(nameof(VCpuCount)) ? VCpuCount : null, IsBound(nameof(Memory)) ? Memory : null) is var (id, message))
        {
            WriteError(ErrorHelper.InvalidArgument(message, id, name));
            return;
        }

        // Checked before anything changes: a count the definition cannot take is refused whole.
        (int Maximum, int Current)? vcpuFrom = null, vcpuTo = null;
        if (IsBound(nameof(VCpuCount)) && persistent)
        {
            XElement config = SafeXml.Parse(DomainService.GetInactiveXml(h));
            try
            {
                vcpuTo = VCpuCountPlan.Plan(config, VCpuCount, name);
            }
            catch (VmRequestException e)
            {
                WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, name));
                return;
            }
            vcpuFrom = VCpuCountPlan.Read(config);
        }

        if (IsBound(nameof(Memory)) && GuestLimits.MemoryProblem(name, Memory) is string tooMuch)
        {
            WriteError(ErrorHelper.InvalidArgument(tooMuch, "MemoryTooLarge", name));
            return;
        }
        if (IsBound(nameof(Memory)) && ShouldProcess(name, $"Set memory to {SizeText.Format(Memory)}"))
        {
            ulong kib = Memory / 1024;
            if (persistent && !ConfigMemoryIs(h, kib))
            {
                DomainService.SetMemory(h, kib, live: false, config: true, maximum: true);
                DomainService.SetMemory(h, kib, live: false, config: true, maximum: false);
            }
            if (active)
            {
                if (Memory <= before.MemoryBytes)
                {
                    DomainService.SetMemory(h, kib, live: true, config: false, maximum: false);
                }
                else
                {
                    WriteWarning($"VM '{name}' is running with at most {SizeText.Format(before.MemoryBytes)}; {SizeText.Format(Memory)} takes effect at its next start.");
                }
            }
        }

        if (IsBound(nameof(VCpuCount)) && ShouldProcess(name, $"Set vCPU count to {VCpuCount}"))
        {
            if (vcpuFrom is { } from && vcpuTo is { } to)
            {
                ApplyVcpuSteps(h, from, to);
            }
            if (active)
            {
                if (VCpuCount <= before.MaxVCpuCount)
                {
                    try
                    {
                        DomainService.SetVcpus(h, VCpuCount, live: true, config: false, maximum: false);
                    }
                    catch (LibvirtException e) when (e.Kind is KvmErrorKind.NotSupported or KvmErrorKind.InvalidOperation or KvmErrorKind.InvalidArgument)
                    {
                        WriteWarning($"VM '{name}' could not change vCPUs while running ({e.LibvirtMessage}); {VCpuCount} vCPUs take effect at its next start.");
                    }
                }
                else
                {
                    WriteWarning($"VM '{name}' is running with at most {before.MaxVCpuCount} vCPUs; {VCpuCount} vCPUs take effect at its next start.");
                }
            }
        }

        if (IsBound(nameof(Autostart)) && ShouldProcess(name, $"Set autostart {(Autostart.IsPresent ? "on" : "off")}"))
        {
            DomainService.SetAutostart(h, Autostart.IsPresent);
        }

        if (IsBound(nameof(Description)) && ShouldProcess(name, "Set description"))
        {
            DomainService.SetDescription(conn, h, Description, live: active, config: persistent);
        }

        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }

    /// <summary>Takes the definition's vCPU counts from one pair to the other; a failed step undoes the ones before it.</summary>
    private static void ApplyVcpuSteps(DomainHandle h, (int Maximum, int Current) from, (int Maximum, int Current) to)
    {
        var steps = VCpuCountPlan.Steps(from, to);
        var undo = VCpuCountPlan.Steps(to, from);
        for (int i = 0; i < steps.Count; i++)
        {
            try
            {
                DomainService.SetVcpus(h, steps[i].Count, live: false, config: true, maximum: steps[i].Maximum);
            }
            catch (LibvirtException) when (i > 0)
            {
                foreach (var (count, maximum) in undo)
                {
                    try
                    {
                        DomainService.SetVcpus(h, count, live: false, config: true, maximum: maximum);
                    }
                    catch (LibvirtException)
                    {
                        // Best effort: the first error is the one to report.
                    }
                }
                throw;
            }
        }
    }

    /// <summary>Whether the definition already has exactly this memory (maximum and current): then there is nothing to set (libvirt refuses even a same-value call on some VMs, e.g. with NUMA cells).</summary>
    private static bool ConfigMemoryIs(DomainHandle h, ulong kib)
    {
        var (max, cur) = KvmPS.Engine.Tuning.MemoryXml.SizesKiB(SafeXml.Parse(DomainService.GetInactiveXml(h)));
        return max == kib && cur == kib;
    }
}
