using System.Buffers.Binary;
using System.Diagnostics;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>The one image probe (qemu-img info -U, else the header) and the callers that share it.</summary>
public sealed class ImageProbeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kvmps-probe-" + Guid.NewGuid().ToString("N"));

    public ImageProbeTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Raw()
    {
        string path = Path.Combine(_dir, "disk.img");
        File.WriteAllBytes(path, new byte[128 * 1024]);
        return path;
    }

    /// <summary>A bare qcow2 header (magic, version 3, virtual size): enough for the header probe.</summary>
    private string Qcow2Header(ulong virtualSize)
    {
        var bytes = new byte[512];
        "QFI"u8.CopyTo(bytes);
        bytes[3] = 0xFB;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), 3);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(24), virtualSize);
        string path = Path.Combine(_dir, "header.qcow2");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Raw_file_is_raw_for_the_probe_and_every_caller()
    {
        string path = Raw();
        Assert.Equal("raw", ImageProbe.Probe(path).Format);
        Assert.Equal(128UL * 1024, ImageProbe.Probe(path).VirtualSizeBytes);
        Assert.Equal("raw", DiskSource.DetectLocalFormat(path, default));
        Assert.Equal("raw", VmStorage.ProbeFormat(path, default));
    }

    [Fact]
    public void Without_qemu_img_the_header_answers()
    {
        string path = Qcow2Header(8UL << 30);
        ImageInfo info = ImageProbe.Probe(path, "kvmps-no-such-qemu-img", default);
        Assert.Equal(new ImageInfo("qcow2", 8UL << 30, null), info);
        Assert.Equal("raw", ImageProbe.Probe(Raw(), "kvmps-no-such-qemu-img", default).Format);
    }

    [FactNeedsPrograms("qemu-img")]
    public void A_qcow2_made_by_qemu_img_reads_the_same_from_qemu_img_and_the_header()
    {
        string path = Path.Combine(_dir, "made.qcow2");
        using (Process p = Process.Start(new ProcessStartInfo("qemu-img", new[] { "create", "-q", "-f", "qcow2", path, "64M" }))!)
        {
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }
        ImageInfo probed = ImageProbe.Probe(path);
        Assert.Equal(new ImageInfo("qcow2", 64UL << 20, null), probed with { BackingFormat = null });
        Assert.Equal(probed.Format, ImageProbe.ReadHeader(path).Format);
        Assert.Equal(probed.VirtualSizeBytes, ImageProbe.ReadHeader(path).VirtualSizeBytes);
        Assert.Equal("qcow2", DiskSource.DetectLocalFormat(path, default));
        Assert.Equal("qcow2", VmStorage.ProbeFormat(path, default));
    }

    [FactNeedsPrograms("qemu-img")]
    public void A_file_qemu_img_cannot_read_is_reported_not_guessed()
    {
        // A bare header is no valid qcow2 for qemu-img: the probe says so instead of guessing.
        string path = Qcow2Header(1UL << 30);
        var e = Assert.Throws<InvalidOperationException>(() => ImageProbe.Probe(path));
        Assert.Contains("qemu-img cannot read", e.Message);
        // New-KvmVM reports it as a failure of the file.
        Assert.IsType<IOException>(Assert.ThrowsAny<IOException>(() => VmStorage.ProbeFormat(path, default)));
    }
}
