using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>
/// The URIs of one session whose connection died and has not been opened again since. While such
/// a host stays down every command says ConnectionLost; ConnectionFailed is for a host that was
/// never reached. Used under the session's lock.
/// </summary>
internal sealed class LostHosts
{
    private readonly HashSet<string> _uris = new(StringComparer.Ordinal);

    public void Add(IEnumerable<string> uris) => _uris.UnionWith(uris);

    public void Clear() => _uris.Clear();

    /// <summary>Opens a connection; a failure for a lost host becomes KvmConnectionLostException, a success forgets the loss.</summary>
    public LibvirtConnection Open(string uri, string display, Func<LibvirtConnection> open)
    {
        try
        {
            LibvirtConnection conn = open();
            _uris.Remove(uri);
            return conn;
        }
        catch (LibvirtException ex) when (_uris.Contains(uri))
        {
            throw new KvmConnectionLostException(display, ex, reopened: true);
        }
    }
}
