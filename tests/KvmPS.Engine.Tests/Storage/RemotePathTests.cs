using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>A path of a host that is not this machine must be absolute there (RemotePath).</summary>
public sealed class RemotePathTests
{
    [Theory]
    [InlineData("/var/lib/libvirt/images/a.qcow2", false)]
    [InlineData("images/a.qcow2", true)]
    [InlineData("./a.qcow2", true)]
    [InlineData("~/a.qcow2", true)]
    public void Only_absolute_paths_pass(string path, bool refused)
    {
        string? problem = RemotePath.Problem("qemu+ssh://far/system", "Path", path);
        Assert.Equal(refused, problem is not null);
        if (problem is not null)
        {
            Assert.Contains("qemu+ssh://far/system", problem);
            Assert.Contains($"-Path '{path}'", problem);
        }
    }
}
