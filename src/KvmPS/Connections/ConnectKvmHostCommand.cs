using System.Management.Automation;
using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>Opens a libvirt connection and makes it the session's default host.</summary>
[Cmdlet(VerbsCommunications.Connect, "KvmHost")]
[OutputType(typeof(KvmConnection))]
public sealed class ConnectKvmHostCommand : KvmCmdletBase
{
    /// <summary>libvirt connection URI, e.g. qemu:///system, qemu+ssh://root@host/system, test:///default.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(UriCompleter))]
    public string Uri { get; set; } = "";

    /// <summary>
    /// User name and password for a host that asks for them (SASL over qemu+tcp:// or qemu+tls://,
    /// qemu+libssh://). Used for this connect only: the open connection is reused by its URI or
    /// KvmConnection, and the password is not kept.
    /// </summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>
    /// Seconds to wait for the host to answer while opening (a host that drops the packets, a
    /// daemon that accepts and never answers); replaces KVMPS_CONNECT_TIMEOUT (default 20) for this connect.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; }

    /// <summary>Returns the connection object.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string? RequestedUri => Uri;

    protected override string FailureErrorId => "ConnectFailed";

    protected override object? ErrorTarget => Uri;

    protected override void ProcessRecordCore()
    {
        ConnectCredential? credential = Credential is null || Credential == PSCredential.Empty
            ? null : new ConnectCredential(Credential.UserName, Credential.Password);
        if (credential is not null && CredentialPlan.TransportNote(Uri) is string note)
        {
            WriteWarning(note);
        }
        // A wrong or missing password is one error (ConnectionFailed, category AuthenticationError), never a second prompt.
        TimeSpan? timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : null;
        LibvirtConnection conn = Session.Connect(Uri, credential, WriteVerbose, CancelToken, timeout);
        Session.SetDefault(Uri);
        WriteVerbose($"Connected to '{conn.Uri}'; it is now this session's default host.");
        if (PassThru)
        {
            WriteObject(conn.Describe(isDefault: true));
        }
    }
}
