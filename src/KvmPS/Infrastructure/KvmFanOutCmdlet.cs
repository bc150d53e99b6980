using System.Management.Automation;
using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>
/// Base of the read cmdlets that take several hosts at once: -Uri is a list and -Connection takes
/// several KvmConnection objects. With one host they behave as any host cmdlet; with more, the
/// hosts are asked in parallel (<see cref="HostFanOut"/>, one connection per host), results come
/// out on the pipeline thread host by host in the order given, and a host that cannot be reached
/// is a non-terminating error that does not hold back the others.
/// </summary>
public abstract class KvmFanOutCmdlet : KvmCmdletBase
{
    /// <summary>libvirt connection URIs (one or several hosts); default: Connect-KvmHost's host, then LIBVIRT_DEFAULT_URI, then libvirt's default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UriCompleter))]
    public string[]? Uri { get; set; }

    /// <summary>Open connections (Connect-KvmHost -PassThru, Get-KvmConnection) to act on instead of -Uri.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public KvmConnection[]? Connection { get; set; }

    /// <summary>The hosts given, in order, without repeats; empty means the session's default.</summary>
    protected IReadOnlyList<string> Hosts =>
        HostFanOut.Distinct((Connection ?? Array.Empty<KvmConnection>()).Select(ConnectionUri.Of).Concat(Uri ?? Array.Empty<string>()));

    protected override string? RequestedUri => Hosts.Count == 1 ? Hosts[0] : null;

    /// <summary>Whether this record names more than one host.</summary>
    protected bool IsFanOut => Hosts.Count > 1;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (IsBound(nameof(Connection)) && IsBound(nameof(Uri)))
        {
            ThrowTerminatingError(ErrorHelper.Create(
                new ArgumentException("-Uri and -Connection both name the hosts; give one of them."),
                "UriAndConnectionGiven", ErrorCategory.InvalidArgument, Uri));
        }
    }

    /// <summary>
    /// Runs <paramref name="query"/> on every host of this record (in parallel when there are
    /// several) and writes each item with <paramref name="write"/> on the pipeline thread. Returns
    /// the hosts that answered.
    /// </summary>
    protected IReadOnlyList<string> ForEachHost<T>(Func<LibvirtConnection, IReadOnlyList<T>> query, Action<T> write)
    {
        KvmSessionState session = Session;
        return ForEachHostUri((uri, cancel) => query(uri is null ? GetConnection() : session.GetConnection(uri, null, cancel)), write);
    }

    /// <summary>
    /// As <see cref="ForEachHost{T}(Func{LibvirtConnection, IReadOnlyList{T}}, Action{T})"/> for a
    /// query that opens what it needs itself; it gets the host's URI (null: the one host of a
    /// single-host call, on the pipeline thread).
    /// </summary>
    protected IReadOnlyList<string> ForEachHostUri<T>(Func<string?, CancellationToken, IReadOnlyList<T>> query, Action<T> write)
    {
        if (!IsFanOut)
        {
            foreach (T item in query(null, CancelToken))
            {
                write(item);
            }
            return new[] { EffectiveUri };
        }
        var answered = new List<string>();
        foreach (HostResult<T> r in HostFanOut.Run(Hosts, (uri, cancel) => query(uri, cancel), CancelToken))
        {
            if (r.Error is null)
            {
                WriteVerbose($"{r.Uri}: {r.Items.Count} result(s).");
                answered.Add(r.Uri);
                r.Items.ToList().ForEach(write);
            }
            else
            {
                WriteHostError(r.Uri, r.Error);
            }
        }
        return answered;
    }

    private void WriteHostError(string uri, Exception error)
    {
        switch (error)
        {
            case OperationCanceledException when CancelToken.IsCancellationRequested:
                throw new PipelineStoppedException();
            case KvmConnectionLostException lost:
                WriteError(ErrorHelper.ConnectionLost(lost, "ConnectionLost"));
                break;
            case LibvirtException e when e.IsConnectFailure:
                WriteError(ErrorHelper.Libvirt(e, "ConnectionFailed", uri, uri));
                break;
            case LibvirtException e:
                WriteError(ErrorHelper.Libvirt(e, FailureErrorId, uri, uri));
                break;
            default:
                WriteError(ErrorHelper.Create(error, FailureErrorId, ErrorHelper.CategoryOfHostFailure(error) ?? ErrorCategory.NotSpecified, uri, $"{uri}: {error.Message}"));
                break;
        }
    }
}
