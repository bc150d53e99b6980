using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>A cached connection died and could not be reopened.</summary>
public sealed class KvmConnectionLostException : Exception
{
    public KvmConnectionLostException(string uri, LibvirtException inner, bool reopened)
        : base(reopened
            ? $"The connection to '{uri}' was lost (has the libvirt daemon stopped?) and could not be reopened: {inner.LibvirtMessage}"
            : $"The connection to '{uri}' was lost during the operation (has the libvirt daemon stopped?): {inner.LibvirtMessage}. The next command opens a new connection.", inner)
    {
        Uri = uri;
    }

    public string Uri { get; }

    public LibvirtException Libvirt => (LibvirtException)InnerException!;
}
