namespace KvmPS.Engine.Storage;

/// <summary>
/// Imports a local image file into a pool: creates a volume of exactly the file's length, streams
/// the bytes into it over the libvirt connection, and removes the volume again if that fails.
/// </summary>
public static class VolumeImporter
{
    /// <summary>
    /// What a file to import is. Refuses an empty file, and a qcow2 image with a backing file unless
    /// it is imported as raw bytes: on the host that reference would point at some other file.
    /// </summary>
    public static ImageInfo Inspect(string path, KvmVolumeFormat? declared)
    {
        if (new FileInfo(path).Length == 0)
        {
            throw new ArgumentException($"'{path}' is empty: there is nothing to import.");
        }
        ImageInfo info = ImageProbe.ReadHeader(path);
        bool qcow = info.Format is "qcow2" or "qcow";
        if (declared == KvmVolumeFormat.Qcow2 && info.Format != "qcow2")
        {
            throw new ArgumentException($"'{path}' is not a qcow2 image (no qcow2 header); import it with -Format Raw or leave -Format out.");
        }
        if (qcow && info.BackingFile is not null && declared != KvmVolumeFormat.Raw)
        {
            throw new ArgumentException(
                $"'{path}' is an overlay on '{info.BackingFile}', which would not travel with it. Flatten it first (qemu-img convert -O qcow2 <overlay> <new file>).");
        }
        return declared == KvmVolumeFormat.Raw ? info with { Format = "raw" } : info;
    }

    /// <summary>
    /// The volume that receives the file: raw, exactly as long as the file, thin. Never created as
    /// qcow2: qemu-img would write a fresh image whose length differs from the file, and an upload
    /// overwrites bytes without truncating. A dir pool reads the uploaded qcow2 header afterwards.
    /// </summary>
    public static VolumeDefinition Plan(string name, ulong length, KvmStoragePoolType poolType) => new()
    {
        Name = name,
        CapacityBytes = length,
        AllocationBytes = 0,
        Format = VolumePlanner.HoldsImageFiles(poolType) ? "raw" : null,
    };

    /// <summary>
    /// The first bytes of a volume while its upload is under way: written first and replaced by the
    /// file's own first bytes last, so a volume whose upload was cut off (the daemon went away, the
    /// process was killed) says so, and a rerun of the import can recognise and replace it.
    /// </summary>
    public static readonly byte[] PartialMark = "KVMPS-PARTIAL-UPLOAD\n"u8.ToArray();

    /// <summary>Bytes written last: the file's head, which the mark stands in for until then.</summary>
    public const int HeadBytes = 64 << 10;

    /// <summary>
    /// Whether a volume's first bytes (and its size) show a cut-off import of a file of
    /// <paramref name="length"/> bytes: the partial mark, or a volume of exactly that size never
    /// written to (created, then the host went away before the first byte).
    /// </summary>
    public static bool IsPartialUpload(ReadOnlySpan<byte> start, VolumeDefinition volume, ulong length) =>
        start.StartsWith(PartialMark)
        || (volume.CapacityBytes == length && volume.AllocationBytes <= Domains.Leftover.UntouchedAllocationBytes
            && start.Length > 0 && !start.ContainsAnyExcept((byte)0));

    /// <summary>Whether an existing volume is a cut-off import (see <see cref="IsPartialUpload(ReadOnlySpan{byte}, VolumeDefinition, ulong)"/>).</summary>
    public static bool IsPartialUpload(StorageVolume vol, ulong length) =>
        IsPartialUpload(vol.ReadStart(PartialMark.Length), vol.GetDefinition(), length);

    /// <summary>
    /// Creates the volume and uploads the file into it: the partial mark first, then the file from
    /// <see cref="HeadBytes"/> on, then its head (files no longer than the head in one go). On
    /// failure or cancellation the volume is deleted again (a warning says so, with the command
    /// that removes it, if that fails too) and the exception is rethrown.
    /// </summary>
    public static StorageVolume Import(StoragePool pool, VolumeDefinition planned, Stream file, Action<ulong>? progress,
        CancellationToken cancel, Action<string>? log = null, Action<string>? warn = null)
    {
        StorageVolume vol = pool.CreateVolume(StorageVolumeXml.Build(planned));
        log?.Invoke($"Created volume '{pool.Name}/{vol.Name}' of {planned.CapacityBytes} bytes.");
        try
        {
            ulong length = planned.CapacityBytes;
            // A new volume of a file pool is all zeros already: zero chunks of the data go as holes,
            // so a sparse image stays sparse there. Block-device pools get every byte.
            bool sparse = VolumePlanner.HoldsImageFiles(pool.GetDefinition(inactive: false).Type);
            if (length <= HeadBytes || !file.CanSeek)
            {
                vol.Upload(file, length, progress, cancel, sparse: sparse);
                return vol;
            }
            var mark = new byte[HeadBytes];
            PartialMark.CopyTo(mark, 0);
            vol.Upload(new MemoryStream(mark), 0, HeadBytes, null, cancel);
            file.Position = HeadBytes;
            // The mark and the head go as data (a hole over the mark would leave it in place).
            vol.Upload(file, HeadBytes, length - HeadBytes, sent => progress?.Invoke(HeadBytes + sent), cancel, sparse: sparse);
            file.Position = 0;
            vol.Upload(file, 0, HeadBytes, _ => progress?.Invoke(length), cancel);
            return vol;
        }
        catch
        {
            RemoveAfterFailure(vol, log, warn);
            vol.Dispose();
            throw;
        }
    }

    private static void RemoveAfterFailure(StorageVolume vol, Action<string>? log, Action<string>? warn)
    {
        // Right after an aborted stream the daemon may still hold the volume for a moment.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                vol.Delete();
                log?.Invoke($"Removed volume '{vol.PoolName}/{vol.Name}' after the failed upload.");
                return;
            }
            catch (LibvirtException e) when (e.Code != LibvirtErrorCode.NoStorageVol)
            {
                if (attempt == 10 || !vol.Connection.IsAlive)
                {
                    warn?.Invoke(Domains.Leftover.NotRemoved($"The partly uploaded volume '{vol.PoolName}/{vol.Name}'", e.LibvirtMessage,
                        Domains.Leftover.RemoveVolumeCommand(vol.PoolName, vol.Name, vol.Connection.Uri))
                        + " (or run the same Import-KvmVolume again: it recognises the partial upload and replaces it)");
                    return;
                }
                Thread.Sleep(200);
            }
            catch (LibvirtException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// After an upload libvirt re-reads the pool in the background; waits (briefly) until the volume
    /// shows the format of the uploaded image, so the caller reads the final format and size.
    /// </summary>
    public static void WaitForFormat(StoragePool pool, string name, string format, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using (StorageVolume? v = pool.TryLookupVolume(name))
            {
                if (v is null || v.GetDefinition().Format == format || DateTime.UtcNow >= deadline)
                {
                    return;
                }
            }
            Thread.Sleep(50);
        }
    }
}
