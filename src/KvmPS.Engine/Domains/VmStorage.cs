using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>The storage New-KvmVM creates: a pool volume, a local image file, a cloud-init seed ISO.</summary>
public static class VmStorage
{
    /// <summary>
    /// Creates a thin volume in a pool and returns its path. A name in use is refused, unless the
    /// volume there is what an interrupted run of the same request made: noted in
    /// <paramref name="pending"/> and untouched since (see <see cref="Leftover.IsUntouchedVolume"/>);
    /// that one is taken over (Reused). A volume about to be made is noted in <paramref name="pending"/>.
    /// </summary>
    public static (string Path, bool Reused) CreatePoolVolume(LibvirtConnection conn, string pool, string name, ulong bytes, string format,
        PendingVolumes? pending = null)
    {
        using StoragePool p = StoragePool.TryLookup(conn, pool) ?? throw new InvalidOperationException($"No storage pool named '{pool}'.");
        using (StorageVolume? existing = p.TryLookupVolume(name))
        {
            if (existing is not null)
            {
                VolumeDefinition d = existing.GetDefinition();
                int users = d.Path is null ? 1 : StorageUsage.Read(conn).UsersOf(d.Path).Count;
                if (d.Path is not null && pending?.Contains(conn.Uri, pool, name) == true && Leftover.IsUntouchedVolume(d, bytes, format, users))
                {
                    return (d.Path, true);
                }
                throw new InvalidOperationException($"Pool '{pool}' already has a volume named '{name}' (in use, or written to, or of another size or format); it was left untouched. "
                    + $"If it is not needed, remove it with: {Leftover.RemoveVolumeCommand(pool, name, conn.Uri)}");
            }
        }
        pending?.Add(conn.Uri, pool, name);
        using StorageVolume vol = p.CreateVolume(StorageVolumeXml.Build(new VolumeDefinition { Name = name, CapacityBytes = bytes, Format = format }));
        return (vol.GetDefinition().Path ?? throw new InvalidOperationException($"libvirt reports no path for volume '{name}'."), false);
    }

    /// <summary>Deletes a volume of a pool if it exists; says how it went.</summary>
    public static string DeletePoolVolumeIfExists(LibvirtConnection conn, string pool, string name)
    {
        using StoragePool? p = StoragePool.TryLookup(conn, pool);
        using StorageVolume? vol = p?.TryLookupVolume(name);
        if (vol is null)
        {
            return $"Volume '{pool}/{name}' was not there to remove.";
        }
        string shown = vol.GetDefinition().Path ?? $"{pool}/{name}";
        vol.Delete();
        return $"Deleted volume '{shown}'.";
    }

    /// <summary>
    /// Uploads a local file into a new volume of a pool (through libvirt's stream API, so a remote
    /// host works too) and returns the volume's path on the host. <paramref name="mode"/> is the
    /// volume's permissions, for pools that make files (a seed ISO: 0600).
    /// </summary>
    public static string UploadToPool(LibvirtConnection conn, string pool, string name, string localFile, CancellationToken ct,
        UnixFileMode? mode = null)
    {
        using StoragePool p = StoragePool.TryLookup(conn, pool) ?? throw new InvalidOperationException($"No storage pool named '{pool}'.");
        using (StorageVolume? existing = p.TryLookupVolume(name))
        {
            if (existing is not null)
            {
                throw new InvalidOperationException($"Pool '{pool}' already has a volume named '{name}'.");
            }
        }
        using FileStream file = File.OpenRead(localFile);
        var planned = VolumeImporter.Plan(name, (ulong)file.Length, p.GetDefinition().Type) with { Mode = mode };
        using StorageVolume vol = VolumeImporter.Import(p, planned, file, null, ct);
        return vol.GetDefinition().Path ?? throw new InvalidOperationException($"libvirt reports no path for volume '{name}'.");
    }

    /// <summary>Creates a local image file with qemu-img (arguments as a list, never a shell string).</summary>
    public static async Task CreateImageFileAsync(string path, ulong bytes, string format, CancellationToken ct)
    {
        var result = await Cli.Wrap("qemu-img")
            .WithArguments(QemuImgCreateArguments(path, bytes, format))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(ct);
        if (result.ExitCode != 0)
        {
            throw new IOException($"qemu-img create failed ({result.ExitCode}): {result.StandardError.Trim()}");
        }
    }

    /// <summary>qemu-img's arguments for a new image; qcow2 is v3 (compat 1.1) with lazy refcounts.</summary>
    public static string[] QemuImgCreateArguments(string path, ulong bytes, string format) =>
        format == "qcow2"
            ? new[] { "create", "-q", "-f", format, "-o", "compat=1.1,lazy_refcounts=on", path, bytes.ToString(CultureInfo.InvariantCulture) }
            : new[] { "create", "-q", "-f", format, path, bytes.ToString(CultureInfo.InvariantCulture) };

