namespace KvmPS.Engine.Storage;

/// <summary>Turns volume requests into volume XML, and finds out what a backing image is.</summary>
public static class VolumePlanner
{
    /// <summary>Pools whose volumes are image files, so that they can be qcow2 and have a backing file.</summary>
    public static bool HoldsImageFiles(KvmStoragePoolType type) =>
        type is KvmStoragePoolType.Dir or KvmStoragePoolType.Fs or KvmStoragePoolType.NetFs;

    /// <summary>Checks a volume name as libvirt would, before anything is created.</summary>
    public static string? NameProblem(string name) =>
        ObjectName.Validate("volume", name)
        ?? (name is "." or ".." ? $"'{name}' is not a valid volume name: it must not be '.' or '..'." : null);

    /// <summary>
    /// The volume to create: thin (allocation 0), qcow2 by default in pools of image files. An
    /// overlay must be qcow2, and is at least as large as its backing image. Throws
    /// ArgumentException naming every problem.
    /// </summary>
    public static VolumeDefinition Plan(VolumeRequest r, KvmStoragePoolType poolType, ImageInfo? backing)
    {
        var problems = new List<string>();
        if (NameProblem(r.Name) is string bad)
        {
            problems.Add(bad);
        }
        bool files = HoldsImageFiles(poolType);
        KvmVolumeFormat format = r.Format ?? (files ? KvmVolumeFormat.Qcow2 : KvmVolumeFormat.Raw);
        if (!files && format == KvmVolumeFormat.Qcow2)
        {
            problems.Add($"{poolType} pools hold raw volumes only; leave out -Format or use -Format Raw.");
        }
        ulong size = r.SizeBytes ?? 0;
        if (r.BackingPath is not null)
        {
            if (format != KvmVolumeFormat.Qcow2)
            {
                problems.Add("An overlay on a backing image must be qcow2 (raw volumes have no backing file).");
            }
            if (!r.BackingPath.StartsWith('/'))
            {
                problems.Add($"The backing path '{r.BackingPath}' must be absolute.");
            }
            if (backing is not null)
            {
                size = r.SizeBytes ?? backing.VirtualSizeBytes;
                if (r.SizeBytes is ulong s && s < backing.VirtualSizeBytes)
                {
                    problems.Add($"-Size {s} is smaller than the backing image ({backing.VirtualSizeBytes} bytes); an overlay cannot be.");
                }
            }
        }
        if (size == 0 && problems.Count == 0)
        {
            problems.Add(r.SizeBytes == 0 ? "-Size must be more than 0 bytes." : "-Size is required (or -BackingPath, to take its size).");
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }
        return new VolumeDefinition
        {
            Name = r.Name.Trim(),
            CapacityBytes = size,
            AllocationBytes = 0,
            Format = files ? format.ToString().ToLowerInvariant() : null,
            BackingPath = r.BackingPath,
            BackingFormat = r.BackingPath is null ? null : r.BackingFormat ?? backing?.Format,
        };
    }

    /// <summary>
    /// How an existing volume differs from a planned one; empty when the request converges.
    /// Sizes compare in whole KiB, as qemu-img creates images rounded up to KiB.
    /// </summary>
    public static IReadOnlyList<string> Differences(VolumeDefinition existing, VolumeDefinition wanted)
    {
        var diffs = new List<string>();
        if (wanted.Format is not null && !string.Equals(existing.Format, wanted.Format, StringComparison.Ordinal))
        {
            diffs.Add($"format is '{existing.Format}', not '{wanted.Format}'");
        }
        static ulong KiB(ulong b) => (b + 1023) / 1024;
        if (KiB(existing.CapacityBytes) != KiB(wanted.CapacityBytes))
        {
            diffs.Add($"capacity is {existing.CapacityBytes} bytes, not {wanted.CapacityBytes}");
        }
        if (!string.Equals(existing.BackingPath, wanted.BackingPath, StringComparison.Ordinal))
        {
            diffs.Add($"backing image is '{existing.BackingPath ?? "(none)"}', not '{wanted.BackingPath ?? "(none)"}'");
        }
        return diffs;
    }

    /// <summary>
    /// What the backing image at a host path is: from libvirt when a pool holds it (this works on a
    /// remote host), else from the file itself when the host is this machine. A format given by the
    /// caller wins over the one found. Throws ArgumentException when the image cannot be found.
    /// </summary>
    public static ImageInfo ResolveBacking(LibvirtConnection conn, string path, string? givenFormat, ulong? givenSize)
    {
        using (StorageVolume? vol = StorageVolume.TryLookupByPath(conn, path))
        {
            if (vol is not null)
            {
                VolumeDefinition d = vol.GetDefinition();
                return new ImageInfo(givenFormat ?? d.Format ?? "raw", d.CapacityBytes, d.BackingPath, d.BackingFormat);
            }
        }
        if (conn.IsLocal && File.Exists(path))
        {
            ImageInfo info = ImageProbe.Probe(path);
            return givenFormat is null ? info : info with { Format = givenFormat };
        }
        if (!conn.IsLocal && givenFormat is not null && givenSize is not null)
        {
            // A file on a remote host that no pool holds: trust what the caller says it is.
            return new ImageInfo(givenFormat, 0, null);
        }
        throw new ArgumentException(conn.IsLocal
            ? $"The backing image '{path}' does not exist."
            : $"No storage pool on '{conn.Uri}' holds '{path}', so its format and size cannot be read there: give -BackingFormat and -Size, or put the image in a pool.");
    }
}
