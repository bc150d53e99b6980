using System.Globalization;
using System.Text;

namespace KvmPS.Engine;

/// <summary>
/// The one rule for the name of a new libvirt object (VM, network, storage pool, volume): not
/// empty, no '/', no control characters, no leading or trailing whitespace. A name that breaks it
/// would look like another name in every listing (a tab, a space) or could not be a file name.
/// </summary>
public static class ObjectName
{
    /// <summary>Null when <paramref name="name"/> is a valid name for a new <paramref name="kind"/>, else the message that says why not.</summary>
    public static string? Validate(string kind, string? name)
    {
        name ??= "";
        bool ok = name.Trim().Length > 0 && name == name.Trim() && !name.Contains('/') && !name.Any(char.IsControl);
        return ok ? null
            : $"'{Show(name)}' is not a valid {kind} name: it must be non-empty, without '/', control characters or leading/trailing spaces.";
    }

    /// <summary>The name with its control characters written as escapes (\t, \u0001), so a message shows what was given.</summary>
    public static string Show(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            sb.Append(c switch
            {
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
