using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.HostChecks;

namespace KvmPS.Commands;

/// <summary>
/// Checks whether a host is ready for KVM: CPU, kernel modules, devices, groups, libvirt, QEMU,
/// nested virtualization, huge pages, IOMMU, cgroups, the security driver, and whether a test guest
/// actually runs under KVM. Each finding says what was seen and which commands fix it.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KvmHost", DefaultParameterSetName = "Check")]
[OutputType(typeof(KvmHostReport), typeof(bool))]
public sealed class TestKvmHostCommand : KvmFanOutCmdlet
{
    /// <summary>Only these checks (all when omitted).</summary>
    [Parameter(Position = 0, ParameterSetName = "Check")]
    [ValidateHostCheckName]
    [ArgumentCompleter(typeof(HostCheckNameCompleter))]
    public string[]? Check { get; set; }

    /// <summary>
    /// A set of checks for another use of the host: Kata runs kata-check's rules (vmx/svm, lm,
    /// sse4_1; kvm, kvm_intel with unrestricted_guest or kvm_amd, vhost, vhost_net, vhost_vsock;
    /// /dev/kvm; a VM can start; the Kata runtime and its configuration.toml).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = "Profile")]
    [ValidateSet("Kata")]
    public string? Profile { get; set; }

    /// <summary>Return only True (no check failed) or False, like Test-Path.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecordCore()
    {
        // Several hosts: each is checked on a worker of its own; the reports come out in the order given.
        KvmSessionState session = Session;
        var contexts = Hosts.Count > 1
            ? Hosts.ToDictionary(u => u, u => HostCheckSupport.NewContext(this, u, () => session.GetConnection(u, null, CancelToken), CancelToken))
            : new Dictionary<string, HostCheckContext>();
        ForEachHostUri((uri, _) => new[]
        {
            Run(uri is null ? HostCheckSupport.NewContext(this, EffectiveUri, GetConnection, CancelToken) : contexts[uri]),
        }, Write);
    }

    private KvmHostReport Run(HostCheckContext ctx) => Profile is null ? HostChecker.Run(ctx, Check) : HostChecker.RunProfile(ctx, Profile);

    private void Write(KvmHostReport report)
    {
        foreach (KvmHostCheck c in report.Checks)
        {
            WriteVerbose($"{report.ComputerName}: {c.Name}: {c.Status}: {c.Message}");
        }
        WriteObject(Quiet ? report.IsReady : report);
    }
}
