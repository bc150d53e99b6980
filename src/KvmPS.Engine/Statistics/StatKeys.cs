using System.Collections.Concurrent;

namespace KvmPS.Engine.Statistics;

/// <summary>
/// The field names of indexed statistics (block.0.rd.bytes, net.1.name, vcpu.3.time), made once
/// and reused: reading a thousand domains' disks would otherwise format the same names thousands of times.
/// </summary>
internal static class StatKeys
{
    private const int CachedIndexes = 256;

    private static readonly ConcurrentDictionary<(string Group, int Index, string Field), string> s_keys = new();

    /// <summary>"<paramref name="group"/>.<paramref name="index"/>.<paramref name="field"/>".</summary>
    public static string Of(string group, int index, string field) =>
        index < CachedIndexes ? s_keys.GetOrAdd((group, index, field), static k => Format(k.Group, k.Index, k.Field)) : Format(group, index, field);

    private static string Format(string group, int index, string field) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{group}.{index}.{field}");
}
