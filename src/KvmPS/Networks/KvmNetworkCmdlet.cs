using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Networks;

namespace KvmPS.Commands;

/// <summary>
/// Base of the cmdlets that act on existing networks. -Name takes names (wildcards allowed) or any
/// object with a Name (or Network) property, and -Uri binds from the same object, so networks
/// piped from Get-KvmNetwork -Uri A are acted on at host A. Each network is handled on its own:
/// one failure does not stop the others.
/// </summary>
public abstract class KvmNetworkCmdlet : KvmCmdlet
{
    /// <summary>Name(s) of the network; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Network", "NetworkName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Networks from Get-KvmNetwork: each names exactly that network (by UUID) on the host it came from.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "InputObject", ValueFromPipeline = true)]
    [KvmKind(typeof(KvmNetwork))]
    public KvmNetwork[] InputObject { get; set; } = Array.Empty<KvmNetwork>();

    private string? _current;

    protected override object? ErrorTarget => _current ?? (object?)EffectiveUri;

    protected override void ProcessRecordCore()
    {
        foreach (var (conn, name, matched, net) in NetworkNames.Targets(GetConnection, ParameterSetName == "InputObject" ? InputObject : null, Name))
        {
            _current = name;
            try
            {
                using NetworkHandle? h = net is null ? NetworkNames.Lookup(conn, name, matched, WriteError) : NetworkNames.Lookup(conn, net, WriteError);
                if (h is not null)
                {
                    ProcessNetwork(conn, h, name);
                }
            }
            catch (NetworkPlanException e)
            {
                WriteError(NetworkNames.PlanError(e, name));
            }
            catch (LibvirtException e) when (conn.IsAlive)
            {
                WriteError(ErrorHelper.Libvirt(e, FailureErrorId, name));
            }
            finally
            {
                _current = null;
            }
        }
    }

    /// <summary>The work for one network.</summary>
    protected abstract void ProcessNetwork(LibvirtConnection conn, NetworkHandle network, string name);

    /// <summary>
    /// Refuses to cut running VMs off a network unless -Force was given: writes NetworkInUse and
    /// returns false.
    /// </summary>
    protected bool AllowedToCutOff(string name, List<string> running, bool force, string doing)
    {
        if (running.Count == 0 || force)
        {
            return true;
        }
        WriteError(ErrorHelper.Create(
            new InvalidOperationException($"Network '{name}' is used by running VM(s): {string.Join(", ", running)}. {doing} it cuts them off; use -Force to do it anyway."),
            "NetworkInUse", ErrorCategory.InvalidOperation, name));
        return false;
    }

    /// <summary>Emits the network as it is now (for -PassThru).</summary>
    protected void WriteNetwork(LibvirtConnection conn, NetworkHandle h) => WriteObject(NetworkService.Read(h).ToObject(conn.Uri));
}
