namespace KvmPS;

/// <summary>A screenshot written to a PNG file (Save-KvmVMScreenshot).</summary>
public sealed class KvmScreenshot
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>The PNG file written.</summary>
    public string Path { get; internal init; } = "";

    /// <summary>Width in pixels.</summary>
    public int Width { get; internal init; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; internal init; }

    /// <summary>The screen (head) number taken.</summary>
    public uint Screen { get; internal init; }

    /// <summary>The MIME type libvirt returned (image/x-portable-pixmap from QEMU, image/png from others).</summary>
    public string SourceMimeType { get; internal init; } = "";

    /// <summary>Whether the module converted the image (PPM to PNG) rather than passing it through.</summary>
    public bool Converted { get; internal init; }

    /// <summary>Bytes written.</summary>
    public long Length { get; internal init; }

    /// <summary>The connection URI.</summary>
    public string Uri { get; internal init; } = "";
}
