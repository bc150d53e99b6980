using System.Buffers.Binary;
using System.IO.Compression;

namespace KvmPS.Engine.Guest;

/// <summary>
/// Writes 8-bit RGB images as PNG (ISO/IEC 15948): the signature, IHDR, one IDAT with the rows
/// (filter type 0 per row) compressed by zlib, and IEND, each chunk with its CRC-32.
/// </summary>
public static class PngEncoder
{
    public static readonly byte[] Signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a };

    /// <summary>PNG bytes of <paramref name="rgb"/> (width*height*3 bytes, rows top to bottom).</summary>
    public static byte[] EncodeRgb(int width, int height, ReadOnlySpan<byte> rgb)
    {
        if (width <= 0 || height <= 0 || rgb.Length != (long)width * height * 3)
        {
            throw new ArgumentException($"An RGB image of {width}x{height} needs {(long)width * height * 3} bytes, not {rgb.Length}.");
        }
        using var png = new MemoryStream();
        png.Write(Signature);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // colour type: truecolour
        ihdr[10] = 0; // compression: deflate
        ihdr[11] = 0; // filter method 0
        ihdr[12] = 0; // no interlace
        WriteChunk(png, "IHDR", ihdr);
        using (var idat = new MemoryStream())
        {
            using (var z = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
            {
                int stride = width * 3;
                for (int y = 0; y < height; y++)
                {
                    z.WriteByte(0);
                    z.Write(rgb.Slice(y * stride, stride));
                }
            }
            WriteChunk(png, "IDAT", idat.ToArray());
        }
        WriteChunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    private static void WriteChunk(Stream s, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        s.Write(word);
        byte[] typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        uint crc = Crc32.Update(Crc32.Update(Crc32.Start, typeBytes), data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Finish(crc));
        s.Write(word);
    }

    /// <summary>Width and height from a PNG's IHDR, or null when the bytes are not a PNG.</summary>
    public static (int Width, int Height)? ReadSize(ReadOnlySpan<byte> png)
    {
        if (png.Length < 24 || !png[..8].SequenceEqual(Signature) || !png.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return null;
        }
        return (BinaryPrimitives.ReadInt32BigEndian(png.Slice(16)), BinaryPrimitives.ReadInt32BigEndian(png.Slice(20)));
    }
}
