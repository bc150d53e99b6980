using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Migration;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Moves VMs to another host with libvirt's migration: a running VM live (or paused during the
/// copy), its disks copied when they are not shared (-CopyStorage), a shut-off VM's definition
/// alone. What would make the move fail or lose data is refused before anything moves.
/// </summary>
[Cmdlet(VerbsCommon.Move, "KvmVM", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KvmVM))]
public sealed class MoveKvmVMCommand : KvmVMCmdlet
{
    private static int s_activity = 40_000;

    /// <summary>libvirt URI of the destination host, e.g. qemu+ssh://root@kvm2/system.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(UriCompleter))]
    public string DestinationUri { get; set; } = "";

    /// <summary>Keep a running VM running during the move (otherwise it is paused while its memory is copied).</summary>
    [Parameter]
    public SwitchParameter Live { get; set; }

    /// <summary>Copy disks the destination does not share: All (every block) or Incremental (onto images the destination has).</summary>
    [Parameter]
    public KvmStorageCopy CopyStorage { get; set; }

    /// <summary>Define the VM persistently on the destination.</summary>
    [Parameter]
    public SwitchParameter Persistent { get; set; }

    /// <summary>Remove the VM's definition from the source once the move succeeded.</summary>
    [Parameter]
    public SwitchParameter UndefineSource { get; set; }

    /// <summary>tcp://address[:port] of the network the migration data goes over.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? MigrationUri { get; set; }

    /// <summary>Bandwidth limit in bytes per second, as a size (-Bandwidth 100MB); libvirt takes it in whole MiB/s, so it is rounded up to one.</summary>
    [Parameter]
    [ValidateRange(1UL, ulong.MaxValue)]
    public ulong Bandwidth { get; set; }

    /// <summary>Slow down the guest's vCPUs when its memory changes faster than it can be copied.</summary>
    [Parameter]
    public SwitchParameter AutoConverge { get; set; }

    /// <summary>Switch to post-copy when pre-copy does not converge (with -Live).</summary>
    [Parameter]
    public SwitchParameter PostCopy { get; set; }

    /// <summary>Abort the move after this many seconds (the VM keeps running on the source).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; }

    /// <summary>Return the VM as it is on the destination.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string FailureErrorId => "MigrationFailed";

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle domain, string name)
    {
        KvmVM vm = DomainService.Get(conn, domain);
        bool running = vm.State is KvmVMState.Running or KvmVMState.Paused;
        var request = new MigrationRequest
        {
            DestinationUri = DestinationUri,
            Live = Live,
            CopyStorage = IsBound(nameof(CopyStorage)) ? CopyStorage : null,
            Persistent = Persistent,
            UndefineSource = UndefineSource,
            MigrationUri = MigrationUri,
            BandwidthMiBps = IsBound(nameof(Bandwidth)) ? (Bandwidth + (1UL << 20) - 1) >> 20 : null,
            AutoConverge = AutoConverge,
            PostCopy = PostCopy,
            Timeout = IsBound(nameof(TimeoutSec)) ? TimeSpan.FromSeconds(TimeoutSec) : null,
        };
        if (MigrationPlan.Invalid(request, running) is string invalid)
        {
            WriteError(ErrorHelper.InvalidArgument($"VM '{name}' cannot be moved so: {invalid}.", "InvalidMigrationRequest", name));
            return;
        }
        LibvirtConnection dest = Session.GetConnection(DestinationUri, WriteVerbose, CancelToken);
        if (HostUuid.Same(conn, dest))
        {
            WriteError(ErrorHelper.InvalidArgument($"VM '{name}' is on {conn.Uri} already: the destination is the same host.", "SameHost", name));
            return;
        }
        string xml = LibvirtConnection.GetXml(domain);
        IReadOnlyList<MigrationRefusal> refusals = MigrationCheck.Refusals(xml, request, DestinationFactsReader.Read(dest, xml, vm.Uuid, name), running);
        foreach (MigrationRefusal r in refusals)
        {
            WriteError(ErrorHelper.Refusal(r.Kind, $"VM '{name}' was not moved to {dest.Uri}: {r.Message}.", r.ErrorId, name));
        }
        if (refusals.Count > 0 || !ShouldProcess(name, $"Move to {dest.Uri}{(running ? (Live ? " (live)" : " (paused while copied)") : " (definition only)")}"))
        {
            return;
        }
        MigrationPlan plan = MigrationPlan.For(request, name, running);
        WriteVerbose($"Migrating '{name}' from {conn.Uri} to {dest.Uri} with flags {plan.Flags}.");
        int activity = Interlocked.Increment(ref s_activity);
        string title = $"Moving VM '{name}' to {dest.Uri}";
        MigrationOutcome outcome;
        try
        {
            outcome = MigrationRunner.Run(conn, domain, dest, plan, request.Timeout, p =>
            {
                WriteProgress(new ProgressRecord(activity, title, p.Describe()) { PercentComplete = p.Percent });
            }, CancelToken);
        }
        finally
        {
            WriteProgress(new ProgressRecord(activity, title, "Done") { RecordType = ProgressRecordType.Completed });
        }
        WriteVerbose($"Moved '{name}' in {outcome.Elapsed.TotalSeconds:0.0} s"
            + (outcome.DowntimeMs is ulong d ? $", downtime {d} ms" : "") + $" ({outcome.ProgressReports} progress reading(s)).");
        if (PassThru)
        {
            WriteObject(outcome.Vm);
        }
    }
}
