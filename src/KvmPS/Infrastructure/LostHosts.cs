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

    public bool Contains(string uri) => _uris.Contains(uri);

    public void Remove(string uri) => _uris.Remove(uri);
}
