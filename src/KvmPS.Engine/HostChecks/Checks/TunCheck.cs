using static KvmPS.Engine.HostChecks.HostCheckText;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>Whether /dev/net/tun is there for tap interfaces.</summary>
internal sealed class TunCheck : IHostCheck
{
    public string Name => HostCheckNames.Tun;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        HostNode n = ctx.Fs.Stat("/dev/net/tun");
        if (n.Kind == HostNodeKind.CharDevice)
        {
            return HostCheckFinding.Pass($"{DeviceText(ctx, "/dev/net/tun", n)}.");
        }
        if (ctx.Fs.ReadText("/sys/class/misc/tun/dev")?.Trim() is { } dev)
        {
            string[] mm = dev.Split(':');
            return HostCheckFinding.Fail($"/dev/net/tun does not exist, although the kernel offers it as device {dev}: guests cannot have tap network interfaces.",
                $"{ctx.Sudo}mkdir -p /dev/net", $"{ctx.Sudo}mknod /dev/net/tun c {mm[0]} {mm.ElementAtOrDefault(1)}", $"{ctx.Sudo}chmod 0666 /dev/net/tun");
        }
        return HostCheckFinding.Fail($"/dev/net/tun does not exist; tun {State(ctx.Module("tun"))}: guests cannot have tap network interfaces.",
            LoadModuleRemedy(ctx, "tun", "CONFIG_TUN"));
    }
}
