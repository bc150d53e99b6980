using System.Globalization;

namespace KvmPS.Engine.Storage;

/// <summary>A source host of a pool: a name or address with an optional port.</summary>
public readonly record struct StorageHost(string Name, int? Port)
{
    /// <summary>
    /// Reads "name", "name:port", "[v6addr]:port" or a bare IPv6 address. Throws ArgumentException
    /// for an empty name, a bad port or a name that is neither a DNS name nor an address.
    /// </summary>
    public static StorageHost Parse(string text)
    {
        string s = (text ?? "").Trim();
        string name = s;
        string? port = null;
        if (s.StartsWith('['))
        {
            int close = s.IndexOf(']');
            if (close < 0)
            {
                throw new ArgumentException($"Source host '{text}' has '[' without ']'.");
            }
            name = s[1..close];
            string rest = s[(close + 1)..];
            if (rest.Length > 0)
            {
                port = rest.StartsWith(':') ? rest[1..] : throw new ArgumentException($"Source host '{text}' is not 'name' or 'name:port'.");
            }
        }
        else if (s.Count(c => c == ':') == 1)
        {
            // Exactly one colon is host:port; more than one is a bare IPv6 address.
            int colon = s.IndexOf(':');
            name = s[..colon];
            port = s[(colon + 1)..];
        }
        if (Uri.CheckHostName(name) == UriHostNameType.Unknown)
        {
            throw new ArgumentException($"Source host '{text}' is not a host name or IP address.");
        }
        int? p = null;
        if (port is not null)
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 65535)
            {
                throw new ArgumentException($"Source host '{text}' has an invalid port '{port}' (1-65535).");
            }
            p = n;
        }
        return new StorageHost(name, p);
    }

    public override string ToString() => Port is null ? Name : Name.Contains(':') ? $"[{Name}]:{Port}" : $"{Name}:{Port}";
}
