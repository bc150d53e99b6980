using System.Text;
using System.Xml.Linq;
using KvmPS.Engine.Domains;

namespace KvmPS.Engine.Snapshots;

/// <summary>
/// Decides how a snapshot is taken. Internal (inside the qcow2 images, with the memory of a
/// running guest) when every disk it captures is qcow2 and the VM has no UEFI variable store in
/// pflash (internal snapshots leave that store out, and libvirt from 9.2 on refuses them); external
/// (overlay files beside the disks, memory in a file of its own) otherwise, and for -DiskOnly and
/// -Quiesce, which libvirt does only as external disk-only snapshots. Pure: the host is given as
/// the VM's definition, its state, the snapshot names and a test for paths already taken.
/// </summary>
public static class SnapshotPlanner
{
    public static SnapshotPlan Plan(SnapshotRequest r, XElement domain, bool active, IReadOnlyCollection<string> existing, Func<string, bool> pathTaken)
    {
        Check(r, active, existing);
        var disks = SnapshotVmDisk.Of(domain);
        var included = disks.Where(d => d.Included).ToList();
        if (included.Count == 0)
        {
            throw new VmRequestException("NoDisksToSnapshot", KvmErrorKind.InvalidOperation, r.VMName,
                $"VM '{r.VMName}' has no writable disk to snapshot (CD-ROMs, read-only and shared disks are left out of snapshots).");
        }
        var blockers = InternalBlockers(domain, included);
        KvmSnapshotKind kind;
        bool memory;
        string reason;
        if (r.DiskOnly || r.Quiesce)
        {
            kind = KvmSnapshotKind.External;
            memory = false;
            reason = r.Quiesce
                ? "external, disks only: -Quiesce (libvirt freezes the guest's file systems through the guest agent only for disk-only snapshots, which are external)"
                : "external, disks only: -DiskOnly (libvirt takes disk-only snapshots as overlay files)";
        }
        else if (blockers.Count == 0)
        {
            kind = KvmSnapshotKind.Internal;
            memory = active;
            reason = active
                ? "internal, with the running guest's memory: every disk is qcow2 and there is no pflash variable store"
                : "internal: every disk is qcow2 and there is no pflash variable store";
        }
        else
        {
            kind = KvmSnapshotKind.External;
            memory = active && r.Memory;
            reason = $"external{(memory ? ", with the guest's memory in a file" : ", disks only")}: an internal snapshot is not possible ({string.Join("; ", blockers)})"
                + (active && !r.Memory ? "; add -Memory to keep the running guest's memory too" : "");
        }

        var plans = new List<SnapshotDiskPlan>();
        string? firstDir = included.Select(d => d.SourceType == "file" ? d.File : null).OfType<string>().Select(Path.GetDirectoryName).FirstOrDefault(d => !string.IsNullOrEmpty(d));
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (SnapshotVmDisk d in disks)
        {
            if (!d.Included)
            {
                plans.Add(new SnapshotDiskPlan(d.Target, KvmSnapshotKind.None, null));
                continue;
            }
            if (kind == KvmSnapshotKind.Internal)
            {
                plans.Add(new SnapshotDiskPlan(d.Target, KvmSnapshotKind.Internal, null));
                continue;
            }
            string dir = (d.SourceType == "file" && d.File is not null ? Path.GetDirectoryName(d.File) : null) ?? firstDir
                ?? throw new VmRequestException("NoDirectoryForOverlay", KvmErrorKind.InvalidOperation, r.VMName,
                    $"VM '{r.VMName}': disk {d.Target} is no file, and no other disk is, so there is no directory for the snapshot's overlay file.");
            string stem = d.File is null ? $"{SafeFilePart(r.VMName)}-{d.Target}" : Path.GetFileNameWithoutExtension(d.File);
            plans.Add(new SnapshotDiskPlan(d.Target, KvmSnapshotKind.External, FreePath(dir, $"{stem}.{SafeFilePart(r.Name)}", ".qcow2", pathTaken, taken)));
        }
        string? memoryFile = kind == KvmSnapshotKind.External && memory
            ? FreePath(Path.GetDirectoryName(plans.First(p => p.Overlay is not null).Overlay)!, $"{SafeFilePart(r.VMName)}.{SafeFilePart(r.Name)}", ".mem", pathTaken, taken)
            : null;
        return new SnapshotPlan(r, kind, memory, memoryFile, plans, reason);
    }

