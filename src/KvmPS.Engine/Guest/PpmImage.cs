namespace KvmPS.Engine.Guest;

/// <summary>
/// Netpbm pixmaps as QEMU's screendump writes them: binary P6 (and plain-text P3) with a maximum
/// value up to 65535; comments (#) in the header are allowed. Samples are scaled to 8 bits.
/// </summary>
public sealed record PpmImage(int Width, int Height, byte[] Rgb)
{
    public static PpmImage Parse(ReadOnlySpan<byte> data)
    {
        int pos = 0;
        string magic = Token(data, ref pos);
        if (magic is not ("P6" or "P3"))
        {
            throw new FormatException($"Not a portable pixmap: it starts with '{magic}', not P6 or P3.");
        }
        int width = Number(data, ref pos, "width");
        int height = Number(data, ref pos, "height");
        int max = Number(data, ref pos, "maximum value");
        if (width <= 0 || height <= 0 || max is <= 0 or > 65535 || (long)width * height > 1L << 28)
        {
            throw new FormatException($"Unusable pixmap header: {width}x{height}, maximum value {max}.");
        }
        var rgb = new byte[checked(width * height * 3)];
        if (magic == "P6")
        {
            pos++; // exactly one whitespace byte ends the header
            int bytesPer = max < 256 ? 1 : 2;
            if (data.Length - pos < rgb.Length * bytesPer)
            {
                throw new FormatException($"The pixmap is cut short: {data.Length - pos} bytes of pixels, {rgb.Length * bytesPer} needed.");
            }
            for (int i = 0; i < rgb.Length; i++)
            {
                int v = bytesPer == 1 ? data[pos + i] : (data[pos + 2 * i] << 8) | data[pos + 2 * i + 1];
                rgb[i] = max == 255 ? (byte)v : (byte)((v * 255 + max / 2) / max);
            }
        }
        else
        {
            for (int i = 0; i < rgb.Length; i++)
            {
                int v = Number(data, ref pos, "sample");
                rgb[i] = (byte)((Math.Min(v, max) * 255 + max / 2) / max);
            }
        }
        return new PpmImage(width, height, rgb);
    }

    private static int Number(ReadOnlySpan<byte> d, ref int pos, string what) =>
        int.TryParse(Token(d, ref pos), out int v) ? v : throw new FormatException($"The pixmap header has no valid {what}.");

    private static string Token(ReadOnlySpan<byte> d, ref int pos)
    {
        while (pos < d.Length)
        {
            if (d[pos] == '#')
            {
                while (pos < d.Length && d[pos] != '\n')
                {
                    pos++;
                }
            }
            else if (d[pos] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                pos++;
            }
            else
            {
                break;
            }
        }
        int start = pos;
        while (pos < d.Length && d[pos] is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'#'))
        {
            pos++;
        }
        return System.Text.Encoding.ASCII.GetString(d[start..pos]);
    }
}
