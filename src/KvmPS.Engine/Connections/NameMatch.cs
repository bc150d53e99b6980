using System.Text;
using System.Text.RegularExpressions;

namespace KvmPS.Engine;

/// <summary>
/// The one rule by which a name the user typed selects libvirt objects. libvirt names are
/// case-sensitive, so a literal name matches exactly; a name with wildcard characters is a
/// PowerShell wildcard (<c>*</c>, <c>?</c>, <c>[a-z]</c>, backtick escapes), matched without
/// regard to case, and it also finds an object whose name is exactly the typed text (so a VM named
/// <c>x-[br]</c> can be named). A pattern that is not a valid wildcard (<c>x-[y</c>) is a literal
/// name. Objects from the pipeline never go through this: they name one object each.
/// </summary>
public sealed class NameMatch
{
    private readonly Regex? _pattern;

    private NameMatch(string typed, Regex? pattern)
    {
        Typed = typed;
        _pattern = pattern;
    }

    /// <summary>What the user typed.</summary>
    public string Typed { get; }

    /// <summary>Whether the typed text is a valid wildcard pattern (and so may match several names).</summary>
    public bool IsWildcard => _pattern is not null;

    /// <summary>The matcher for one typed name.</summary>
    public static NameMatch For(string typed) => new(typed, ToRegex(typed));

    /// <summary>Whether the typed text is a valid wildcard pattern; an invalid one is a literal.</summary>
    public static bool IsPattern(string typed) => ToRegex(typed) is not null;

    /// <summary>Whether <paramref name="name"/> is selected by <paramref name="typed"/> (exactly, or by the wildcard).</summary>
    public static bool Matches(string name, string typed) => For(typed).Matches(name);

    /// <summary>Whether <paramref name="name"/> is selected: the exact name, or a match of the wildcard.</summary>
    public bool Matches(string name) =>
        string.Equals(name, Typed, StringComparison.Ordinal) || (_pattern?.IsMatch(name) ?? false);

    /// <summary>
    /// The names a non-Get cmdlet acts on: the exact name when an object has it (even if it looks
    /// like a wildcard), else every name the wildcard matches (sorted), else none.
    /// </summary>
    public IReadOnlyList<string> Select(IEnumerable<string> names)
    {
        var list = names as IReadOnlyCollection<string> ?? names.ToList();
        if (list.Contains(Typed, StringComparer.Ordinal))
        {
            return new[] { Typed };
        }
        return _pattern is null
            ? Array.Empty<string>()
            : list.Where(n => _pattern.IsMatch(n)).OrderBy(n => n, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// For a literal name that matched nothing: the names that differ from it only in case, as the
    /// hint " Did you mean 'v1'?" (empty when there are none).
    /// </summary>
    public static string CaseHint(IEnumerable<string> names, string typed)
    {
        var near = names.Where(n => !string.Equals(n, typed, StringComparison.Ordinal)
                                    && string.Equals(n, typed, StringComparison.OrdinalIgnoreCase))
                        .OrderBy(n => n, StringComparer.Ordinal)
                        .Select(n => $"'{n}'")
                        .ToList();
        return near.Count == 0 ? "" : $" Did you mean {string.Join(" or ", near)}? Names are case-sensitive.";
    }

    /// <summary>
    /// The wildcard as an anchored, case-insensitive regex; null when the text has no wildcard
    /// characters or is not a valid pattern (an unclosed or empty bracket).
    /// </summary>
    private static Regex? ToRegex(string typed)
    {
        var sb = new StringBuilder("^");
        bool wild = false;
        for (int i = 0; i < typed.Length; i++)
        {
            char c = typed[i];
            switch (c)
            {
                case '`':
                    // An escaped character is itself; a trailing backtick is a backtick.
                    sb.Append(Regex.Escape(i + 1 < typed.Length ? typed[++i].ToString() : "`"));
                    break;
                case '*':
                    sb.Append(".*");
                    wild = true;
                    break;
                case '?':
                    sb.Append('.');
                    wild = true;
                    break;
                case '[':
                    int end = AppendBracket(typed, i, sb);
                    if (end < 0)
                    {
                        return null;
                    }
                    i = end;
                    wild = true;
                    break;
                case ']':
                    // PowerShell counts a lone ']' as a wildcard character that matches itself.
                    sb.Append(@"\]");
                    wild = true;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        if (!wild)
        {
            return null;
        }
        try
        {
            return new Regex(sb.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
        catch (ArgumentException)
        {
            // A reversed range such as [z-a]: not a pattern, so a literal name.
            return null;
        }
    }

    /// <summary>Appends the character class that starts at <paramref name="start"/>; returns the index of its ']' or -1.</summary>
    private static int AppendBracket(string typed, int start, StringBuilder sb)
    {
        var cls = new StringBuilder("[");
        int i = start + 1;
        for (; i < typed.Length && typed[i] != ']'; i++)
        {
            char c = typed[i];
            if (c == '`' && i + 1 < typed.Length)
            {
                c = typed[++i];
                cls.Append(EscapeInClass(c));
            }
            else if (c == '-' && cls.Length > 1 && i + 1 < typed.Length && typed[i + 1] != ']')
            {
                cls.Append('-');
            }
            else
            {
                cls.Append(EscapeInClass(c));
            }
        }
        if (i >= typed.Length || cls.Length == 1)
        {
            return -1;
        }
        sb.Append(cls).Append(']');
        return i;
    }

    private static string EscapeInClass(char c) => c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c : c.ToString();
}
