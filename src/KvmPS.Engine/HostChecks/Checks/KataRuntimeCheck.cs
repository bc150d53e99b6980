using KvmPS.Engine.HostChecks.Kata;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>
/// Whether Kata's runtime is installed and its configuration.toml can be found and read, and whether
/// the hypervisor, kernel and guest image it names exist.
/// </summary>
internal sealed class KataRuntimeCheck : IHostCheck
{
    public string Name => HostCheckNames.KataRuntime;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        string? runtime = ctx.FindProgram("kata-runtime", "/opt/kata/bin") ?? ctx.FindProgram("containerd-shim-kata-v2", "/opt/kata/bin");
        string? path = KataConfiguration.SearchPaths.FirstOrDefault(p => ctx.Fs.Stat(p).Kind == HostNodeKind.File);
        if (runtime is null && path is null)
        {
            return HostCheckFinding.Fail("No Kata runtime (kata-runtime or containerd-shim-kata-v2 in /usr/bin, /usr/local/bin, /opt/kata/bin) and no configuration.toml.",
                "# Install Kata Containers: the kata-static release tarball unpacked at / (it fills /opt/kata), or kata-deploy on a Kubernetes node.",
                $"{ctx.Sudo}ln -s /opt/kata/bin/kata-runtime /usr/local/bin/kata-runtime",
                $"{ctx.Sudo}ln -s /opt/kata/bin/containerd-shim-kata-v2 /usr/local/bin/containerd-shim-kata-v2");
        }
        if (path is null)
        {
            return HostCheckFinding.Fail($"{runtime} is installed, but none of {string.Join(", ", KataConfiguration.SearchPaths)} exists.",
                $"{ctx.Sudo}mkdir -p /etc/kata-containers",
                $"{ctx.Sudo}cp /opt/kata/share/defaults/kata-containers/configuration-qemu.toml /etc/kata-containers/configuration.toml");
        }
        KataConfiguration cfg;
        try
        {
            cfg = KataConfiguration.Read(path, ctx.Fs.ReadText(path) ?? "");
        }
        catch (FormatException e)
        {
            return HostCheckFinding.Fail($"{path} cannot be read as TOML: {e.Message}", $"# Fix {path}, or copy a fresh one from /opt/kata/share/defaults/kata-containers/.");
        }
        string seen = $"{(runtime is null ? "no runtime binary found" : runtime)}; {path}: hypervisor {cfg.Hypervisor} {cfg.HypervisorPath ?? "(no path)"}, kernel {cfg.Kernel ?? "(none)"}, " +
            $"{(cfg.Image is not null ? $"image {cfg.Image}" : cfg.Initrd is not null ? $"initrd {cfg.Initrd}" : "no guest image")}, machine type {cfg.MachineType ?? "(default)"}, " +
            $"annotations [{string.Join(", ", cfg.EnableAnnotations)}]";
        var missing = new[] { ("hypervisor", cfg.HypervisorPath), ("kernel", cfg.Kernel), ("guest image", cfg.Image ?? cfg.Initrd) }
            .Where(x => x.Item2 is null || ctx.Fs.Stat(x.Item2).Kind != HostNodeKind.File)
            .Select(x => x.Item2 is null ? $"no {x.Item1} is set" : $"the {x.Item1} {x.Item2} does not exist").ToList();
        if (runtime is null)
        {
            missing.Add("the runtime binary is not installed");
        }
        if (missing.Count == 0)
        {
            return HostCheckFinding.Pass(seen + ".");
        }
        return HostCheckFinding.Fail($"{seen}: {string.Join("; ", missing)}.",
            $"# Point {path} at files that exist (path, kernel, image or initrd under [hypervisor.{cfg.Hypervisor}]), or reinstall Kata Containers.",
            $"{ctx.Sudo}kata-runtime check --verbose");
    }
}
