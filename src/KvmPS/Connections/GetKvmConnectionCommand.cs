using System.Management.Automation;

namespace KvmPS.Commands;

/// <summary>Lists the open libvirt connections of this session.</summary>
[Cmdlet(VerbsCommon.Get, "KvmConnection")]
[OutputType(typeof(KvmConnection))]
public sealed class GetKvmConnectionCommand : KvmCmdletBase
{
    /// <summary>Only connections whose URI matches (wildcards allowed); objects that remember their host bind by their Uri.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(UriCompleter))]
    public string? Uri { get; set; }

    /// <summary>Only the session's default connection.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    // Listing never opens a connection, so there is no URI to resolve.
    protected override string? RequestedUri => null;

    protected override void ProcessRecordCore()
    {
        var pattern = string.IsNullOrEmpty(Uri) ? null : WildcardPattern.Get(Uri, WildcardOptions.IgnoreCase);
        int found = 0;
        foreach (var conn in Session.Connections)
        {
            bool isDefault = Session.IsDefault(conn);
            if (Default && !isDefault)
            {
                continue;
            }
            if (pattern is not null && !pattern.IsMatch(conn.Uri) && !pattern.IsMatch(conn.RequestedUri))
            {
                continue;
            }
            WriteObject(conn.Describe(isDefault));
            found++;
        }
        if (found == 0 && !string.IsNullOrEmpty(Uri) && !WildcardPattern.ContainsWildcardCharacters(Uri))
        {
            WriteError(ErrorHelper.Create(new ItemNotFoundException($"There is no open connection to '{Uri}' in this session."),
                "ConnectionNotFound", ErrorCategory.ObjectNotFound, Uri));
        }
    }
}
