using KvmPS.Engine.Native;

namespace KvmPS.Engine.Guest;

/// <summary>Takes one screenshot through virDomainScreenshot: the MIME type and the image bytes from the stream.</summary>
public static class DomainScreenshot
{
    /// <summary>The most bytes accepted (a 8K RGB pixmap is about 100 MiB).</summary>
    public const int MaxBytes = 256 * 1024 * 1024;

    public static unsafe (string MimeType, byte[] Data) Take(LibvirtConnection conn, DomainHandle h, uint screen, CancellationToken cancel)
    {
        IntPtr sp = Libvirt.virStreamNew(conn.Handle, 0);
        if (sp == IntPtr.Zero)
        {
            throw LibvirtException.FromLastError("virStreamNew");
        }
        using var stream = new StreamHandle(sp);
        string mime = Libvirt.TakeString(Libvirt.virDomainScreenshot(h, stream, screen, 0)) ?? throw LibvirtException.FromLastError("virDomainScreenshot");
        bool finished = false;
        try
        {
            using var data = new MemoryStream();
            var buffer = new byte[256 * 1024];
            while (true)
            {
                cancel.ThrowIfCancellationRequested();
                int n;
                fixed (byte* p = buffer)
                {
                    n = LibvirtException.Check(Libvirt.virStreamRecv(stream, p, (nuint)buffer.Length), "virStreamRecv");
                }
                if (n == 0)
                {
                    break;
                }
                data.Write(buffer, 0, n);
                if (data.Length > MaxBytes)
                {
                    throw new IOException($"The screenshot is larger than {MaxBytes / 1048576} MiB.");
                }
            }
            LibvirtException.Check(Libvirt.virStreamFinish(stream), "virStreamFinish");
            finished = true;
            return (mime, data.ToArray());
        }
        finally
        {
            if (!finished)
            {
                Libvirt.virStreamAbort(stream);
                Libvirt.virResetLastError();
            }
        }
    }
}
