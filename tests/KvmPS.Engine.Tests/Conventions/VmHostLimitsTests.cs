using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>New-KvmVM's warnings for a request larger than the host (VmHostLimits), and that the plan carries them.</summary>
public sealed class VmHostLimitsTests
{
    private static string SmallHost => "test://" + Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "two-vms.xml");

    [Theory]
    [InlineData(4UL << 30, 4, 0)]          // exactly the host: fine
    [InlineData((4UL << 30) + 1, 4, 1)]    // one byte more memory than the host has
    [InlineData(1UL << 30, 5, 1)]          // more vCPUs than logical CPUs
    [InlineData(1UL << 30, 33, 2)]         // and more than the hypervisor allows
    [InlineData(8UL << 30, 64, 3)]
    public void Warns_for_each_limit_the_request_exceeds(ulong memory, int vcpus, int expected)
    {
        var w = VmHostLimits.Warnings("v", memory, vcpus, hostMemoryBytes: 4UL << 30, hostCpus: 4, maxVcpus: 32, domainType: "kvm");
        Assert.Equal(expected, w.Count);
        Assert.All(w, m => Assert.StartsWith("'v' asks for", m));
    }

    [Fact]
    public void Unknown_limits_are_not_checked()
    {
        Assert.Empty(VmHostLimits.Warnings("v", ulong.MaxValue, 4096, null, null, null, "kvm"));
    }

    [Fact]
    public void The_plan_warns_before_anything_is_defined()
    {
        using var conn = LibvirtConnection.Open(SmallHost);
        VmPlan plan = VmProvisioner.Plan(conn, new VmRequest { Name = "big", MemoryBytes = 8UL << 30, VCpuCount = 8 });
        Assert.Contains(plan.Warnings, w => w.Contains("8192 MiB") && w.Contains("(4096 MiB)"));
        Assert.Contains(plan.Warnings, w => w.Contains("8 vCPUs") && w.Contains("logical CPUs (4)"));
        using var h = DomainService.TryLookup(conn, "big");
        Assert.Null(h);
        VmPlan fits = VmProvisioner.Plan(conn, new VmRequest { Name = "small", MemoryBytes = 1UL << 30, VCpuCount = 2 });
        Assert.DoesNotContain(fits.Warnings, w => w.Contains("asks for"));
    }
}
