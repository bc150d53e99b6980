using KvmPS.Engine.Native;

namespace KvmPS.Engine.Storage;

/// <summary>
/// The bytes of a volume as a read-only .NET stream, through virStorageVolDownload: they travel
/// over the libvirt connection, so the volume may be on a remote host. Read until it returns 0,
/// then <see cref="Complete"/> to learn whether the daemon sent everything; disposing it earlier
/// aborts the download. Opened sparse, the daemon sends a hole of the volume's file as its length
/// and this stream reads it as zeros made here, so the holes cost nothing on the wire (an upload
/// that skips zero chunks makes them holes again).
/// </summary>
public sealed class VolumeReadStream : Stream
{
    private readonly StreamHandle _stream;
    private readonly bool _sparse;
    private long _hole;
    private bool _ended;
    private bool _closed;

    private VolumeReadStream(StreamHandle stream, bool sparse)
    {
        _stream = stream;
        _sparse = sparse;
    }

    /// <summary>Starts reading <paramref name="length"/> bytes (0: to the end) from <paramref name="offset"/> on; <paramref name="sparse"/> asks for holes as lengths.</summary>
    public static VolumeReadStream Open(StorageVolume volume, ulong offset, ulong length, bool sparse = false)
    {
        IntPtr sp = Libvirt.virStreamNew(volume.Connection.Handle, 0);
        if (sp == IntPtr.Zero)
        {
            throw LibvirtException.FromLastError("virStreamNew");
        }
        var stream = new StreamHandle(sp);
        try
        {
            LibvirtException.Check(Libvirt.virStorageVolDownload(volume.Handle, stream, offset, length,
                sparse ? Libvirt.VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM : 0), "virStorageVolDownload");
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return new VolumeReadStream(stream, sparse);
    }

    /// <summary>Bytes read so far.</summary>
    public ulong BytesRead { get; private set; }

    /// <summary>Of those, the bytes that came as holes (zeros made here, not sent).</summary>
    public ulong HoleBytes { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => (long)BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override unsafe int Read(Span<byte> buffer)
    {
        while (!_ended && !buffer.IsEmpty)
        {
            if (_hole > 0)
            {
                int zeros = (int)Math.Min(_hole, buffer.Length);
                buffer[..zeros].Clear();
                _hole -= zeros;
                BytesRead += (ulong)zeros;
                HoleBytes += (ulong)zeros;
                return zeros;
            }
            int n;
            fixed (byte* p = buffer)
            {
                n = _sparse
                    ? Libvirt.virStreamRecvFlags(_stream, p, (nuint)buffer.Length, Libvirt.VIR_STREAM_RECV_STOP_AT_HOLE)
                    : Libvirt.virStreamRecv(_stream, p, (nuint)buffer.Length);
            }
            if (n == -3 && _sparse)
            {
                // A hole begins here: its length, then zeros for it on the next turn.
                long length;
                LibvirtException.Check(Libvirt.virStreamRecvHole(_stream, &length, 0), "virStreamRecvHole");
                _hole = Math.Max(0, length);
                continue;
            }
            LibvirtException.Check(n, _sparse ? "virStreamRecvFlags" : "virStreamRecv");
            _ended = n == 0;
            BytesRead += (ulong)n;
            return n;
        }
        return 0;
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