    /// <summary>The refusals that need nothing but the request, the VM's state and its snapshot names.</summary>
    public static void Check(SnapshotRequest r, bool active, IReadOnlyCollection<string> existing)
    {
        if (ObjectName.Validate("snapshot", r.Name) is string bad)
        {
            throw VmRequestException.Invalid(r.Name, "InvalidSnapshotName", bad);
        }
        if (existing.Contains(r.Name, StringComparer.Ordinal))
        {
            throw new VmRequestException("SnapshotExists", KvmErrorKind.AlreadyExists, r.Name,
                $"VM '{r.VMName}' already has a snapshot named '{r.Name}'. Choose another -SnapshotName, or remove that one first (Remove-KvmSnapshot).");
        }
        if (r.Memory && r.DiskOnly)
        {
            throw VmRequestException.Invalid(r.Name, "MemoryWithDiskOnly", "-Memory and -DiskOnly exclude each other: a disk-only snapshot has no memory.");
        }
        if (r.Memory && r.Quiesce)
        {
            throw VmRequestException.Invalid(r.Name, "QuiesceWithMemory", "-Quiesce makes a disk-only snapshot (libvirt quiesces only those), so it cannot hold -Memory.");
        }
        if (!active && r.Memory)
        {
            throw new VmRequestException("MemoryOfStoppedVM", KvmErrorKind.InvalidOperation, r.VMName,
                $"-Memory: VM '{r.VMName}' is not running, so it has no memory to keep. Start it first, or leave -Memory out.");
        }
        if (!active && r.Quiesce)
        {
            throw new VmRequestException("QuiesceNeedsRunningVM", KvmErrorKind.InvalidOperation, r.VMName,
                $"-Quiesce: VM '{r.VMName}' is not running; only a running guest's agent can freeze its file systems.");
        }
    }

    /// <summary>Why an internal snapshot cannot be taken of these disks of this definition (empty when it can).</summary>
    public static List<string> InternalBlockers(XElement domain, IEnumerable<SnapshotVmDisk> included)
    {
        var why = new List<string>();
        XElement? os = domain.Element("os");
        if ((string?)os?.Element("loader")?.Attribute("type") == "pflash" || (string?)os?.Attribute("firmware") == "efi" || os?.Element("nvram") is not null)
        {
            why.Add("the VM boots UEFI with its variables in pflash, which internal snapshots leave out (libvirt 9.2 and later refuse them)");
        }
        foreach (SnapshotVmDisk d in included)
        {
            if (d.SourceType is "network" or "volume" && d.Format != "qcow2")
            {
                why.Add($"disk {d.Target} is a {d.SourceType} disk without qcow2");
            }
            else if (d.Format != "qcow2")
            {
                why.Add($"disk {d.Target} is {d.Format ?? "of unknown format"}, and only qcow2 images hold internal snapshots");
            }
        }
        return why;
    }

    /// <summary>A name made safe for a file name: letters, digits, '.', '-', '_'; anything else becomes '_'.</summary>
    public static string SafeFilePart(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }
        string s = sb.ToString().Trim('.');
        return s.Length == 0 ? "snapshot" : s;
    }

    internal static string FreePath(string dir, string stem, string ext, Func<string, bool> pathTaken, HashSet<string> taken)
    {
        for (int i = 1; ; i++)
        {
            string p = Path.Combine(dir, i == 1 ? stem + ext : $"{stem}-{i}{ext}");
            if (!pathTaken(p) && taken.Add(p))
            {
                return p;
            }
        }
    }
}
