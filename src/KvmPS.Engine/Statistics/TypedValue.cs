namespace KvmPS.Engine.Statistics;

/// <summary>
/// One typed parameter's value without boxing: which kind it is and its 64 bits (a string keeps
/// its text). Integers are signed or unsigned 64-bit, as libvirt's union had them.
/// </summary>
internal readonly struct TypedValue
{
    internal enum Kinds : byte { Int64, UInt64, Double, Boolean, String }

    private readonly long _bits;
    private readonly string? _text;

    private TypedValue(Kinds kind, long bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        _text = text;
    }

    public Kinds Kind { get; }

    public static TypedValue Signed(long v) => new(Kinds.Int64, v, null);

    public static TypedValue Unsigned(ulong v) => new(Kinds.UInt64, unchecked((long)v), null);

    public static TypedValue Real(double v) => new(Kinds.Double, BitConverter.DoubleToInt64Bits(v), null);

    public static TypedValue Flag(bool v) => new(Kinds.Boolean, v ? 1 : 0, null);

    public static TypedValue Text(string v) => new(Kinds.String, 0, v);

    /// <summary>The value of a .NET object (what the public constructor is given); null for a type that is not a parameter's.</summary>
    public static TypedValue? From(object value) => value switch
    {
        long l => Signed(l),
        int i => Signed(i),
        ulong u => Unsigned(u),
        uint u => Unsigned(u),
        double d => Real(d),
        bool b => Flag(b),
        string s => Text(s),
        _ => null,
    };

    public long AsInt64 => _bits;

    public ulong AsUInt64 => unchecked((ulong)_bits);

    public double AsDouble => BitConverter.Int64BitsToDouble(_bits);

    public string? AsText => _text;

    /// <summary>The value as an object (boxed), as the indexer and events hand it out.</summary>
    public object ToObject() => Kind switch
    {
        Kinds.Int64 => AsInt64,
        Kinds.UInt64 => AsUInt64,
        Kinds.Double => AsDouble,
        Kinds.Boolean => _bits != 0,
        _ => _text ?? "",
    };
}
