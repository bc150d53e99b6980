using System.Management.Automation;

namespace KvmPS.Commands;

/// <summary>Closes a connection of this session (the default one when no URI is given).</summary>
[Cmdlet(VerbsCommunications.Disconnect, "KvmHost")]
[OutputType(typeof(void))]
public sealed class DisconnectKvmHostCommand : KvmCmdletBase
{
    /// <summary>URI of the connection to close; default: the session's default connection.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UriCompleter))]
    public string? Uri { get; set; }

    protected override string? RequestedUri => Uri;

    protected override object? ErrorTarget => Uri;

    protected override void ProcessRecordCore()
    {
        string uri = EffectiveUri;
        if (Session.Close(uri))
        {
            WriteVerbose($"Closed the connection to '{KvmSessionState.Display(uri)}'.");
            return;
        }
        WriteError(ErrorHelper.Create(
            new InvalidOperationException($"There is no open connection to '{KvmSessionState.Display(uri)}' in this session."),
            "NotConnected", ErrorCategory.ObjectNotFound, uri));
    }
}
