namespace KvmPS.Engine;

/// <summary>
/// Writes a small text file (a manifest) so that readers see the old file or the whole new one,
/// never half of it: the text goes to <c>&lt;path&gt;.tmp</c> first and is then moved over the
/// path; a failure leaves no temporary file behind.
/// </summary>
public static class FileReplace
{
    public static void WriteAllText(string path, string text)
    {
        string temp = path + ".tmp";
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
