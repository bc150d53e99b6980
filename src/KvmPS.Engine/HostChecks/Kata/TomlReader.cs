using System.Globalization;
using System.Text;

namespace KvmPS.Engine.HostChecks.Kata;

/// <summary>
/// A small TOML reader for configuration files such as Kata's configuration.toml: tables
/// ([hypervisor.qemu]), key = value with basic and literal strings, integers, floats, booleans
/// and arrays (over several lines too), and comments. Values come back by their dotted path
/// ("hypervisor.qemu.path"): strings as string, numbers as long or double, booleans as bool,
/// arrays as object[]. Inline tables and dates are not read (Kata's files have none).
/// </summary>
public static class TomlReader
{
    public static Dictionary<string, object> Read(string text)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        string table = "";
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = StripComment(lines[n]).Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith('['))
            {
                bool arrayTable = line.StartsWith("[[", StringComparison.Ordinal);
                string inner = arrayTable ? line.TrimStart('[').TrimEnd(']') : line[1..^1];
                if (!line.EndsWith(']') || inner.Trim().Length == 0)
                {
                    throw new FormatException($"line {n + 1}: '{lines[n].Trim()}' is not a table header.");
                }
                table = string.Join('.', inner.Split('.').Select(p => p.Trim().Trim('"')));
                continue;
            }
            int eq = line.IndexOf('=');
            if (eq <= 0)
            {
                throw new FormatException($"line {n + 1}: '{lines[n].Trim()}' is neither a table header nor key = value.");
            }
            string key = line[..eq].Trim().Trim('"');
            string raw = line[(eq + 1)..].Trim();
            // An array may go on over several lines until its brackets balance.
            while (raw.StartsWith('[') && Depth(raw) > 0 && n + 1 < lines.Length)
            {
                raw += " " + StripComment(lines[++n]).Trim();
            }
            int pos = 0;
            object value = Value(raw, ref pos, n + 1);
            if (raw[pos..].Trim().Length > 0)
            {
                throw new FormatException($"line {n + 1}: unexpected '{raw[pos..].Trim()}' after the value of {key}.");
            }
            values[table.Length == 0 ? key : $"{table}.{key}"] = value;
        }
        return values;
    }

    private static int Depth(string s)
    {
        int depth = 0;
        bool inStr = false;
        char quote = '\0';
        foreach (char c in s)
        {
            if (inStr)
            {
                inStr = c != quote;
                continue;
            }
            if (c is '"' or '\'')
            {
                inStr = true;
                quote = c;
            }
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
        }
        return depth;
    }

    private static string StripComment(string line)
    {
        bool inStr = false;
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (inStr)
            {
                if (c == '\\' && quote == '"')
                {
                    i++;
                }
                else if (c == quote)
                {
                    inStr = false;
                }
            }
            else if (c is '"' or '\'')
            {
                inStr = true;
                quote = c;
            }
            else if (c == '#')
            {
                return line[..i];
            }
        }
        return line;
    }

    private static object Value(string s, ref int pos, int line)
    {
        while (pos < s.Length && char.IsWhiteSpace(s[pos]))
        {
            pos++;
        }
        if (pos >= s.Length)
        {
            throw new FormatException($"line {line}: a value is missing.");
        }
        char c = s[pos];
        if (c == '"')
        {
            var sb = new StringBuilder();
            for (pos++; pos < s.Length && s[pos] != '"'; pos++)
            {
                if (s[pos] == '\\' && pos + 1 < s.Length)
                {
                    char e = s[++pos];
                    sb.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '"' => '"', '\\' => '\\', _ => e });
                }
                else
                {
                    sb.Append(s[pos]);
                }
            }
            if (pos >= s.Length)
            {
                throw new FormatException($"line {line}: a string is not closed.");
            }
            pos++;
            return sb.ToString();
        }
        if (c == '\'')
        {
            int end = s.IndexOf('\'', pos + 1);
            if (end < 0)
            {
                throw new FormatException($"line {line}: a string is not closed.");
            }
            string lit = s[(pos + 1)..end];
            pos = end + 1;
            return lit;
        }
        if (c == '[')
        {
            var items = new List<object>();
            pos++;
            while (true)
            {
                while (pos < s.Length && (char.IsWhiteSpace(s[pos]) || s[pos] == ','))
                {
                    pos++;
                }
                if (pos >= s.Length)
                {
                    throw new FormatException($"line {line}: an array is not closed.");
                }
                if (s[pos] == ']')
                {
                    pos++;
                    return items.ToArray();
                }
                items.Add(Value(s, ref pos, line));
            }
        }
        int start = pos;
        while (pos < s.Length && s[pos] is not (',' or ']') && !char.IsWhiteSpace(s[pos]))
        {
            pos++;
        }
        string word = s[start..pos];
        if (word is "true" or "false")
        {
            return word == "true";
        }
        string digits = word.Replace("_", "");
        if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            return l;
        }
        if (digits.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(digits[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long h))
        {
            return h;
        }
        if (double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
        {
            return d;
        }
        throw new FormatException($"line {line}: '{word}' is not a TOML value.");
    }
}
