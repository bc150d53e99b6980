using System.Management.Automation;
using KvmPS.Engine.Networks;

namespace KvmPS.Commands;

/// <summary>Lists libvirt networks with their mode, bridge, subnets, DHCP ranges and state.</summary>
[Cmdlet(VerbsCommon.Get, "KvmNetwork")]
[OutputType(typeof(KvmNetwork))]
public sealed class GetKvmNetworkCommand : KvmCmdlet
{
    /// <summary>Names of the networks; wildcards allowed. All networks when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Network", "NetworkName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecordCore()
    {
        var conn = GetConnection();
        string[] names = Name is { Length: > 0 } ? Name : new[] { "*" };
        var patterns = names.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();

        // One bulk read for every name of this record; literal names are checked afterwards so
        // that a missing one is reported, as Get-Service does.
        var found = NetworkService.ListAll(conn, name => patterns.Any(p => p.IsMatch(name)))
            .Select(s => s.ToObject(conn.Uri))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
        WriteObject(found, enumerateCollection: true);
        foreach (string n in names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
        {
            if (!found.Any(f => string.Equals(f.Name, n, StringComparison.OrdinalIgnoreCase)))
            {
                WriteError(NetworkNames.NotFound(n));
            }
        }
    }
}
