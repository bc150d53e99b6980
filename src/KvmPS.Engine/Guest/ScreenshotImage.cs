namespace KvmPS.Engine.Guest;

/// <summary>
/// Turns what virDomainScreenshot delivered into PNG according to the MIME type libvirt gave:
/// PNG is passed through (after checking it is one), a portable pixmap (QEMU's usual answer) is
/// converted, anything else is refused rather than written under a .png name.
/// </summary>
public static class ScreenshotImage
{
    public sealed record Png(byte[] Bytes, int Width, int Height, bool Converted);

    public static readonly string[] PpmTypes = { "image/x-portable-pixmap", "image/x-portable-anymap", "image/x-ppm" };

    public static Png ToPng(string mimeType, byte[] data)
    {
        string mime = mimeType.Split(';')[0].Trim().ToLowerInvariant();
        if (mime == "image/png")
        {
            var size = PngEncoder.ReadSize(data) ?? throw new FormatException("libvirt said image/png, but the data is not a PNG.");
            return new Png(data, size.Width, size.Height, false);
        }
        if (PpmTypes.Contains(mime))
        {
            PpmImage ppm = PpmImage.Parse(data);
            return new Png(PngEncoder.EncodeRgb(ppm.Width, ppm.Height, ppm.Rgb), ppm.Width, ppm.Height, true);
        }
        throw new NotSupportedException($"libvirt returned the screenshot as '{mimeType}', which KvmPS cannot convert to PNG (it knows image/png and image/x-portable-pixmap).");
    }
}
