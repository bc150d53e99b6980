using System.Runtime.InteropServices;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Statistics;

/// <summary>
/// libvirt's typed parameters (virTypedParameter: name, type, value) read into a name-to-value map,
/// the one place that knows their layout. Integers are kept as long or ulong, booleans as bool,
/// doubles as double and strings as string; numeric getters accept any integer type.
/// </summary>
public sealed class TypedParameters
{
    internal const int TypeInt = 1, TypeUInt = 2, TypeLLong = 3, TypeULLong = 4, TypeDouble = 5, TypeBoolean = 6, TypeString = 7;

    private readonly Dictionary<string, object> _values;

    public TypedParameters(IDictionary<string, object> values) =>
        _values = new Dictionary<string, object>(values, StringComparer.Ordinal);

    /// <summary>The parameter names, as libvirt reported them.</summary>
    public IEnumerable<string> Names => _values.Keys;

    public int Count => _values.Count;

    /// <summary>Reads <paramref name="count"/> parameters from libvirt's array (the array is not freed here).</summary>
    internal static unsafe TypedParameters Read(Libvirt.VirTypedParameter* items, int count)
    {
        var values = new Dictionary<string, object>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            Libvirt.VirTypedParameter* p = &items[i];
            string name = ReadName(p->Field, 80);
            object? value = Convert(p->Type, &p->Value);
            if (value is not null)
            {
                values[name] = value;
            }
        }
        return new TypedParameters(values);
    }

    /// <summary>A NUL-terminated name from a fixed field of <paramref name="length"/> bytes (never read past it).</summary>
    internal static unsafe string ReadName(byte* field, int length)
    {
        int n = 0;
        while (n < length && field[n] != 0)
        {
            n++;
        }
        return System.Text.Encoding.UTF8.GetString(field, n);
    }

    /// <summary>The value of one union by its type; null for a type this version does not know.</summary>
    internal static unsafe object? Convert(int type, long* union) => type switch
    {
        TypeInt => (long)*(int*)union,
        TypeUInt => (ulong)*(uint*)union,
        TypeLLong => *union,
        TypeULLong => *(ulong*)union,
        TypeDouble => *(double*)union,
        TypeBoolean => *(byte*)union != 0,
        TypeString => Marshal.PtrToStringUTF8(*(IntPtr*)union) ?? "",
        _ => null,
    };

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>An integer parameter as ulong (negative values are null); null when absent or not a number.</summary>
    public ulong? GetUInt64(string name) => _values.TryGetValue(name, out object? v) ? v switch
    {
        ulong u => u,
        long l when l >= 0 => (ulong)l,
        double d when d >= 0 => (ulong)d,
        _ => null,
    } : null;

    /// <summary>An integer parameter as long; null when absent or not a number.</summary>
    public long? GetInt64(string name) => _values.TryGetValue(name, out object? v) ? v switch
    {
        long l => l,
        ulong u when u <= long.MaxValue => (long)u,
        _ => null,
    } : null;

    public string? GetString(string name) => _values.TryGetValue(name, out object? v) ? v as string ?? v.ToString() : null;

    public bool? GetBoolean(string name) => _values.TryGetValue(name, out object? v) ? v switch
    {
        bool b => b,
        long l => l != 0,
        ulong u => u != 0,
        _ => null,
    } : null;

    /// <summary>The raw value, or null.</summary>
    public object? this[string name] => _values.TryGetValue(name, out object? v) ? v : null;
}
