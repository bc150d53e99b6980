namespace KvmPS.Engine.Guest;

/// <summary>CRC-32 as PNG and zlib's crc32 compute it (polynomial 0xEDB88320, reflected, inverted).</summary>
public static class Crc32
{
    private static readonly uint[] s_table = MakeTable();

    public const uint Start = 0xffffffff;

    private static uint[] MakeTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            }
            t[n] = c;
        }
        return t;
    }

    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            crc = s_table[(crc ^ b) & 0xff] ^ (crc >> 8);
        }
        return crc;
    }

    public static uint Finish(uint crc) => crc ^ 0xffffffff;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Start, data));
}
