using System.Buffers.Binary;
using System.ComponentModel;
using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;

namespace KvmPS.Engine.Storage;

/// <summary>Finds out what a disk image file is, from its header or from qemu-img.</summary>
public static class ImageProbe
{
    private static ReadOnlySpan<byte> Qcow2Magic => new byte[] { (byte)'Q', (byte)'F', (byte)'I', 0xFB };

    /// <summary>
    /// Reads an image header: a qcow (v2/v3) image by its magic number, with its virtual size and
    /// backing file name; anything else is raw bytes whose virtual size is the length.
    /// </summary>
    public static ImageInfo ReadHeader(Stream image)
    {
        ulong length = (ulong)image.Length;
        var header = new byte[32];
        image.Position = 0;
        int n = image.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (n < header.Length || !header.AsSpan(0, 4).SequenceEqual(Qcow2Magic))
        {
            return new ImageInfo("raw", length, null);
        }
        uint version = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
        ulong backingOffset = BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
        uint backingSize = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(16));
        ulong virtualSize = BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(24));
        string? backing = null;
        if (backingOffset != 0 && backingSize > 0 && backingSize <= 1023 && backingOffset + backingSize <= length)
        {
            var name = new byte[backingSize];
            image.Position = (long)backingOffset;
            image.ReadExactly(name);
            backing = Encoding.UTF8.GetString(name);
        }
        else if (backingOffset != 0)
        {
            backing = "(unreadable backing file name)";
        }
        return new ImageInfo(version >= 2 ? "qcow2" : "qcow", virtualSize, backing);
    }

    public static ImageInfo ReadHeader(string path)
    {
        using FileStream f = File.OpenRead(path);
        return ReadHeader(f);
    }

    /// <summary>
    /// Asks qemu-img (on this machine) what a file is. Returns null when qemu-img is not installed;
    /// throws InvalidOperationException with qemu-img's message when it cannot read the file.
    /// </summary>
    public static ImageInfo? QemuImgInfo(string path, CancellationToken cancel = default) => QemuImgInfo(path, "qemu-img", cancel);

    internal static ImageInfo? QemuImgInfo(string path, string qemuImg, CancellationToken cancel)
    {
        BufferedCommandResult result;
        try
        {
            // -U: read the header even while a running VM holds the image's lock.
            result = Cli.Wrap(qemuImg)
                .WithArguments(new[] { "info", "--output=json", "-U", path })
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cancel)
                .GetAwaiter().GetResult();
        }
        catch (Win32Exception)
        {
            return null;
        }
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"qemu-img cannot read '{path}': {result.StandardError.Trim()}");
        }
        return ParseQemuImgJson(result.StandardOutput);
    }

    /// <summary>
    /// What a local image file is: qemu-img's answer (it knows every format, and reads the header
    /// also while a running VM holds the image's lock), else the header (qcow2 or raw) when
    /// qemu-img is not installed. Throws InvalidOperationException when qemu-img cannot read it.
    /// The one probe every area uses.
    /// </summary>
    public static ImageInfo Probe(string path, CancellationToken cancel = default) => Probe(path, "qemu-img", cancel);

    /// <summary>The probe with another qemu-img program (tests: one that is not installed).</summary>
    internal static ImageInfo Probe(string path, string qemuImg, CancellationToken cancel) =>
        QemuImgInfo(path, qemuImg, cancel) ?? ReadHeader(path);

    /// <summary>The format of a local image file (qcow2, raw, vmdk, ...), as <see cref="Probe(string, CancellationToken)"/> finds it.</summary>
    public static string DetectFormat(string path, CancellationToken cancel = default) => Probe(path, cancel).Format;

    /// <summary>Reads the output of <c>qemu-img info --output=json</c>.</summary>
    public static ImageInfo ParseQemuImgJson(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement root = doc.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        return new ImageInfo(
            Text("format") ?? "raw",
            root.GetProperty("virtual-size").GetUInt64(),
            Text("full-backing-filename") ?? Text("backing-filename"),
            Text("backing-filename-format"));
    }
}
