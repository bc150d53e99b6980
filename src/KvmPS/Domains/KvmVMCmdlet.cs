using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Base of the cmdlets that act on existing VMs: -Name (an exact name, else a wildcard; or any
/// object with a Name property) or -VM (KvmVM objects from the pipeline, which remember their host
/// and are found by UUID). Each VM is handled on its own, so one failing VM does not stop the
/// others. The cmdlets have no default parameter set, so a piped KvmVM binds to -VM.
/// </summary>
public abstract class KvmVMCmdlet : KvmCmdlet
{
    /// <summary>Name(s) of the VM: an exact (case-sensitive) name, else a wildcard (case-insensitive).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("VMName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(VMNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>VM objects, e.g. from Get-KvmVM or New-KvmVM; objects of another kind (a network, a pool) are refused.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "VM", ValueFromPipeline = true)]
    [KvmKind(typeof(KvmVM))]
    public KvmVM[] VM { get; set; } = Array.Empty<KvmVM>();

    private string? _current;

    protected override object? ErrorTarget => _current ?? (object?)EffectiveUri;

    protected override void ProcessRecordCore()
    {
        foreach (var (conn, name, matched, uuid) in Targets())
        {
            _current = name;
            try
            {
                // An object from the pipeline names exactly one VM, by UUID: never a name look-alike.
                using DomainHandle h = uuid is Guid id && id != Guid.Empty ? conn.LookupDomain(id) : conn.LookupDomain(name);
                ProcessVM(conn, h, name);
            }
            catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain && matched)
            {
                // A wildcard found it a moment ago and it has gone since: nothing to act on.
                WriteVerbose($"VM '{name}' disappeared before it could be handled: {e.LibvirtMessage}");
            }
            catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain && conn.IsAlive)
            {
                string which = uuid is Guid g && g != Guid.Empty ? $"No VM named '{name}' with UUID {g}" : $"No VM named '{name}'";
                WriteError(ErrorHelper.Create(e, "VMNotFound", ErrorCategory.ObjectNotFound, name,
                    $"{which} was found on {conn.Uri}.{NameMatch.CaseHint(DomainNames(conn), name)}"));
            }
            catch (LibvirtException e) when (conn.IsAlive)
            {
                WriteError(ErrorHelper.Libvirt(e, FailureErrorId, name));
            }
            catch (Exception e) when (ErrorHelper.CategoryOfHostFailure(e) is ErrorCategory category)
            {
                WriteError(ErrorHelper.Create(e, FailureErrorId, category, name, e.Message));
            }
            finally
            {
                _current = null;
            }
        }
    }

    /// <summary>The work for one VM.</summary>
    protected abstract void ProcessVM(LibvirtConnection conn, DomainHandle domain, string name);

    private static List<string> DomainNames(LibvirtConnection conn) =>
        conn.ListAllDomains().Select(h => { using (h) { return LibvirtConnection.GetName(h); } }).ToList();

    /// <summary>
    /// What to act on: each piped VM by its UUID; each typed name as NameMatch selects it (the
    /// exact name first, then the wildcard; a literal is passed through so a missing one is reported).
    /// </summary>
    private IEnumerable<(LibvirtConnection Conn, string Name, bool FromWildcard, Guid? Uuid)> Targets()
    {
        if (ParameterSetName == "VM")
        {
            foreach (KvmVM vm in VM)
            {
                yield return (GetConnection(vm.Uri), vm.Name, false, vm.Uuid);
            }
            yield break;
        }
        LibvirtConnection conn = GetConnection();
        List<string>? all = null;
        foreach (string n in Name)
        {
            var match = NameMatch.For(n);
            if (!match.IsWildcard)
            {
                yield return (conn, n, false, null);
                continue;
            }
            all ??= DomainNames(conn);
            foreach (string hit in match.Select(all))
            {
                yield return (conn, hit, hit != n, null);
            }
        }
    }

    /// <summary>
    /// Polls a VM's state until it is <paramref name="wanted"/> or the timeout passes, with
    /// progress; Ctrl+C stops the wait. Returns the last state seen and whether it was reached.
    /// </summary>
    protected (bool Reached, KvmVMState Last) WaitForState(DomainHandle h, string name, KvmVMState wanted, int timeoutSec, string activity)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var progress = new ProgressRecord(1, $"{activity} '{name}'", $"Waiting for state {wanted}");
        try
        {
            while (true)
            {
                KvmVMState now;
                try
                {
                    now = DomainService.GetState(h).State;
                }
                catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
                {
                    // A transient VM disappears when it stops.
                    now = KvmVMState.ShutOff;
                }
                double elapsed = sw.Elapsed.TotalSeconds;
                if (now == wanted || elapsed >= timeoutSec)
                {
                    return (now == wanted, now);
                }
                progress.StatusDescription = $"Waiting for state {wanted} (now {now})";
                progress.PercentComplete = (int)Math.Min(99, elapsed * 100 / Math.Max(timeoutSec, 1));
                progress.SecondsRemaining = (int)(timeoutSec - elapsed);
                WriteProgress(progress);
                if (CancelToken.WaitHandle.WaitOne(200))
                {
                    throw new PipelineStoppedException();
                }
            }
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }

    /// <summary>Emits the VM as it is now (for -PassThru); a transient VM that has ended emits nothing.</summary>
    protected void WriteVM(LibvirtConnection conn, DomainHandle h)
    {
        WriteEngineWarnings();
        try
        {
            WriteObject(DomainService.Get(conn, h));
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
        {
            WriteVerbose("The VM is transient and has ended: there is nothing left to return.");
        }
    }
}
