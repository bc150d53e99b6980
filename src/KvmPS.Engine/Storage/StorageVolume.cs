using KvmPS.Engine.Native;

namespace KvmPS.Engine.Storage;

/// <summary>A volume of a storage pool: read, resize, delete, and upload data into it.</summary>
public sealed class StorageVolume : IDisposable
{
    /// <summary>
    /// Bytes handed to virStreamSend at a time. Measured on qemu:///system with a 64 MiB file:
    /// 256 KiB to 1 MiB chunks were fastest; 64 KiB was slower, and 16 MiB slower again.
    /// </summary>
    public const int DefaultChunkSize = 256 << 10;

    internal StorageVolume(StoragePool pool, StorageVolHandle handle)
    {
        PoolName = pool.Name;
        Connection = pool.Connection;
        Handle = handle;
        Name = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(Libvirt.virStorageVolGetName(handle))
            ?? throw LibvirtException.FromLastError("virStorageVolGetName");
    }

    public LibvirtConnection Connection { get; }

    internal StorageVolHandle Handle { get; }

    public string Name { get; }

    public string PoolName { get; }

    /// <summary>
    /// The volume at a host path, in whichever pool holds it, or null when no active pool does.
    /// Works on a remote host because the daemon resolves the path.
    /// </summary>
    public static StorageVolume? TryLookupByPath(LibvirtConnection conn, string path)
    {
        IntPtr v = Libvirt.virStorageVolLookupByPath(conn.Handle, path);
        if (v == IntPtr.Zero)
        {
            var e = LibvirtException.FromLastError("virStorageVolLookupByPath");
            return e.Code == LibvirtErrorCode.NoStorageVol ? null : throw e;
        }
        var handle = new StorageVolHandle(v);
        IntPtr p = Libvirt.virStoragePoolLookupByVolume(handle);
        if (p == IntPtr.Zero)
        {
            var e = LibvirtException.FromLastError("virStoragePoolLookupByVolume");
            handle.Dispose();
            throw e;
        }
        using var pool = new StoragePool(conn, new StoragePoolHandle(p));
        return new StorageVolume(pool, handle);
    }

    public string GetXml() =>
        Libvirt.TakeString(Libvirt.virStorageVolGetXMLDesc(Handle, 0)) ?? throw LibvirtException.FromLastError("virStorageVolGetXMLDesc");

    public VolumeDefinition GetDefinition() => StorageVolumeXml.Parse(GetXml());

    public void Delete()
    {
        LibvirtException.Check(Libvirt.virStorageVolDelete(Handle, 0), "virStorageVolDelete");
    }

    /// <summary>Sets the virtual size; shrinking must be allowed explicitly (data past the new end is lost).</summary>
    public void Resize(ulong capacityBytes, bool allowShrink)
    {
        uint flags = allowShrink ? Libvirt.VIR_STORAGE_VOL_RESIZE_SHRINK : 0;
        LibvirtException.Check(Libvirt.virStorageVolResize(Handle, capacityBytes, flags), "virStorageVolResize");
    }

    /// <summary>
    /// Writes <paramref name="length"/> bytes of <paramref name="source"/> into the volume from its
    /// start, through a libvirt stream: the bytes travel over the connection, so this works on a
    /// remote host. Reports the bytes sent after each chunk. On any failure or cancellation the
    /// stream is aborted (the daemon stops writing) and the exception is rethrown; the volume
    /// itself is left to the caller.
    /// With <paramref name="sparse"/> (only for a freshly made volume of a file pool, whose bytes
    /// are all zero already) a chunk of zeros is sent as a hole: the daemon skips over it, so the
    /// file stays sparse and no zeros cross the connection. The last chunk always goes as data.
    /// </summary>
    public void Upload(Stream source, ulong length, Action<ulong>? progress, CancellationToken cancel, int chunkSize = DefaultChunkSize, bool sparse = false) =>
        Upload(source, 0, length, progress, cancel, chunkSize, sparse);

