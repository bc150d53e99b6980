using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>One open of a session's connection, outside the session's lock.</summary>
internal static class ConnectionOpening
{
    /// <summary>
    /// Opens <paramref name="uri"/>; a failure for a host whose connection died before becomes KvmConnectionLostException.
    /// A <paramref name="connectTimeout"/> replaces the one of the environment (KVMPS_CONNECT_TIMEOUT) for this open.
    /// </summary>
    public static LibvirtConnection Open(string uri, string display, bool wasLost, ConnectCredential? credential,
        Action<string>? verbose, CancellationToken cancel, TimeSpan? connectTimeout = null)
    {
        verbose?.Invoke($"Opening libvirt connection to '{display}'{(credential is null ? "" : " with a credential")}.");
        LibvirtConnection conn;
        try
        {
            ConnectionTimeouts timeouts = ConnectionTimeouts.FromEnvironment();
            if (connectTimeout is TimeSpan limit)
            {
                timeouts = timeouts with { ConnectTimeout = limit };
            }
            conn = LibvirtConnection.Open(uri, timeouts, cancel, credential);
        }
        catch (LibvirtException ex) when (wasLost)
        {
            throw new KvmConnectionLostException(display, ex, reopened: true);
        }
        verbose?.Invoke(conn.KeepAliveNote);
        return conn;
    }
}
