using System.Globalization;
using System.Text;

namespace KvmPS.Engine;

/// <summary>
/// libvirt's cpuset syntax: comma-separated numbers and ranges with optional exclusions,
/// e.g. <c>0-3,8,^2</c>. Parsing is strict: anything malformed is a FormatException.
/// </summary>
public static class CpuSet
{
    /// <summary>Parses a cpuset into the sorted, distinct CPU numbers it names.</summary>
    public static int[] Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("A cpuset cannot be empty.");
        }
        var include = new SortedSet<int>();
        var exclude = new HashSet<int>();
        foreach (string raw in text.Split(','))
        {
            string part = raw.Trim();
            bool negate = part.StartsWith('^');
            if (negate)
            {
                part = part[1..];
            }
            int dash = part.IndexOf('-');
            int lo, hi;
            if (dash < 0)
            {
                lo = hi = ParseNumber(part, text);
            }
            else
            {
                lo = ParseNumber(part[..dash], text);
                hi = ParseNumber(part[(dash + 1)..], text);
                if (hi < lo)
                {
                    throw new FormatException($"'{text}' is not a valid cpuset: range {part} runs backwards.");
                }
            }
            for (int i = lo; i <= hi; i++)
            {
                (negate ? (ISet<int>)exclude : include).Add(i);
            }
        }
        include.ExceptWith(exclude);
        if (include.Count == 0)
        {
            throw new FormatException($"'{text}' is not a valid cpuset: it names no CPU.");
        }
        return include.ToArray();
    }

    private static int ParseNumber(string s, string whole)
    {
        if (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n > 65535)
        {
            throw new FormatException($"'{whole}' is not a valid cpuset: '{s}' is not a CPU number.");
        }
        return n;
    }

    /// <summary>Formats CPU numbers in the shortest range form: 0,1,2,3,8 becomes <c>0-3,8</c>.</summary>
    public static string Format(IEnumerable<int> cpus)
    {
        int[] sorted = cpus.Distinct().OrderBy(c => c).ToArray();
        var sb = new StringBuilder();
        for (int i = 0; i < sorted.Length;)
        {
            int start = sorted[i];
            int end = start;
            while (i + 1 < sorted.Length && sorted[i + 1] == end + 1)
            {
                end = sorted[++i];
            }
            i++;
            if (sb.Length > 0)
            {
                sb.Append(',');
            }
            sb.Append(start.ToString(CultureInfo.InvariantCulture));
            if (end > start)
            {
                sb.Append(end == start + 1 ? ',' : '-').Append(end.ToString(CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }
}
