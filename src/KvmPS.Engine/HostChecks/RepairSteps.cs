namespace KvmPS.Engine.HostChecks;

/// <summary>The building blocks of the repair plans: commands, package installs, modprobe, and fresh reads of the state.</summary>
internal static class RepairSteps
{
    /// <summary>The same context, without cached facts: to read the state after a change.</summary>
    public static HostCheckContext Fresh(HostCheckContext ctx) => new(ctx.Fs, ctx.Uri, null);

    public static RepairStep Command(string check, string action, string target, Func<string> state, string program, params string[] args) => new()
    {
        Check = check, Action = action, Target = target, ReadState = state, Program = program, Arguments = args,
    };

    public static string ModuleText(HostCheckContext ctx, string module) => $"{module}: {HostCheckText.State(Fresh(ctx).Module(module))}";

    /// <summary>Installs a package when allowed; otherwise a note saying how.</summary>
    public static (RepairStep? Step, string? Note) Install(HostCheckContext ctx, RepairOptions o, string check, string package, string why)
    {
        if (ctx.Distro.InstallCommand(package) is not { } cmd)
        {
            return (null, $"{why}: install {package} with the distribution's package manager.");
        }
        if (!o.AllowPackageInstall)
        {
            return (null, $"{why}: installing {package} needs -AllowPackageInstall.");
        }
        return (Command(check, $"Install package {package}", package, () => InstalledText(ctx, package), cmd.Program, cmd.Arguments), null);
    }

    public static string InstalledText(HostCheckContext ctx, string package)
    {
        var f = Fresh(ctx);
        string? program = package == HostDistribution.KmodPackage ? f.FindProgram("modprobe")
            : package == ctx.Distro.LibvirtPackage ? HostPrograms.DaemonProgram(f)
            : HostPrograms.FindQemu(f, f.Architecture);
        return program is null ? $"{package}: not installed" : $"{package}: {program}";
    }

    /// <summary>modprobe with arguments, installing kmod first when modprobe is missing and that is allowed.</summary>
    public static RepairPlan Modprobe(HostCheckContext ctx, RepairOptions o, string check, string module, Func<string>? state = null)
    {
        if (!ctx.ModulesSupported)
        {
            return RepairPlan.Manual($"This kernel cannot load modules (no /proc/modules): {module} must be built in.");
        }
        var steps = new List<RepairStep>();
        if (ctx.FindProgram("modprobe") is null)
        {
            var (install, note) = Install(ctx, o, check, HostDistribution.KmodPackage, "modprobe is not installed");
            if (install is null)
            {
                return RepairPlan.Manual(note!);
            }
            steps.Add(install);
        }
        steps.Add(Command(check, $"Load kernel module {module}", module, state ?? (() => ModuleText(ctx, module)), "modprobe", module));
        return new RepairPlan(steps, null);
    }
}
