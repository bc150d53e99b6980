using System.Security.Cryptography;

namespace KvmPS.Engine.Storage;

/// <summary>
/// Copies a volume's bytes into a new local file through libvirt's stream API (remote hosts too),
/// hashing them on the way. Runs of zero bytes become holes, so a sparse image stays sparse here.
/// </summary>
public static class VolumeDownloader
{
    /// <summary>Bytes read and written at a time (StorageVolume's measured upload chunk size).</summary>
    public const int ChunkSize = StorageVolume.DefaultChunkSize;

    /// <summary>
    /// Writes the whole volume to <paramref name="path"/> (created new, owner-only); returns the
    /// file's length and SHA-256 (lower-case hex). On failure or cancellation the file is deleted.
    /// </summary>
    public static (ulong Length, string Sha256) ToFile(StorageVolume volume, string path, Action<ulong>? progress, CancellationToken cancel)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using var file = new FileStream(path, options);
            // Sparse: a remote disk's holes cross as lengths; CopySparse writes them as holes again.
            using VolumeReadStream source = VolumeReadStream.Open(volume, 0, 0, sparse: true);
            string sha = CopySparse(source, file, progress, cancel);
            source.Complete();
            return ((ulong)file.Length, sha);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="target"/> (a seekable file), seeking over
    /// chunks that are all zero instead of writing them; returns the SHA-256 of every byte.
    /// </summary>
    public static string CopySparse(Stream source, Stream target, Action<ulong>? progress, CancellationToken cancel)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkSize];
        ulong done = 0;
        long end = target.Position;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            int n = source.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (n == 0)
            {
                break;
            }
            ReadOnlySpan<byte> chunk = buffer.AsSpan(0, n);
            sha.AppendData(chunk);
            if (chunk.ContainsAnyExcept((byte)0))
            {
                target.Write(chunk);
            }
            else
            {
                target.Seek(n, SeekOrigin.Current);
            }
            end += n;
            done += (ulong)n;
            progress?.Invoke(done);
        }
        // A file that ends in a hole gets its length here.
        target.SetLength(end);
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }
}
