using System.Management.Automation;
using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>
/// Base of every KvmPS cmdlet: the common -Uri parameter, connection lookup through the runspace's
/// session state, cancellation on Ctrl+C, and the catch order that keeps pipelines healthy
/// (stop/flow-control exceptions pass through; libvirt failures become ErrorRecords).
/// </summary>
public abstract class KvmCmdletBase : KvmParameterAwareCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>The URI given to this cmdlet, or null for the session's default.</summary>
    protected abstract string? RequestedUri { get; }

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken CancelToken => _cancel.Token;

    protected KvmSessionState Session => KvmSessionState.Current;

    /// <summary>The URI this cmdlet acts on.</summary>
    protected string EffectiveUri => Session.ResolveUri(RequestedUri);

    /// <summary>The connection for this cmdlet's URI, opened once per session and reused.</summary>
    protected LibvirtConnection GetConnection() => _lastConnection = Session.GetConnection(EffectiveUri, WriteVerbose, CancelToken);

    /// <summary>
    /// The connection for an object that remembers its host: an explicit -Uri wins, then the
    /// object's own URI, then the session default.
    /// </summary>
    protected LibvirtConnection GetConnection(string? objectUri) =>
        _lastConnection = Session.GetConnection(
            !string.IsNullOrWhiteSpace(RequestedUri) || string.IsNullOrWhiteSpace(objectUri) ? EffectiveUri : objectUri!,
            WriteVerbose, CancelToken);

    private LibvirtConnection? _lastConnection;

    /// <summary>The ErrorId used when a libvirt call fails without a more specific one.</summary>
    protected virtual string FailureErrorId => GetType().Name.Replace("Command", "") + "Failed";

    protected sealed override void ProcessRecord() => Guarded(ProcessRecordCore);

    /// <summary>
    /// Runs <paramref name="work"/> with the error handling of every record: for cmdlets that
    /// gather their input first and do the work once, at the end (EndProcessing).
    /// </summary>
    protected void Guarded(Action work)
    {
        // Warnings the engine raises on the way (a definition defined without the schema check)
        // are written here, on the pipeline thread, whatever the outcome.
        using EngineWarnings warnings = EngineWarnings.Collect();
        _warnings = warnings;
        try
        {
            work();
        }
        catch (Exception e) when (e is PipelineStoppedException or FlowControlException)
        {
            throw;
        }
        catch (KvmConnectionLostException e)
        {
            WriteError(ErrorHelper.ConnectionLost(e, "ConnectionLost"));
        }
        catch (LibvirtException e) when (_lastConnection is { IsAlive: false } dead)
        {
            // The daemon went away under this call: drop the dead connection so the next
            // command opens a new one, and say what happened.
            Session.Drop(dead);
            _lastConnection = null;
            var lost = new KvmConnectionLostException(KvmSessionState.Display(dead.Uri), e, reopened: false);
            WriteError(ErrorHelper.ConnectionLost(lost, "ConnectionLost"));
        }
        catch (LibvirtException e) when (e.IsConnectFailure)
        {
            // The host could not be reached at all: one ErrorId in every cmdlet.
            WriteError(ErrorHelper.Libvirt(e, "ConnectionFailed", EffectiveUri));
        }
        catch (LibvirtException e)
        {
            WriteError(ErrorHelper.Libvirt(e, FailureErrorId, ErrorTarget));
        }
        catch (PayloadTooLargeException e)
        {
            WriteError(ErrorHelper.InvalidArgument(e.Message, PayloadTooLargeException.ErrorId, ErrorTarget));
        }
        catch (KvmPS.Engine.Domains.DomainEditConflictException e)
        {
            // Someone else kept changing the VM's definition: nothing of this change was made.
            WriteError(ErrorHelper.Create(e, e.ErrorId, ErrorHelper.CategoryOf(e.Kind), ErrorTarget, e.Message));
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception e) when (ErrorHelper.CategoryOfHostFailure(e) is ErrorCategory category)
        {
            // Files, paths and helper programs (qemu-img, xorriso) fail for one item: report it
            // and let the pipeline go on.
            WriteError(ErrorHelper.Create(e, FailureErrorId, category, ErrorTarget, e.Message));
        }
        catch (DllNotFoundException e)
        {
            ThrowTerminatingError(ErrorHelper.Create(e, "LibvirtNotInstalled", ErrorCategory.NotInstalled, null, e.Message));
        }
        finally
        {
            _warnings = null;
            if (!Stopping)
            {
                foreach (string m in warnings.Drain())
                {
                    WriteWarning(m);
                }
            }
        }
    }

    private EngineWarnings? _warnings;

    /// <summary>Writes the engine's warnings collected so far (call before writing output, so they come first).</summary>
    protected void WriteEngineWarnings()
    {
        foreach (string m in _warnings?.Drain() ?? Array.Empty<string>())
        {
            WriteWarning(m);
        }
    }

    /// <summary>The per-record work.</summary>
    protected abstract void ProcessRecordCore();

    /// <summary>The target of an ErrorRecord raised from a libvirt failure (the object's name, never the cmdlet).</summary>
    protected virtual object? ErrorTarget => EffectiveUri;

    protected override void StopProcessing()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The pipeline ended before the stop request arrived: nothing left to cancel.
        }
    }

    /// <summary>PowerShell disposes a cmdlet when its pipeline ends, however it ends.</summary>
    public void Dispose()
    {
        _cancel.Dispose();
        GC.SuppressFinalize(this);
    }
}
