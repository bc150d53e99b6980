namespace KvmPS.Engine.Guest;

/// <summary>
/// What guest-exec runs: a program path, its arguments and bytes for its standard input.
/// A script's text goes to the shell's standard input (<c>/bin/sh -s -- args</c>), so it has no
/// length limit of a command line and needs no quoting; a command runs as it is, without a shell.
/// </summary>
public sealed record GuestScript(string Path, IReadOnlyList<string> Arguments, byte[]? Input)
{
    /// <summary>The shell used for script text unless another is named.</summary>
    public const string DefaultShell = "/bin/sh";

    /// <summary>A script for the shell; <paramref name="arguments"/> become $1, $2...</summary>
    public static GuestScript FromText(string text, IEnumerable<string>? arguments, string shell = DefaultShell)
    {
        string body = text.Replace("\r\n", "\n");
        if (!body.EndsWith('\n'))
        {
            body += "\n";
        }
        var args = new List<string> { "-s", "--" };
        args.AddRange(arguments ?? Array.Empty<string>());
        return new GuestScript(shell, args, System.Text.Encoding.UTF8.GetBytes(body));
    }

    /// <summary>A program in the guest run directly, without a shell.</summary>
    public static GuestScript FromCommand(string program, IEnumerable<string>? arguments) =>
        new(program, (arguments ?? Array.Empty<string>()).ToList(), null);
}
