using System.Diagnostics;
using System.Text;
using KvmPS.Engine.Guest;
using Xunit;

namespace KvmPS.Engine.Tests.Guest;

public class ScreenshotImageTests
{
    private static byte[] Gradient(int w, int h)
    {
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = (y * w + x) * 3;
                rgb[i] = (byte)(x * 255 / Math.Max(1, w - 1));
                rgb[i + 1] = (byte)(y * 255 / Math.Max(1, h - 1));
                rgb[i + 2] = (byte)((x * 7 + y * 13) & 0xff);
            }
        }
        return rgb;
    }

    /// <summary>Decodes with PIL (an independent decoder) and returns width, height and the RGB bytes.</summary>
    private static (int W, int H, byte[] Rgb) DecodeWithPil(byte[] png)
    {
        string file = Path.Combine(Path.GetTempPath(), $"kvmps-png-{Environment.ProcessId}-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(file, png);
        try
        {
            var psi = new ProcessStartInfo(FactNeedsPilAttribute.Python, new[] { "-c",
                "import sys; from PIL import Image; im=Image.open(sys.argv[1]); im.load(); assert im.format=='PNG'; im=im.convert('RGB'); sys.stdout.write('%d %d\\n' % im.size); sys.stdout.flush(); sys.stdout.buffer.write(im.tobytes())", file })
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            using var output = new MemoryStream();
            p.StandardOutput.BaseStream.CopyTo(output);
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, err);
            byte[] all = output.ToArray();
            int nl = Array.IndexOf(all, (byte)'\n');
            string[] size = Encoding.ASCII.GetString(all, 0, nl).Split(' ');
            return (int.Parse(size[0]), int.Parse(size[1]), all[(nl + 1)..]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute(ReadOnlySpan<byte>.Empty));
    }

    [FactNeedsPil]
    public void The_png_encoder_writes_what_an_independent_decoder_reads_back_pixel_for_pixel()
    {
        foreach (var (w, h) in new[] { (1, 1), (37, 19), (640, 480) })
        {
            byte[] rgb = Gradient(w, h);
            var decoded = DecodeWithPil(PngEncoder.EncodeRgb(w, h, rgb));
            Assert.Equal((w, h), (decoded.W, decoded.H));
            Assert.Equal(rgb, decoded.Rgb);
        }
    }

    [Fact]
    public void The_png_has_a_valid_chunk_structure_with_crcs()
    {
        byte[] png = PngEncoder.EncodeRgb(3, 2, Gradient(3, 2));
        Assert.Equal(PngEncoder.Signature, png[..8]);
        int pos = 8;
        var types = new List<string>();
        while (pos < png.Length)
        {
            int len = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            uint crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + len));
            Assert.Equal(Crc32.Compute(png.AsSpan(pos + 4, 4 + len)), crc);
            types.Add(type);
            pos += 12 + len;
        }
        Assert.Equal(new[] { "IHDR", "IDAT", "IEND" }, types);
        Assert.Equal((3, 2), PngEncoder.ReadSize(png));
    }

    [Fact]
    public void Reads_binary_and_plain_pixmaps_with_comments_and_16_bit_samples()
    {
        byte[] p6 = Encoding.ASCII.GetBytes("P6\n# made by QEMU\n2 1\n255\n").Concat(new byte[] { 1, 2, 3, 250, 251, 252 }).ToArray();
        PpmImage a = PpmImage.Parse(p6);
        Assert.Equal((2, 1), (a.Width, a.Height));
        Assert.Equal(new byte[] { 1, 2, 3, 250, 251, 252 }, a.Rgb);

        PpmImage b = PpmImage.Parse(Encoding.ASCII.GetBytes("P3 1 1 15\n15 0 7\n"));
        Assert.Equal(new byte[] { 255, 0, 119 }, b.Rgb);

        byte[] p16 = Encoding.ASCII.GetBytes("P6 1 1 65535\n").Concat(new byte[] { 0xff, 0xff, 0x00, 0x00, 0x80, 0x00 }).ToArray();
        Assert.Equal(new byte[] { 255, 0, 128 }, PpmImage.Parse(p16).Rgb);

        Assert.Throws<FormatException>(() => PpmImage.Parse(Encoding.ASCII.GetBytes("P6 4 4 255\n\x01\x02")));
        Assert.Throws<FormatException>(() => PpmImage.Parse(Encoding.ASCII.GetBytes("GIF89a")));
    }

    [FactNeedsPil]
    public void A_pixmap_is_converted_and_the_png_decodes_to_the_same_pixels()
    {
        byte[] rgb = Gradient(720, 400);
        byte[] ppm = Encoding.ASCII.GetBytes("P6\n720 400\n255\n").Concat(rgb).ToArray();
        ScreenshotImage.Png png = ScreenshotImage.ToPng("image/x-portable-pixmap", ppm);
        Assert.True(png.Converted);
        Assert.Equal((720, 400), (png.Width, png.Height));
        Assert.Equal(rgb, DecodeWithPil(png.Bytes).Rgb);
    }

    [Fact]
    public void A_png_passes_through_and_an_unknown_type_is_refused()
    {
        byte[] png = PngEncoder.EncodeRgb(4, 4, Gradient(4, 4));
        ScreenshotImage.Png same = ScreenshotImage.ToPng("image/png", png);
        Assert.False(same.Converted);
        Assert.Same(png, same.Bytes);
        Assert.Throws<NotSupportedException>(() => ScreenshotImage.ToPng("image/bmp", new byte[10]));
        Assert.Throws<FormatException>(() => ScreenshotImage.ToPng("image/png", new byte[30]));
    }

    [Fact]
    public void The_test_driver_gives_a_png_with_its_mime_type()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        using var h = conn.LookupDomain("test");
        var (mime, data) = DomainScreenshot.Take(conn, h, 0, default);
        Assert.Equal("image/png", mime);
        ScreenshotImage.Png png = ScreenshotImage.ToPng(mime, data);
        Assert.True(png.Width > 0 && png.Height > 0);
    }
}
