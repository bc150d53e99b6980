using System.Runtime.CompilerServices;
using System.Text;

namespace KvmPS.Engine.Statistics;

/// <summary>
/// The names of typed parameters, decoded once: a bulk statistics call repeats the same names
/// (state.state, block.0.rd.bytes, ...) for every domain, so each name's bytes become a string the
/// first time and the same string after that. One instance per call (not shared between threads).
/// </summary>
internal sealed class ParameterNames
{
    private readonly Dictionary<ulong, string> _byHash = new();

    /// <summary>The name in <paramref name="bytes"/> (no terminating NUL), from the cache when it was seen before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Get(ReadOnlySpan<byte> bytes)
    {
        ulong hash = Fnv1a(bytes);
        if (_byHash.TryGetValue(hash, out string? known) && SameText(known, bytes))
        {
            return known;
        }
        string name = Encoding.UTF8.GetString(bytes);
        // A hash collision keeps the first name; the second is decoded each time (still right, only slower).
        _byHash.TryAdd(hash, name);
        return name;
    }

    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in bytes)
        {
            h = (h ^ b) * 1099511628211UL;
        }
        return h;
    }

    /// <summary>Whether an ASCII name equals the bytes (a non-ASCII name is compared through its UTF-8 form).</summary>
    private static bool SameText(string s, ReadOnlySpan<byte> bytes)
    {
        if (s.Length != bytes.Length)
        {
            return Encoding.UTF8.GetByteCount(s) == bytes.Length && Encoding.UTF8.GetBytes(s).AsSpan().SequenceEqual(bytes);
        }
        for (int i = 0; i < s.Length; i++)
        {
            // Same length in chars and bytes: equal only as ASCII.
            if (s[i] != bytes[i])
            {
                return false;
            }
        }
        return true;
    }
}
