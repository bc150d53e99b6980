using KvmPS.Engine.Devices;
using Xunit;

namespace KvmPS.Engine.Tests;

public sealed class NicCheckTests
{
    [Theory]
    [InlineData("default", "br0", "virtio", false, 1, false, "ConflictingSource")]
    [InlineData("default", null, "e1000e", true, 1, false, "DriverNeedsVirtio")]
    [InlineData("default", null, "e1000e", false, 2, true, "QueuesNeedVirtio")]
    [InlineData("default", null, "virtio", false, 8, true, "TooManyQueues")]
    [InlineData("no-such-net", null, "virtio", false, 1, false, "NetworkNotFound")]
    public void Refuses_before_anything_changes(string? network, string? bridge, string model, bool driverGiven, int queues, bool queuesGiven, string errorId)
    {
        using var conn = LibvirtConnection.Open("test:///default");
        DeviceRefusal? r = NicCheck.Check(conn, "vm1", network, bridge, model, driverGiven, queues, queuesGiven, maxVCpus: 4);
        Assert.NotNull(r);
        Assert.Equal(errorId, r!.ErrorId);
        Assert.Equal(errorId == "NetworkNotFound" ? KvmErrorKind.NotFound : KvmErrorKind.InvalidArgument, r.Kind);
    }

    [Fact]
    public void Passes_a_virtio_nic_with_a_queue_pair_per_vcpu_on_an_existing_network()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        Assert.Null(NicCheck.Check(conn, "vm1", "default", null, "virtio", true, 4, true, maxVCpus: 4));
        Assert.Null(NicCheck.Check(conn, "vm1", null, "br0", "e1000e", false, 1, false, maxVCpus: 1));
    }
}