    /// <summary>Owner only: the seed holds user-data, which may carry passwords and keys.</summary>
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner only, for the directory the seed's files are staged in.</summary>
    public const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Makes a NoCloud seed ISO (volume label "cidata" with user-data and meta-data) with xorriso.
    /// Everything is made owner-only (directory 0700, files and the ISO 0600) in a fresh staging
    /// directory, and the ISO is moved to <paramref name="isoPath"/> only when complete; an
    /// existing file there is never replaced.
    /// </summary>
    public static async Task CreateCloudInitSeedAsync(string isoPath, string userData, string metaData, string? networkConfig, CancellationToken ct)
    {
        string dir = CreatePrivateDirectory();
        try
        {
            var files = new List<string> { "user-data", "meta-data" };
            await WritePrivateFileAsync(Path.Combine(dir, "user-data"), userData, ct);
            await WritePrivateFileAsync(Path.Combine(dir, "meta-data"), metaData, ct);
            if (networkConfig is not null)
            {
                await WritePrivateFileAsync(Path.Combine(dir, "network-config"), networkConfig, ct);
                files.Add("network-config");
            }
            string staged = Path.Combine(dir, "seed.iso");
            var args = new List<string> { "-as", "mkisofs", "-quiet", "-output", staged, "-volid", "cidata", "-joliet", "-rock" };
            args.AddRange(files.Select(f => Path.Combine(dir, f)));
            var result = await Cli.Wrap("xorriso").WithArguments(args)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(ct);
            if (result.ExitCode != 0)
            {
                throw new IOException($"xorriso failed ({result.ExitCode}): {result.StandardError.Trim()}");
            }
            // xorriso creates its output with the umask's mode; inside the 0700 directory nobody
            // else could open it before this.
            SetPrivate(staged);
            File.Move(staged, isoPath, overwrite: false);
            SetPrivate(isoPath);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A new, empty, owner-only (0700) directory under the temporary directory.</summary>
    public static string CreatePrivateDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "kvmps-seed-" + Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(dir).FullName;
        }
        Directory.CreateDirectory(dir, PrivateDirectoryMode);
        // The mode given at creation is reduced by the umask only; set it exactly.
        File.SetUnixFileMode(dir, PrivateDirectoryMode);
        return dir;
    }

    private static async Task WritePrivateFileAsync(string path, string text, CancellationToken ct)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFileMode;
        }
        await using (var writer = new StreamWriter(path, new System.Text.UTF8Encoding(false), options))
        {
            await writer.WriteAsync(text.AsMemory(), ct);
        }
        SetPrivate(path);
    }

    private static void SetPrivate(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, PrivateFileMode);
        }
    }

    // A qcow2 (v2/v3) header whose cluster size, L1 and refcount tables are where a whole image
    // has them; anything less (a bare or damaged header) goes to qemu-img, which says what is wrong.
    private static bool LooksLikeQcow2(string path)
    {
        try
        {
            using FileStream f = File.OpenRead(path);
            var h = new byte[104];
            if (f.ReadAtLeast(h, h.Length, throwOnEndOfStream: false) < h.Length || h[0] != 'Q' || h[1] != 'F' || h[2] != 'I' || h[3] != 0xFB)
            {
                return false;
            }
            uint version = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(4));
            uint clusterBits = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(20));
            ulong l1 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(h.AsSpan(40));
            ulong refcounts = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(h.AsSpan(48));
            if (version is not (2 or 3) || clusterBits is < 9 or > 21)
            {
                return false;
            }
            ulong cluster = 1UL << (int)clusterBits, length = (ulong)f.Length;
            return l1 != 0 && refcounts != 0 && l1 % cluster == 0 && refcounts % cluster == 0 && l1 < length && refcounts < length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The format of an existing disk file, from the shared probe; a file qemu-img cannot read is an IOException.</summary>
    public static string ProbeFormat(string path, CancellationToken cancel)
    {
        // A qcow2 header says what it is: no qemu-img process (tens of milliseconds) for the
        // common case. Anything else may be one of the many formats qemu-img tells from raw.
        if (LooksLikeQcow2(path))
        {
            return "qcow2";
        }
        try
        {
            return ImageProbe.DetectFormat(path, cancel);
        }
        catch (InvalidOperationException e)
        {
            // A file qemu-img cannot read is a failure of the file, not a conflict.
            throw new IOException(e.Message, e);
        }
    }

    /// <summary>
    /// Makes the cloud-init seed ISO of a new VM and returns its host path: a volume in the seed's
    /// pool (made here, uploaded through libvirt), else a file in the disk's directory.
    /// </summary>
    public static string CreateSeed(LibvirtConnection conn, VmSeedPlan seed, string diskDir, Action<string> say, CancellationToken cancel)
    {
        if (seed.Pool is not null)
        {
            // Made here, uploaded through libvirt: works for a remote host's pool too.
            string stage = CreatePrivateDirectory();
            try
            {
                string tmp = Path.Combine(stage, "seed.iso");
                CreateCloudInitSeedAsync(tmp, seed.UserData, seed.MetaData, seed.NetworkConfig, cancel).GetAwaiter().GetResult();
                say($"Uploading the cloud-init seed ISO as volume '{seed.Name}' in pool '{seed.Pool}'.");
                return UploadToPool(conn, seed.Pool, seed.Name, tmp, cancel, PrivateFileMode);
            }
            finally
            {
                Directory.Delete(stage, recursive: true);
            }
        }
        string path = Path.Combine(diskDir, seed.Name);
        if (File.Exists(path))
        {
            throw new IOException($"'{path}' already exists; it was left untouched.");
        }
        say($"Creating the cloud-init seed ISO '{path}'.");
        CreateCloudInitSeedAsync(path, seed.UserData, seed.MetaData, seed.NetworkConfig, cancel).GetAwaiter().GetResult();
        return path;
    }
}
