namespace KvmPS.Engine.HostChecks;

/// <summary>
/// One change to the host: a command (program and argument list) or a file write. ReadState
/// reads, fresh from the host, the state the change is about, so the result can show it before
/// and after.
/// </summary>
public sealed class RepairStep
{
    public string Check { get; init; } = "";

    /// <summary>What the step does, for ShouldProcess and the result.</summary>
    public string Action { get; init; } = "";

    /// <summary>What the step changes (a module, a file, a user), for ShouldProcess.</summary>
    public string Target { get; init; } = "";

    public string? Program { get; init; }
    public string[] Arguments { get; init; } = Array.Empty<string>();

    public string? FilePath { get; init; }
    public string? FileContent { get; init; }

    /// <summary>True for a configuration file that is created; false for an existing /proc or /sys setting.</summary>
    public bool CreateFile { get; init; }

    public Func<string> ReadState { get; init; } = () => "";

    /// <summary>The command line, or the file write, as a shell user would type it.</summary>
    public string CommandText => Program is not null
        ? string.Join(' ', new[] { Program }.Concat(Arguments.Select(Quote)))
        : $"echo {Quote(FileContent?.TrimEnd('\n') ?? "")} > {FilePath}";

    private static string Quote(string a) =>
        a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_=./:,@+".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'";
}
