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

    /// <summary>Returns the connection object.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string? RequestedUri => Uri;

    protected override string FailureErrorId => "ConnectFailed";

    protected override object? ErrorTarget => Uri;

    protected override void ProcessRecordCore()
    {
        LibvirtConnection conn = GetConnection();
        Session.SetDefault(Uri);
        WriteVerbose($"Connected to '{conn.Uri}'; it is now this session's default host.");
        if (PassThru)
        {
            WriteObject(conn.Describe(isDefault: true));
        }
    }
}
