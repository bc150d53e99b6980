using static KvmPS.Engine.HostChecks.HostCheckText;

namespace KvmPS.Engine.HostChecks.Checks;

/// <summary>Whether /dev/vhost-net is there for in-kernel virtio-net.</summary>
internal sealed class VhostNetCheck : IHostCheck
{
    public string Name => HostCheckNames.VhostNet;

    public HostCheckFinding Run(HostCheckContext ctx)
    {
        HostNode n = ctx.Fs.Stat("/dev/vhost-net");
        ModuleState m = ctx.Module("vhost_net");
        if (n.Kind == HostNodeKind.CharDevice)
        {
            return HostCheckFinding.Pass($"{DeviceText(ctx, "/dev/vhost-net", n)}; vhost_net {State(m)}.");
        }
        return HostCheckFinding.Warn($"/dev/vhost-net {(n.Exists ? "is not a character device" : "does not exist")}; vhost_net {State(m)}: virtio-net packets go through QEMU (slower).",
            LoadModuleRemedy(ctx, "vhost_net", "CONFIG_VHOST_NET", "/etc/modules-load.d/vhost_net.conf"));
    }
}
