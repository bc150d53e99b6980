using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>One open of a session's connection, outside the session's lock.</summary>
internal static class ConnectionOpening
{
    /// <summary>Opens <paramref name="uri"/>; a failure for a host whose connection died before becomes KvmConnectionLostException.</summary>
    public static LibvirtConnection Open(string uri, string display, bool wasLost, ConnectCredential? credential,
        Action<string>? verbose, CancellationToken cancel)
    {
        verbose?.Invoke($"Opening libvirt connection to '{display}'{(credential is null ? "" : " with a credential")}.");
        LibvirtConnection conn;
        try
        {
            conn = LibvirtConnection.Open(uri, ConnectionTimeouts.FromEnvironment(), cancel, credential);
        }
        catch (LibvirtException ex) when (wasLost)
        {
            throw new KvmConnectionLostException(display, ex, reopened: true);
        }
        verbose?.Invoke(conn.KeepAliveNote);
        return conn;
    }
}
