using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Statistics;

/// <summary>
/// libvirt's typed parameters (virTypedParameter: name, type, value) read into a name-to-value map,
/// the one place that knows their layout. Integers are kept as signed or unsigned 64-bit, booleans,
/// doubles and strings as such, unboxed; numeric getters accept any integer type. A bulk call
/// reads thousands of these, so values are structs and names are decoded once per call (ParameterNames).
/// </summary>
public sealed class TypedParameters
{
    internal const int TypeInt = 1, TypeUInt = 2, TypeLLong = 3, TypeULLong = 4, TypeDouble = 5, TypeBoolean = 6, TypeString = 7;

    private readonly Dictionary<string, TypedValue> _values;

    /// <summary>Parameters from .NET values (long, ulong, int, uint, double, bool, string); other types are left out.</summary>
    public TypedParameters(IDictionary<string, object> values)
    {
        _values = new Dictionary<string, TypedValue>(values.Count, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (TypedValue.From(value) is TypedValue v)
            {
                _values[name] = v;
            }
        }
    }

    private TypedParameters(Dictionary<string, TypedValue> values) => _values = values;

    /// <summary>The parameter names, as libvirt reported them.</summary>
    public IEnumerable<string> Names => _values.Keys;

    public int Count => _values.Count;

    /// <summary>Reads <paramref name="count"/> parameters from libvirt's array (the array is not freed here).</summary>
    internal static unsafe TypedParameters Read(Libvirt.VirTypedParameter* items, int count) => Read(items, count, new ParameterNames());

    /// <summary>Reads parameters with names decoded through <paramref name="names"/> (shared by the records of one call).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe TypedParameters Read(Libvirt.VirTypedParameter* items, int count, ParameterNames names)
    {
        var values = new Dictionary<string, TypedValue>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            Libvirt.VirTypedParameter* p = &items[i];
            if (Convert(p->Type, &p->Value) is TypedValue value)
            {
                values[names.Get(NameBytes(p->Field, 80))] = value;
            }
        }
        return new TypedParameters(values);
    }

    /// <summary>The bytes of a NUL-terminated name in a fixed field of <paramref name="length"/> bytes (never read past it).</summary>
    private static unsafe ReadOnlySpan<byte> NameBytes(byte* field, int length)
    {
        var span = new ReadOnlySpan<byte>(field, length);
        int n = span.IndexOf((byte)0);
        return n < 0 ? span : span[..n];
    }

    /// <summary>A NUL-terminated name from a fixed field of <paramref name="length"/> bytes (never read past it).</summary>
    internal static unsafe string ReadName(byte* field, int length) => System.Text.Encoding.UTF8.GetString(NameBytes(field, length));

    /// <summary>The value of one union by its type; null for a type this version does not know.</summary>
    private static unsafe TypedValue? Convert(int type, long* union) => type switch
    {
        TypeInt => TypedValue.Signed(*(int*)union),
        TypeUInt => TypedValue.Unsigned(*(uint*)union),
        TypeLLong => TypedValue.Signed(*union),
        TypeULLong => TypedValue.Unsigned(*(ulong*)union),
        TypeDouble => TypedValue.Real(*(double*)union),
        TypeBoolean => TypedValue.Flag(*(byte*)union != 0),
        TypeString => TypedValue.Text(Marshal.PtrToStringUTF8(*(IntPtr*)union) ?? ""),
        _ => null,
    };

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>An integer parameter as ulong (negative values are null); null when absent or not a number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong? GetUInt64(string name)
    {
        if (!_values.TryGetValue(name, out TypedValue v))
        {
            return null;
        }
        return v.Kind switch
        {
            TypedValue.Kinds.UInt64 => v.AsUInt64,
            TypedValue.Kinds.Int64 when v.AsInt64 >= 0 => (ulong)v.AsInt64,
            TypedValue.Kinds.Double when v.AsDouble >= 0 => (ulong)v.AsDouble,
            _ => null,
        };
    }

    /// <summary>An integer parameter as long; null when absent or not a number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long? GetInt64(string name)
    {
        if (!_values.TryGetValue(name, out TypedValue v))
        {
            return null;
        }
        return v.Kind switch
        {
            TypedValue.Kinds.Int64 => v.AsInt64,
            TypedValue.Kinds.UInt64 when v.AsUInt64 <= long.MaxValue => (long)v.AsUInt64,
            _ => null,
        };
    }

    public string? GetString(string name) =>
        !_values.TryGetValue(name, out TypedValue v) ? null : v.Kind == TypedValue.Kinds.String ? v.AsText : v.ToObject().ToString();

    public bool? GetBoolean(string name)
    {
        if (!_values.TryGetValue(name, out TypedValue v))
        {
            return null;
        }
        return v.Kind switch
        {
            TypedValue.Kinds.Boolean or TypedValue.Kinds.Int64 or TypedValue.Kinds.UInt64 => v.AsInt64 != 0,
            _ => null,
        };
    }

    /// <summary>The raw value, or null.</summary>
    public object? this[string name] => _values.TryGetValue(name, out TypedValue v) ? v.ToObject() : null;
}
