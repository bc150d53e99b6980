using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests.Domains;

public sealed class OsShortIdTests
{
    private static readonly OsInfoDatabase Empty = OsInfoDatabase.Load(Array.Empty<string>());

    [Theory]
    [InlineData("http://ubuntu.com/ubuntu/22.04", "ubuntu22.04")]
    [InlineData("http://debian.org/debian/12", "debian12")]
    [InlineData("http://microsoft.com/win/11", "win11")]
    [InlineData("http://archlinux.org/archlinux/rolling", "archlinux")]
    [InlineData("http://fedoraproject.org/fedora/rawhide", "fedora-rawhide")]
    [InlineData("urn:custom", "urn:custom")]
    public void BuildsTheShortIdWithoutTheDatabase(string id, string expected) =>
        Assert.Equal(expected, OsShortId.Of(id, Empty));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NoIdHasNoShortId(string? id) => Assert.Null(OsShortId.Of(id, Empty));

    [FactNeedsOsInfo]
    public void TakesTheDatabaseShortId()
    {
        OsInfoEntry? e = OsInfoDatabase.Default.Find("ubuntu22.04");
        Assert.NotNull(e);
        Assert.Equal("ubuntu22.04", OsShortId.Of(e!.Id, OsInfoDatabase.Default));
        Assert.Equal("win2k22", OsShortId.Of(OsInfoDatabase.Default.Find("win2k22")!.Id, OsInfoDatabase.Default));
    }
}
