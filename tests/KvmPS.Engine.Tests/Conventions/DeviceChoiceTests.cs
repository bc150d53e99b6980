using System.Xml.Linq;
using KvmPS.Engine.Devices;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>Which NIC or disk a Set cmdlet means when the identifier is left out (DeviceChoice).</summary>
public sealed class DeviceChoiceTests
{
    private static XElement Domain(params XElement[] devices) => new("domain", new XElement("name", "v"), new XElement("devices", devices));

    private static XElement Nic(string mac) => new("interface", new XAttribute("type", "network"), new XElement("mac", new XAttribute("address", mac)));

    private static XElement Disk(string target, string device = "disk") =>
        new("disk", new XAttribute("type", "file"), new XAttribute("device", device), new XElement("target", new XAttribute("dev", target)));

    [Fact]
    public void The_only_nic_is_chosen_also_when_both_definitions_list_it()
    {
        var (mac, refusal) = DeviceChoice.OnlyNic("v", Domain(Nic("52:54:00:AA:00:01")), Domain(Nic("52:54:00:aa:00:01")));
        Assert.Null(refusal);
        Assert.Equal("52:54:00:aa:00:01", mac);
    }

    [Fact]
    public void Several_nics_are_ambiguous_and_named_a_nic_only_in_the_running_vm_counts()
    {
        var (mac, refusal) = DeviceChoice.OnlyNic("v", Domain(Nic("52:54:00:aa:00:01")), Domain(Nic("52:54:00:aa:00:01"), Nic("52:54:00:aa:00:02")));
        Assert.Null(mac);
        Assert.Equal("AmbiguousNetworkAdapter", refusal!.ErrorId);
        Assert.Equal(KvmErrorKind.InvalidArgument, refusal.Kind);
        Assert.Contains("52:54:00:aa:00:01, 52:54:00:aa:00:02", refusal.Message);
        Assert.Equal("v", refusal.Target);
    }

    [Fact]
    public void No_nic_is_not_found()
    {
        var (_, refusal) = DeviceChoice.OnlyNic("v", Domain(), null);
        Assert.Equal("NetworkAdapterNotFound", refusal!.ErrorId);
        Assert.Equal(KvmErrorKind.NotFound, refusal.Kind);
    }

    [Fact]
    public void The_only_hard_disk_is_chosen_cdroms_do_not_count()
    {
        var (target, refusal) = DeviceChoice.OnlyDisk("v", Domain(Disk("vda"), Disk("sda", "cdrom"), Disk("fda", "floppy")), null);
        Assert.Null(refusal);
        Assert.Equal("vda", target);
    }

    [Fact]
    public void Several_hard_disks_are_ambiguous_and_named()
    {
        var (target, refusal) = DeviceChoice.OnlyDisk("v", Domain(Disk("vda"), Disk("vdb"), Disk("sdc", "lun")), Domain(Disk("vda")));
        Assert.Null(target);
        Assert.Equal("AmbiguousDisk", refusal!.ErrorId);
        Assert.Contains("(sdc, vda, vdb)", refusal.Message);
    }

    [Fact]
    public void Only_cdroms_is_no_hard_disk_and_says_what_there_is()
    {
        var (target, refusal) = DeviceChoice.OnlyDisk("v", Domain(Disk("sda", "cdrom")), null);
        Assert.Null(target);
        Assert.Equal("DiskNotFound", refusal!.ErrorId);
        Assert.Contains("sda", refusal.Message);
    }
}
