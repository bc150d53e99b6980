using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Base of the cmdlets that act on one existing snapshot: -VMName and -Name (exact names), or
/// KvmSnapshot objects from the pipeline (-Snapshot), which name their VM by UUID on the host they
/// came from. With both, -VMName must be the snapshot's own VM: a snapshot of another VM is refused.
/// </summary>
public abstract class KvmSnapshotCmdlet : KvmCmdlet
{
    /// <summary>The VM the snapshot belongs to (exact name).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name")]
    [Parameter(ParameterSetName = "Snapshot")]
    [ArgumentCompleter(typeof(VMNameCompleter))]
    public string VMName { get; set; } = "";

    /// <summary>The snapshot's name (exact).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Name")]
    [Alias("SnapshotName")]
    [ArgumentCompleter(typeof(SnapshotNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>Snapshot objects, e.g. from Get-KvmSnapshot or Checkpoint-KvmVM.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Snapshot", ValueFromPipeline = true)]
    [KvmKind(typeof(KvmSnapshot))]
    public KvmSnapshot[] Snapshot { get; set; } = Array.Empty<KvmSnapshot>();

    private string? _current;

    protected override object? ErrorTarget => _current ?? (object?)EffectiveUri;

    protected override void ProcessRecordCore()
    {
        var targets = ParameterSetName == "Snapshot"
            ? Snapshot.Select(s => (Conn: GetConnection(s.Uri), Vm: s.VMName, Uuid: (Guid?)s.VMUuid, Snap: s.Name)).ToList()
            : new() { (GetConnection(), VMName, null, Name) };
        foreach (var (conn, vm, uuid, snap) in targets)
        {
            _current = snap;
            try
            {
                if (IsBound(nameof(VMName)) && ParameterSetName == "Snapshot" && !string.Equals(VMName, vm, StringComparison.Ordinal))
                {
                    WriteError(ErrorHelper.InvalidArgument($"Snapshot '{snap}' belongs to VM '{vm}', not to VM '{VMName}'.", "SnapshotOfAnotherVM", snap));
                    continue;
                }
                using DomainHandle h = uuid is Guid id && id != Guid.Empty ? conn.LookupDomain(id) : conn.LookupDomain(vm);
                ProcessSnapshot(conn, h, vm, snap);
            }
            catch (VmRequestException e)
            {
                WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, e.Target));
            }
            catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain && conn.IsAlive)
            {
                WriteError(ErrorHelper.Create(e, "VMNotFound", ErrorCategory.ObjectNotFound, vm, $"No VM named '{vm}' was found on {conn.Uri}."));
            }
            catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomainSnapshot && conn.IsAlive)
            {
                WriteError(ErrorHelper.Create(e, "SnapshotNotFound", ErrorCategory.ObjectNotFound, snap, $"VM '{vm}' has no snapshot named '{snap}'."));
            }
            catch (LibvirtException e) when (conn.IsAlive)
            {
                WriteError(ErrorHelper.Libvirt(e, FailureErrorId, snap));
            }
            finally
            {
                _current = null;
            }
        }
    }

    /// <summary>The work for one snapshot of one VM.</summary>
    protected abstract void ProcessSnapshot(LibvirtConnection conn, DomainHandle domain, string vm, string name);

    /// <summary>Writes the snapshot as it is now.</summary>
    protected void WriteSnapshot(LibvirtConnection conn, DomainHandle h, string name) =>
        WriteObject(SnapshotReader.Read(conn, h).Single(s => s.Name == name));
}
