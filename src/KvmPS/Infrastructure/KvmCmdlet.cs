using System.Management.Automation;
using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>
/// Base of the cmdlets that act on a host: adds the common -Uri and -Connection parameters. A
/// KvmConnection (from Connect-KvmHost -PassThru or Get-KvmConnection) names its host the way
/// -Uri does, and reuses that connection (one opened with -Credential included) in this runspace.
/// </summary>
public abstract class KvmCmdlet : KvmCmdletBase
{
    /// <summary>libvirt connection URI; defaults to Connect-KvmHost's host, then LIBVIRT_DEFAULT_URI, then libvirt's default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UriCompleter))]
    public string? Uri { get; set; }

    /// <summary>An open connection (Connect-KvmHost -PassThru, Get-KvmConnection) to act on instead of -Uri.</summary>
    [Parameter]
    [ValidateNotNull]
    public KvmConnection? Connection { get; set; }

    protected override string? RequestedUri => Connection is null ? Uri : ConnectionUri.Of(Connection);

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (IsBound(nameof(Connection)) && IsBound(nameof(Uri)))
        {
            ThrowTerminatingError(ErrorHelper.Create(
                new ArgumentException("-Uri and -Connection both name the host; give one of them."),
                "UriAndConnectionGiven", ErrorCategory.InvalidArgument, Uri));
        }
    }
}
