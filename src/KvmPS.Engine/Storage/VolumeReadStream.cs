using KvmPS.Engine.Native;

namespace KvmPS.Engine.Storage;

/// <summary>
/// The bytes of a volume as a read-only .NET stream, through virStorageVolDownload: they travel
/// over the libvirt connection, so the volume may be on a remote host. Read until it returns 0,
/// then <see cref="Complete"/> to learn whether the daemon sent everything; disposing it earlier
/// aborts the download.
/// </summary>
public sealed class VolumeReadStream : Stream
{
    private readonly StreamHandle _stream;
    private bool _ended;
    private bool _closed;

    private VolumeReadStream(StreamHandle stream) => _stream = stream;

    /// <summary>Starts reading <paramref name="length"/> bytes (0: to the end) from <paramref name="offset"/> on.</summary>
    public static VolumeReadStream Open(StorageVolume volume, ulong offset, ulong length)
    {
        IntPtr sp = Libvirt.virStreamNew(volume.Connection.Handle, 0);
        if (sp == IntPtr.Zero)
        {
            throw LibvirtException.FromLastError("virStreamNew");
        }
        var stream = new StreamHandle(sp);
        try
        {
            LibvirtException.Check(Libvirt.virStorageVolDownload(volume.Handle, stream, offset, length, 0), "virStorageVolDownload");
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return new VolumeReadStream(stream);
    }

    /// <summary>Bytes read so far.</summary>
    public ulong BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => (long)BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override unsafe int Read(Span<byte> buffer)
    {
        if (_ended || buffer.IsEmpty)
        {
            return 0;
        }
        fixed (byte* p = buffer)
        {
            int n = LibvirtException.Check(Libvirt.virStreamRecv(_stream, p, (nuint)buffer.Length), "virStreamRecv");
            _ended = n == 0;
            BytesRead += (ulong)n;
            return n;
        }
    }

    /// <summary>
    /// Ends the download once every byte was read; throws the daemon's error when it did not send
    /// all, and an IOException when the volume holds more than was read (it grew meanwhile).
    /// </summary>
    public void Complete()
    {
        Span<byte> probe = stackalloc byte[1];
        if (!_ended && Read(probe) > 0)
        {
            throw new IOException($"The volume holds more than the {BytesRead - 1} bytes expected: did it change during the copy?");
        }
        _closed = true;
        LibvirtException.Check(Libvirt.virStreamFinish(_stream), "virStreamFinish");
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            // Stopped early (an error, Ctrl+C): the daemon stops sending; abort's own outcome does not matter.
            Libvirt.virStreamAbort(_stream);
            Libvirt.virResetLastError();
        }
        if (disposing)
        {
            _stream.Dispose();
        }
        base.Dispose(disposing);
    }
}
