namespace KvmPS.Engine.Guest;

/// <summary>Unix permission bits as octal text ("644", "0755").</summary>
public static class FileModeText
{
    public static bool TryParse(string? text, out int mode)
    {
        mode = 0;
        string t = (text ?? "").Trim();
        if (t.Length is < 1 or > 4 || t.Any(c => c is < '0' or > '7'))
        {
            return false;
        }
        mode = Convert.ToInt32(t, 8);
        return true;
    }

    public static string Format(int mode) => Convert.ToString(mode & 0xfff, 8);
}
