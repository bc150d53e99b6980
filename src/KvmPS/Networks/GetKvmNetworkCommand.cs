using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Networks;

namespace KvmPS.Commands;

/// <summary>Lists libvirt networks with their mode, bridge, subnets, DHCP ranges and state.</summary>
[Cmdlet(VerbsCommon.Get, "KvmNetwork", DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmNetwork))]
public sealed class GetKvmNetworkCommand : KvmCmdlet
{
    /// <summary>Names of the networks: wildcards are case-insensitive, a literal name matches exactly. All networks when omitted.</summary>
    [Parameter(Position = 0, ParameterSetName = "Name", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Network", "NetworkName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Networks to read again as they are now, each by its UUID on the host it came from.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "InputObject", ValueFromPipeline = true)]
    [KvmKind(typeof(KvmNetwork))]
    public KvmNetwork[] InputObject { get; set; } = Array.Empty<KvmNetwork>();

    protected override void ProcessRecordCore()
    {
        if (ParameterSetName == "InputObject")
        {
            foreach (KvmNetwork net in InputObject)
            {
                var c = GetConnection(net.Uri);
                using var h = NetworkNames.Lookup(c, net, WriteError);
                if (h is not null)
                {
                    WriteObject(NetworkService.Read(h).ToObject(c.Uri));
                }
            }
            return;
        }
        var conn = GetConnection();
        string[] names = Name is { Length: > 0 } ? Name : new[] { "*" };
        var matches = names.Select(NameMatch.For).ToList();

        // One bulk read for every name of this record; literal names are checked afterwards so
        // that a missing one is reported, as Get-Service does.
        var found = NetworkService.ListAll(conn, name => matches.Any(m => m.Matches(name)))
            .Select(s => s.ToObject(conn.Uri))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
        WriteObject(found, enumerateCollection: true);
        foreach (string n in matches.Where(m => !m.IsWildcard).Select(m => m.Typed))
        {
            if (!found.Any(f => string.Equals(f.Name, n, StringComparison.Ordinal)))
            {
                WriteError(NetworkNames.NotFound(n, NetworkService.Names(conn)));
            }
        }
    }
}
