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
    /// Creates the volume and uploads the file into it; on failure or cancellation the volume is
    /// deleted again (a warning says so if that fails too) and the exception is rethrown.
    /// </summary>
    public static StorageVolume Import(StoragePool pool, VolumeDefinition planned, Stream file, Action<ulong>? progress,
        CancellationToken cancel, Action<string>? log = null, Action<string>? warn = null)
    {
        StorageVolume vol = pool.CreateVolume(StorageVolumeXml.Build(planned));
        log?.Invoke($"Created volume '{pool.Name}/{vol.Name}' of {planned.CapacityBytes} bytes.");
        try
        {
            vol.Upload(file, planned.CapacityBytes, progress, cancel);
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
                if (attempt == 10)
                {
                    warn?.Invoke($"The partly uploaded volume '{vol.PoolName}/{vol.Name}' could not be removed: {e.LibvirtMessage}");
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
