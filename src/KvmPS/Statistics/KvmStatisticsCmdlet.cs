using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Statistics;

namespace KvmPS.Commands;

/// <summary>
/// Base of the VM statistics cmdlets: gathers the VMs of every pipeline record (-Name wildcards,
/// -VM objects by UUID), then samples each host with ONE bulk call per round, so a thousand VMs cost
/// one call, not a thousand. Two samples give rates and CPU %; -Interval and -Count repeat.
/// </summary>
public abstract class KvmStatisticsCmdlet : KvmCmdlet
{
    /// <summary>Names of the VMs; wildcards allowed. All VMs when omitted.</summary>
    [Parameter(Position = 0, ParameterSetName = "Name", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("VMName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(VMNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>VM objects, found by UUID on the host each came from.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "VM", ValueFromPipeline = true)]
    [KvmKind(typeof(KvmVM))]
    public KvmVM[] VM { get; set; } = Array.Empty<KvmVM>();

    /// <summary>Seconds between samples.</summary>
    [Parameter]
    [ValidateRange(0.1, 86400)]
    public double Interval { get; set; } = 1;

    /// <summary>How many measurements to return (per VM); unlimited when -Interval is given without it.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; } = 1;

    private readonly Dictionary<string, (LibvirtConnection Conn, VmSelection Selection)> _hosts = new(StringComparer.Ordinal);

    /// <summary>Whether even a plain call takes two samples (Measure-KvmVM) rather than one.</summary>
    protected abstract bool AlwaysMeasure { get; }

    /// <summary>Whether sampling goes on until Ctrl+C without -Interval or -Count (Watch-KvmVM).</summary>
    protected virtual bool Continuous => false;

    protected override void ProcessRecordCore()
    {
        if (ParameterSetName == "VM")
        {
            foreach (KvmVM vm in VM)
            {
                Selection(GetConnection(vm.Uri)).AddUuid(vm.Uuid);
            }
            return;
        }
        VmSelection sel = Selection(GetConnection());
        foreach (string n in Name ?? new[] { "*" })
        {
            sel.AddName(n);
        }
    }

    private VmSelection Selection(LibvirtConnection conn)
    {
        if (!_hosts.TryGetValue(conn.Uri, out var entry))
        {
            entry = (conn, new VmSelection());
            _hosts[conn.Uri] = entry;
        }
        return entry.Selection;
    }

    protected override void EndProcessing() => Guarded(Run);

    private void Run()
    {
        bool repeat = Continuous || MyInvocation.BoundParameters.ContainsKey(nameof(Interval)) || MyInvocation.BoundParameters.ContainsKey(nameof(Count));
        int rounds = MyInvocation.BoundParameters.ContainsKey(nameof(Count)) ? Count : repeat ? int.MaxValue : 1;
        var previous = new Dictionary<string, StatsSample>();
        foreach (var (uri, (conn, sel)) in _hosts)
        {
            StatsSample first = StatsSample.Take(conn, sel);
            ReportMissing(conn, sel, first);
            previous[uri] = first;
            if (!repeat && !AlwaysMeasure)
            {
                Emit(VmStatisticsBuilder.BuildAll(first, null, sel.Includes));
            }
        }
        if (!repeat && !AlwaysMeasure)
        {
            return;
        }
        for (int round = 0; round < rounds; round++)
        {
            if (CancelToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(Interval)))
            {
                throw new PipelineStoppedException();
            }
            foreach (var (uri, (conn, sel)) in _hosts)
            {
                StatsSample now = StatsSample.Take(conn, sel);
                Emit(VmStatisticsBuilder.BuildAll(now, previous[uri], sel.Includes));
                previous[uri] = now;
            }
        }
    }

    /// <summary>Writes one round of statistics (Watch-KvmVM draws a table instead).</summary>
    protected virtual void Emit(List<KvmVMStatistics> round) => round.ForEach(s => WriteObject(s));

    private static List<string> AllNames(LibvirtConnection conn) =>
        conn.ListAllDomains().Select(h => { using (h) { return LibvirtConnection.GetName(h); } }).ToList();

    private void ReportMissing(LibvirtConnection conn, VmSelection sel, StatsSample sample)
    {
        foreach (string n in sel.MissingNames(sample.Records))
        {
            // A targeted sample holds only the VMs asked for: the hint needs every name of the host.
            string hint = NameMatch.CaseHint(sel.IsTargeted ? AllNames(conn) : sample.Records.Select(r => r.Name), n);
            WriteError(ErrorHelper.Create(new ItemNotFoundException($"No VM named '{n}' was found on {conn.Uri}.{hint}"),
                "VMNotFound", ErrorCategory.ObjectNotFound, n));
        }
        foreach (Guid u in sel.MissingUuids(sample.Records))
        {
            string name = VM.FirstOrDefault(v => v.Uuid == u)?.Name ?? u.ToString();
            WriteError(ErrorHelper.Create(new ItemNotFoundException($"No VM named '{name}' with UUID {u} was found on {conn.Uri}."),
                "VMNotFound", ErrorCategory.ObjectNotFound, name));
        }
    }
}