    /// <summary>As <see cref="Upload(Stream, ulong, Action{ulong}?, CancellationToken, int, bool)"/>, into the volume from <paramref name="volumeOffset"/> on.</summary>
    public unsafe void Upload(Stream source, ulong volumeOffset, ulong length, Action<ulong>? progress, CancellationToken cancel, int chunkSize = DefaultChunkSize, bool sparse = false)
    {
        IntPtr sp = Libvirt.virStreamNew(Connection.Handle, 0);
        if (sp == IntPtr.Zero)
        {
            throw LibvirtException.FromLastError("virStreamNew");
        }
        using var stream = new StreamHandle(sp);
        LibvirtException.Check(Libvirt.virStorageVolUpload(Handle, stream, volumeOffset, length,
            sparse ? Libvirt.VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM : 0), "virStorageVolUpload");
        bool finished = false;
        try
        {
            var buffer = new byte[chunkSize];
            ulong sent = 0;
            while (sent < length)
            {
                cancel.ThrowIfCancellationRequested();
                int want = (int)Math.Min((ulong)buffer.Length, length - sent);
                int read = source.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
                if (read < want)
                {
                    throw new IOException($"The source ended after {sent + (ulong)read} of {length} bytes: did the file change during the upload?");
                }
                if (sparse && sent + (ulong)read < length && !buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
                {
                    LibvirtException.Check(Libvirt.virStreamSendHole(stream, read, 0), "virStreamSendHole");
                    sent += (ulong)read;
                    progress?.Invoke(sent);
                    continue;
                }
                fixed (byte* p = buffer)
                {
                    // A blocking stream may accept fewer bytes than offered; send the rest.
                    int offset = 0;
                    while (offset < read)
                    {
                        int n = LibvirtException.Check(Libvirt.virStreamSend(stream, p + offset, (nuint)(read - offset)), "virStreamSend");
                        offset += n;
                    }
                }
                sent += (ulong)read;
                progress?.Invoke(sent);
            }
            LibvirtException.Check(Libvirt.virStreamFinish(stream), "virStreamFinish");
            finished = true;
        }
        finally
        {
            if (!finished)
            {
                // The error being thrown was already read; abort's own outcome does not matter.
                Libvirt.virStreamAbort(stream);
                Libvirt.virResetLastError();
            }
        }
    }

    /// <summary>Reads up to <paramref name="count"/> bytes from the volume's start, through a libvirt stream (remote hosts too).</summary>
    public unsafe byte[] ReadStart(int count)
    {
        IntPtr sp = Libvirt.virStreamNew(Connection.Handle, 0);
        if (sp == IntPtr.Zero)
        {
            throw LibvirtException.FromLastError("virStreamNew");
        }
        using var stream = new StreamHandle(sp);
        LibvirtException.Check(Libvirt.virStorageVolDownload(Handle, stream, 0, (ulong)count, 0), "virStorageVolDownload");
        // One byte more than asked: the read that returns 0 (the end of the stream) comes before the finish.
        var buffer = new byte[count + 1];
        int got = 0;
        bool finished = false;
        try
        {
            fixed (byte* p = buffer)
            {
                while (got < buffer.Length)
                {
                    int n = LibvirtException.Check(Libvirt.virStreamRecv(stream, p + got, (nuint)(buffer.Length - got)), "virStreamRecv");
                    if (n == 0)
                    {
                        break;
                    }
                    got += n;
                }
            }
            LibvirtException.Check(Libvirt.virStreamFinish(stream), "virStreamFinish");
            finished = true;
        }
        finally
        {
            if (!finished)
            {
                Libvirt.virStreamAbort(stream);
                Libvirt.virResetLastError();
            }
        }
        return buffer[..Math.Min(got, count)];
    }

    /// <summary>The public object for this volume.</summary>
    public KvmVolume Describe()
    {
        VolumeDefinition d = GetDefinition();
        return new KvmVolume
        {
            Name = Name,
            Pool = PoolName,
            Path = d.Path ?? "",
            Format = d.Format,
            Type = d.Type,
            CapacityBytes = d.CapacityBytes,
            AllocationBytes = d.AllocationBytes,
            BackingPath = d.BackingPath,
            BackingFormat = d.BackingFormat,
            Uri = Connection.Uri,
        };
    }

    public void Dispose() => Handle.Dispose();
}
