namespace KvmPS.Engine.Storage;

/// <summary>
/// The rule for a path that names a file of a host which is not this machine: it is that host's
/// path, so it must be absolute there (a relative one would be resolved against nothing known).
/// </summary>
public static class RemotePath
{
    /// <summary>The refusal for <paramref name="path"/> given as -<paramref name="parameter"/> on <paramref name="uri"/>, or null when it is absolute.</summary>
    public static string? Problem(string uri, string parameter, string path) =>
        path.StartsWith('/')
            ? null
            : $"-{parameter} '{path}' is relative, but it names a file of {uri}, which is not this machine: give its absolute path there.";
}
