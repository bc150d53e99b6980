using System.Text.Json.Nodes;
using KvmPS.Engine.Guest;
using Xunit;

namespace KvmPS.Engine.Tests.Guest;

public class GuestInfoParserTests
{
    [Fact]
    public void Reads_interfaces_with_macs_and_prefixed_addresses()
    {
        JsonNode r = JsonNode.Parse("[{\"name\":\"lo\",\"hardware-address\":\"00:00:00:00:00:00\",\"ip-addresses\":[{\"ip-address-type\":\"ipv4\",\"ip-address\":\"127.0.0.1\",\"prefix\":8}]}," +
            "{\"name\":\"eth0\",\"hardware-address\":\"52:54:00:AA:01:07\",\"ip-addresses\":[{\"ip-address-type\":\"ipv4\",\"ip-address\":\"10.0.0.5\",\"prefix\":24},{\"ip-address-type\":\"ipv6\",\"ip-address\":\"fe80::1\",\"prefix\":64}]}]")!;
        KvmGuestInterface[] nics = GuestInfoParser.Interfaces(r);
        Assert.Equal(2, nics.Length);
        Assert.Equal("52:54:00:aa:01:07", nics[1].MacAddress);
        Assert.Equal(new[] { "10.0.0.5/24", "fe80::1/64" }, nics[1].IPAddresses);
        Assert.Equal("Agent", nics[1].Source);
    }

    [Fact]
    public void Reads_os_users_time_zone_and_file_systems()
    {
        var os = GuestInfoParser.OsInfo(JsonNode.Parse("{\"name\":\"Debian GNU/Linux\",\"pretty-name\":\"Debian GNU/Linux 12 (bookworm)\",\"id\":\"debian\",\"version-id\":\"12\",\"kernel-release\":\"6.1.0-27-cloud-amd64\",\"machine\":\"x86_64\"}"));
        Assert.Equal(("Debian GNU/Linux 12 (bookworm)", "12", "debian", "6.1.0-27-cloud-amd64", "x86_64"), os);
        Assert.Equal(new[] { "root", "CORP\\ann" }, GuestInfoParser.Users(JsonNode.Parse("[{\"user\":\"root\",\"login-time\":1.7E9},{\"user\":\"ann\",\"domain\":\"CORP\"},{\"user\":\"root\"}]")));
        Assert.Equal(("CET", TimeSpan.FromHours(1)), GuestInfoParser.TimeZone(JsonNode.Parse("{\"zone\":\"CET\",\"offset\":3600}")));
        KvmGuestFileSystem fs = GuestInfoParser.FileSystems(JsonNode.Parse("[{\"name\":\"vda1\",\"mountpoint\":\"/\",\"type\":\"ext4\",\"used-bytes\":100,\"total-bytes\":1000,\"disk\":[{\"dev\":\"/dev/vda1\",\"bus-type\":\"virtio\"}]}]")).Single();
        Assert.Equal(("/", "vda1", "ext4", 1000L, 100L), (fs.MountPoint, fs.Name, fs.Type, fs.TotalBytes!.Value, fs.UsedBytes!.Value));
        Assert.Equal(new[] { "/dev/vda1" }, fs.Disks);
        Assert.Equal("kvmps-guest", GuestInfoParser.HostName(JsonNode.Parse("{\"host-name\":\"kvmps-guest\"}")));
    }

    [Fact]
    public void Missing_parts_stay_empty()
    {
        Assert.Empty(GuestInfoParser.Interfaces(null));
        Assert.Empty(GuestInfoParser.Users(null));
        Assert.Equal((null, null), GuestInfoParser.TimeZone(null));
    }

    [Fact]
    public void Without_an_agent_the_test_driver_vm_still_has_its_interface_from_the_lease_source()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        using var h = conn.LookupDomain("test");
        KvmGuestInfo info = GuestInfoReader.Read(h, "test", conn.Uri);
        Assert.False(info.AgentResponding);
        Assert.Contains("org.qemu.guest_agent.0", info.AgentProblem);
        KvmGuestInterface nic = Assert.Single(info.Interfaces);
        Assert.Equal("aa:bb:cc:dd:ee:ff", nic.MacAddress);
        Assert.Equal(new[] { "192.168.122.3/24" }, nic.IPAddresses);
        Assert.Equal("Lease", nic.Source);
    }

    [Fact]
    public void With_an_agent_every_part_comes_from_it_and_a_blocked_command_leaves_its_part_empty()
    {
        var fake = new FakeGuestAgent();
        fake.Disabled.Add("guest-get-host-name");
        using var conn = LibvirtConnection.Open("test:///default");
        using var h = conn.LookupDomain("test");
        KvmGuestInfo info = GuestInfoReader.Read(h, "test", conn.Uri, (_, _) => fake.Agent("test"));
        Assert.True(info.AgentResponding);
        Assert.Equal("7.2.0", info.AgentVersion);
        Assert.Null(info.HostName);
        Assert.Equal("Lease", Assert.Single(info.Interfaces).Source); // the fake has no interfaces command
    }
}
