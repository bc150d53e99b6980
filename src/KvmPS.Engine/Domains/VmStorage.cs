using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
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

    /// <summary>The format of an existing image file, from qemu-img info.</summary>
    public static async Task<string> DetectFormatAsync(string path, CancellationToken ct)
    {
        var result = await Cli.Wrap("qemu-img")
            .WithArguments(new[] { "info", "--output=json", path })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(ct);
        if (result.ExitCode != 0)
        {
            throw new IOException($"qemu-img info failed ({result.ExitCode}): {result.StandardError.Trim()}");
        }
        using var json = JsonDocument.Parse(result.StandardOutput);
        return json.RootElement.GetProperty("format").GetString() ?? "raw";
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
}
