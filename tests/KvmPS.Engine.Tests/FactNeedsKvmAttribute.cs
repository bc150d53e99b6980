using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>A fact that is skipped, with the reason, when this machine has no /dev/kvm or no qemu-system-x86_64.</summary>
public sealed class FactNeedsKvmAttribute : FactAttribute
{
    public FactNeedsKvmAttribute()
    {
        if (!File.Exists("/dev/kvm"))
        {
            Skip = "needs /dev/kvm on this machine";
        }
        else if (!FactNeedsProgramsAttribute.OnPath("qemu-system-x86_64"))
        {
            Skip = "needs qemu-system-x86_64 on the PATH";
        }
    }
}
