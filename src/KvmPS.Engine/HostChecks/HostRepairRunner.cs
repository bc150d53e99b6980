using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace KvmPS.Engine.HostChecks;

/// <summary>Applies repair steps: commands through CliWrap with argument lists, settings through the file system.</summary>
public static class HostRepairRunner
{
    public static KvmHostRepair Apply(RepairStep step, HostCheckContext ctx, CancellationToken cancel)
    {
        string before = step.ReadState();
        if (step.Program is not null)
        {
            if (!ctx.Fs.IsLive)
            {
                throw new HostRepairException(
                    $"The host checks read the tree {ctx.Fs.Root} ({HostFileSystem.RootVariable}), not this system: '{step.CommandText}' was not run.");
            }
            string program = ResolveProgram(step.Program)
                ?? throw new HostRepairException($"{step.Program} is not installed (looked in PATH and the sbin directories).");
            BufferedCommandResult result;
            try
            {
                result = Cli.Wrap(program)
                    .WithArguments(step.Arguments)
                    .WithValidation(CommandResultValidation.None)
                    .ExecuteBufferedAsync(Encoding.UTF8, cancel)
                    .GetAwaiter().GetResult();
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new HostRepairException($"'{step.CommandText}' could not start: {e.Message}");
            }
            if (result.ExitCode != 0)
            {
                string detail = (result.StandardError.Trim() + " " + result.StandardOutput.Trim()).Trim();
                throw new HostRepairException($"'{step.CommandText}' exited with code {result.ExitCode}{(detail.Length > 0 ? ": " + detail : ".")}");
            }
        }
        else if (step.FilePath is not null)
        {
            try
            {
                ctx.Fs.WriteText(step.FilePath, step.FileContent ?? "", step.CreateFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new HostRepairException($"Writing {step.FilePath} failed: {e.Message}");
            }
        }
        return new KvmHostRepair
        {
            Check = step.Check,
            Action = step.Action,
            Command = step.CommandText,
            Before = before,
            After = step.ReadState(),
            ComputerName = ctx.ComputerName,
        };
    }

    /// <summary>A program by name: PATH first, then the sbin directories a non-root PATH often lacks.</summary>
    internal static string? ResolveProgram(string name)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(new[] { "/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin" });
        return dirs.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }
}
