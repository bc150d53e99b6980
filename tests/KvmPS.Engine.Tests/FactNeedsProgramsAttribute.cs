using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>A fact that is skipped, with the reason, when a program it runs is not on the PATH.</summary>
public sealed class FactNeedsProgramsAttribute : FactAttribute
{
    public FactNeedsProgramsAttribute(params string[] programs)
    {
        string[] missing = programs.Where(p => !OnPath(p)).ToArray();
        if (missing.Length > 0)
        {
            Skip = $"needs {string.Join(" and ", missing)} on the PATH";
        }
    }

    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));
}
