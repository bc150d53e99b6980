namespace KvmPS.Engine.Domains;

/// <summary>
/// What -CloudInit was given: the user-data itself, or the path of a file on this machine that
/// holds it. The seed ISO is made on this machine, so the file is read here whatever the host.
/// </summary>
public static class CloudInitSource
{
    /// <summary>
    /// The user-data: the file's text when <paramref name="value"/> is one line naming an existing
    /// file (resolved with <paramref name="resolvePath"/>), else <paramref name="value"/> itself.
    /// A directory is refused: it can only be a mistyped path.
    /// </summary>
    public static string Read(string vmName, string value, Func<string, string> resolvePath)
    {
        if (value.Contains('\n') || value.StartsWith('#'))
        {
            return value;
        }
        string path;
        try
        {
            path = resolvePath(value.Trim());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Text that is no path at all (the resolver may refuse "a: b" as an unknown drive).
            return value;
        }
        if (Directory.Exists(path))
        {
            throw VmRequestException.Invalid(vmName, "CloudInitIsDirectory", $"-CloudInit '{path}' is a directory; give the user-data or the path of a file holding it.");
        }
        return File.Exists(path) ? File.ReadAllText(path) : value;
    }
}
