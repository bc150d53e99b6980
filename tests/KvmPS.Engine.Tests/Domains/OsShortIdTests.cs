using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests.Domains;

public sealed class OsShortIdTests
{
    [Theory]
    [InlineData("http://ubuntu.com/ubuntu/22.04", "ubuntu22.04")]
    [InlineData("http://debian.org/debian/12", "debian12")]
    [InlineData("http://microsoft.com/win/2k22", "win2k22")]
    [InlineData("http://archlinux.org/archlinux/rolling", "archlinux")]
    [InlineData("http://fedoraproject.org/fedora/rawhide", "fedora-rawhide")]
    [InlineData("urn:custom", "urn:custom")]
    public void BuildsTheShortIdFromTheFullId(string id, string expected) =>
        Assert.Equal(expected, OsShortId.Of(id, null));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NoIdHasNoShortId(string? id) => Assert.Null(OsShortId.Of(id, null));

    [Fact]
    public void TheRecordedShortIdWins() =>
        Assert.Equal("sles15sp5", OsShortId.Of("http://suse.com/sles/15.5", "sles15sp5"));

    [Fact]
    public void NewKvmVMRecordsTheShortIdItWasGiven()
    {
        var spec = new VmSpec { Name = "v", OsId = "http://suse.com/sles/15.5", OsShortId = "sles15sp5" };
        KvmVM vm = DomainXml.Read(DomainXmlBuilder.Build(spec).ToString(), KvmVMState.ShutOff, 0, false, true, "test:///default");
        Assert.Equal("sles15sp5", vm.OSVariant);
        Assert.Equal("http://suse.com/sles/15.5", vm.OSVariantUri);
    }

    [FactNeedsOsInfo]
    public void TheBuiltShortIdIsOneOfTheDatabaseShortIdsForNineInTen()
    {
        var entries = OsInfoDatabase.Default.Entries.Where(e => e.ShortIds.Length > 0).ToList();
        int agree = entries.Count(e => e.ShortIds.Contains(OsShortId.FromId(e.Id)));
        Assert.True(agree * 10 >= entries.Count * 9, $"{agree} of {entries.Count}");
        Assert.Contains(OsShortId.FromId(OsInfoDatabase.Default.Find("ubuntu22.04")!.Id), OsInfoDatabase.Default.Find("ubuntu22.04")!.ShortIds);
    }
}
