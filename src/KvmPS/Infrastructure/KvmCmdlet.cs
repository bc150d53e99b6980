using System.Management.Automation;
using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>Base of the cmdlets that act on a host: adds the common -Uri parameter.</summary>
public abstract class KvmCmdlet : KvmCmdletBase
{
    /// <summary>libvirt connection URI; defaults to Connect-KvmHost's host, then LIBVIRT_DEFAULT_URI, then libvirt's default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UriCompleter))]
    public string? Uri { get; set; }

    protected override string? RequestedUri => Uri;
}
