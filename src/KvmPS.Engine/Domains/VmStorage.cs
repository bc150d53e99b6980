using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>The storage New-KvmVM creates: a pool volume, a local image file, a cloud-init seed ISO.</summary>
public static class VmStorage
{
    /// <summary>Creates a thin volume in a pool and returns its path; a name in use is refused.</summary>
    public static string CreatePoolVolume(LibvirtConnection conn, string pool, string name, ulong bytes, string format)
    {
        using StoragePool p = StoragePool.TryLookup(conn, pool) ?? throw new InvalidOperationException($"No storage pool named '{pool}'.");
        using (StorageVolume? existing = p.TryLookupVolume(name))
        {
            if (existing is not null)
            {
                throw new InvalidOperationException($"Pool '{pool}' already has a volume named '{name}'.");
            }
        }
        using StorageVolume vol = p.CreateVolume(StorageVolumeXml.Build(new VolumeDefinition { Name = name, CapacityBytes = bytes, Format = format }));
        return vol.GetDefinition().Path ?? throw new InvalidOperationException($"libvirt reports no path for volume '{name}'.");
    }

    /// <summary>
    /// Uploads a local file into a new volume of a pool (through libvirt's stream API, so a remote
    /// host works too) and returns the volume's path on the host.
    /// </summary>
    public static string UploadToPool(LibvirtConnection conn, string pool, string name, string localFile, CancellationToken ct)
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
        var planned = VolumeImporter.Plan(name, (ulong)file.Length, p.GetDefinition().Type);
        using StorageVolume vol = VolumeImporter.Import(p, planned, file, null, ct);
        return vol.GetDefinition().Path ?? throw new InvalidOperationException($"libvirt reports no path for volume '{name}'.");
    }

    /// <summary>Creates a local image file with qemu-img (arguments as a list, never a shell string).</summary>
    public static async Task CreateImageFileAsync(string path, ulong bytes, string format, CancellationToken ct)
    {
        var result = await Cli.Wrap("qemu-img")
            .WithArguments(new[] { "create", "-q", "-f", format, path, bytes.ToString(CultureInfo.InvariantCulture) })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(ct);
        if (result.ExitCode != 0)
        {
            throw new IOException($"qemu-img create failed ({result.ExitCode}): {result.StandardError.Trim()}");
        }
    }

    /// <summary>
    /// Makes a NoCloud seed ISO (volume label "cidata" with user-data and meta-data) with xorriso.
    /// </summary>
    public static async Task CreateCloudInitSeedAsync(string isoPath, string userData, string metaData, string? networkConfig, CancellationToken ct)
    {
        string dir = Path.Combine(Path.GetTempPath(), "kvmps-seed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var files = new List<string> { "user-data", "meta-data" };
            await File.WriteAllTextAsync(Path.Combine(dir, "user-data"), userData, ct);
            await File.WriteAllTextAsync(Path.Combine(dir, "meta-data"), metaData, ct);
            if (networkConfig is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(dir, "network-config"), networkConfig, ct);
                files.Add("network-config");
            }
            var args = new List<string> { "-as", "mkisofs", "-quiet", "-output", isoPath, "-volid", "cidata", "-joliet", "-rock" };
            args.AddRange(files.Select(f => Path.Combine(dir, f)));
            var result = await Cli.Wrap("xorriso").WithArguments(args)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(ct);
            if (result.ExitCode != 0)
            {
                throw new IOException($"xorriso failed ({result.ExitCode}): {result.StandardError.Trim()}");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The format of an existing disk file, from the shared probe; a file qemu-img cannot read is an IOException.</summary>
    public static string ProbeFormat(string path, CancellationToken cancel)
    {
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
            string tmp = Path.Combine(Path.GetTempPath(), $"kvmps-{Guid.NewGuid():N}-{seed.Name}");
            try
            {
                CreateCloudInitSeedAsync(tmp, seed.UserData, seed.MetaData, null, cancel).GetAwaiter().GetResult();
                say($"Uploading the cloud-init seed ISO as volume '{seed.Name}' in pool '{seed.Pool}'.");
                return UploadToPool(conn, seed.Pool, seed.Name, tmp, cancel);
            }
            finally
            {
                File.Delete(tmp);
            }
        }
        string path = Path.Combine(diskDir, seed.Name);
        if (File.Exists(path))
        {
            throw new IOException($"'{path}' already exists; it was left untouched.");
        }
        say($"Creating the cloud-init seed ISO '{path}'.");
        CreateCloudInitSeedAsync(path, seed.UserData, seed.MetaData, null, cancel).GetAwaiter().GetResult();
        return path;
    }
}
