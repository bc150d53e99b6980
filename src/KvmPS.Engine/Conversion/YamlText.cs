using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace KvmPS.Engine.Conversion;

/// <summary>
/// Writes a tree of <see cref="YamlMap"/>, lists and scalars as YAML through YamlDotNet's emitter.
/// A string is written plain only when every YAML 1.1 and 1.2 reader takes it back as the same
/// string; otherwise quoted (so "1", "yes", "52:54:00:12:34:56" or "0-3" stay strings), and a
/// string with line breaks as a literal block (cloud-init user-data).
/// </summary>
public static class YamlText
{
    private static readonly Regex s_plainSafe = new("^[A-Za-z0-9_/][A-Za-z0-9_./-]*$", RegexOptions.CultureInvariant);

    // What a YAML 1.1 or 1.2 reader would take as a number or a date rather than a string.
    private static readonly Regex s_numberLike = new(
        @"^([-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o[0-7_]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$", RegexOptions.CultureInvariant);

    private static readonly HashSet<string> s_reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf",
    };

    /// <summary>One YAML document of the tree (no document markers).</summary>
    public static string Write(object root)
    {
        using var w = new StringWriter(CultureInfo.InvariantCulture);
        var e = new Emitter(w, 2, int.MaxValue);
        e.Emit(new StreamStart());
        e.Emit(new DocumentStart(null, null, true));
        Emit(e, root);
        e.Emit(new DocumentEnd(true));
        e.Emit(new StreamEnd());
        return w.ToString().Replace("\r\n", "\n");
    }

    /// <summary>Several documents, separated by "---".</summary>
    public static string WriteAll(IEnumerable<string> documents) => string.Join("---\n", documents);

    /// <summary>Whether a string would be written without quotes.</summary>
    public static bool IsPlain(string s) => s_plainSafe.IsMatch(s) && !s_numberLike.IsMatch(s) && !s_reserved.Contains(s);

    private static void Emit(IEmitter e, object? value)
    {
        switch (value)
        {
            case YamlMap map:
                e.Emit(new MappingStart(null, null, true, MappingStyle.Block));
                foreach (var (key, v) in map)
                {
                    Scalar(e, key);
                    Emit(e, v);
                }
                e.Emit(new MappingEnd());
                break;
            case System.Collections.IEnumerable list and not string:
                e.Emit(new SequenceStart(null, null, true, SequenceStyle.Block));
                foreach (object? item in list)
                {
                    Emit(e, item);
                }
                e.Emit(new SequenceEnd());
                break;
            case bool b:
                e.Emit(new Scalar(null, null, b ? "true" : "false", ScalarStyle.Plain, true, false));
                break;
            case int or long or uint or ulong:
                e.Emit(new Scalar(null, null, Convert.ToString(value, CultureInfo.InvariantCulture)!, ScalarStyle.Plain, true, false));
                break;
            default:
                Scalar(e, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                break;
        }
    }

    private static void Scalar(IEmitter e, string s)
    {
        ScalarStyle style = s.Contains('\n') ? ScalarStyle.Literal : IsPlain(s) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted;
        e.Emit(new Scalar(null, null, s, style, style == ScalarStyle.Plain, style != ScalarStyle.Plain));
    }
}
