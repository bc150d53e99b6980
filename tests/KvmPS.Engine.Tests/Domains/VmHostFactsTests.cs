using System.Diagnostics;
using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests.Domains;

/// <summary>What New-KvmVM keeps per connection between VMs, and the qcow2 format read without qemu-img.</summary>
public sealed class VmHostFactsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kvmps-facts-" + Guid.NewGuid().ToString("N"));

    public VmHostFactsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Facts_are_read_once_per_connection()
    {
        using var a = LibvirtConnection.Open("test:///default");
        using var b = LibvirtConnection.Open("test:///default");
        VmHostFacts fa = VmHostFacts.For(a);
        Assert.Same(fa, VmHostFacts.For(a));
        Assert.NotSame(fa, VmHostFacts.For(b));
        Assert.Equal("TEST", fa.HypervisorType);
        Assert.NotEmpty(fa.Guests);
        Assert.Equal(a.GetHypervisorType(), fa.HypervisorType);
        Assert.Equal(DomainService.MaxVcpus(a, "test"), fa.MaxVcpus("test"));
        Assert.True(fa.Size.Cpus > 0);
    }

    [FactNeedsPrograms("qemu-img")]
    public void A_qcow2_made_by_qemu_img_is_known_without_asking_it_and_others_still_are_asked()
    {
        string qcow2 = Path.Combine(_dir, "a.qcow2"), raw = Path.Combine(_dir, "b.img");
        foreach (var (file, format) in new[] { (qcow2, "qcow2"), (raw, "raw") })
        {
            using Process p = Process.Start("qemu-img", new[] { "create", "-q", "-f", format, file, "64M" })!;
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }
        Assert.Equal("qcow2", VmStorage.ProbeFormat(qcow2, default));
        Assert.Equal("raw", VmStorage.ProbeFormat(raw, default));
        // (A bare qcow2 header still goes to qemu-img, which refuses it: ImageProbeTests.)
    }
}
