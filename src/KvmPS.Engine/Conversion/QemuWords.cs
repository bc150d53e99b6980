using System.Text;

namespace KvmPS.Engine.Conversion;

/// <summary>
/// Splits a command line into words as a POSIX shell would for a plain command: blanks separate,
/// single quotes keep everything, double quotes keep all but \" and \\, a backslash escapes the
/// next character, and a backslash at the end of a line joins the lines.
/// </summary>
public static class QemuWords
{
    public static IReadOnlyList<string> Split(string text)
    {
        var words = new List<string>();
        var cur = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                char next = text[++i];
                if (next == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                    continue;
                }
                if (next == '\n')
                {
                    continue;
                }
                cur.Append(next);
                inWord = true;
            }
            else if (c == '\'')
            {
                int end = text.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw new QemuCommandLineException("QemuBadQuoting", $"A single quote at position {i} is never closed.");
                }
                cur.Append(text, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == '"')
            {
                int j = i + 1;
                for (; j < text.Length && text[j] != '"'; j++)
                {
                    if (text[j] == '\\' && j + 1 < text.Length && text[j + 1] is '"' or '\\' or '$' or '`')
                    {
                        j++;
                    }
                    cur.Append(text[j]);
                }
                if (j >= text.Length)
                {
                    throw new QemuCommandLineException("QemuBadQuoting", $"A double quote at position {i} is never closed.");
                }
                i = j;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(cur.ToString());
                    cur.Clear();
                    inWord = false;
                }
            }
            else
            {
                cur.Append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            words.Add(cur.ToString());
        }
        return words;
    }
}
