namespace KvmPS.Engine.Domains;

/// <summary>
/// Decides an import of a VM export: every refusal before anything is made (files missing or of
/// another length than the manifest says, a name or UUID in use, in place on a remote host), the
/// volume names, where the UEFI variables go. Pure, apart from the file tests it is given.
/// </summary>
public static class VmImportPlanner
{
    public static VmImportPlan Plan(VmImportRequest r, VmExportManifest m, VmImportHost host, Func<string, long?> fileLength)
    {
        if (r.Pool is not null && !r.Copy)
        {
            throw Refuse("PoolNeedsCopy", KvmErrorKind.InvalidArgument, r.Directory,
                "-Pool names the pool that -Copy copies the disks into; without -Copy the VM uses the export's files where they are.");
        }
        if (!r.Copy && !host.IsLocal)
        {
            throw Refuse("InPlaceNeedsLocalHost", KvmErrorKind.NotSupported, r.Directory,
                "Without -Copy the VM would use the export's files where they are, which a remote host cannot reach: give -Copy to copy them into a pool of that host.");
        }
        if (m.Files().FirstOrDefault(f => f.File.Length == 0 || f.File != Path.GetFileName(f.File) || f.File is "." or "..") is { File: not null } odd)
        {
            throw Refuse("InvalidExportManifest", KvmErrorKind.InvalidArgument, r.Directory, $"The manifest names '{odd.File}', which is no plain file name of the export directory.");
        }
        foreach (var (file, _, length) in m.Files())
        {
            string path = Path.Combine(r.Directory, file);
            long? actual = fileLength(path);
            if (actual is null)
            {
                throw Refuse("ExportFileMissing", KvmErrorKind.NotFound, path, $"The export in '{r.Directory}' lacks the file '{file}' that its manifest lists: nothing was imported.");
            }
            if (length is ulong want && (ulong)actual.Value != want)
            {
                throw Refuse("ExportFileChanged", KvmErrorKind.InvalidArgument, path,
                    $"'{path}' is {actual} bytes long, its manifest says {want}: the file has changed since the export, and nothing was imported.");
            }
        }
        string name = r.NewName ?? m.VmName;
        if (ObjectName.Validate("VM", name) is string bad)
        {
            throw Refuse("InvalidName", KvmErrorKind.InvalidArgument, name, bad);
        }
        if (host.VmNames.Contains(name))
        {
            throw Refuse("VMExists", KvmErrorKind.AlreadyExists, name,
                $"A VM named '{name}' exists already: give -NewName (and -GenerateNewId for a new UUID and MAC addresses) to import the export beside it.");
        }
        if (!r.GenerateNewId && host.VmUuids.Contains(m.VmUuid))
        {
            throw Refuse("VMUuidInUse", KvmErrorKind.AlreadyExists, name,
                $"A VM with the UUID {m.VmUuid} exists already: give -GenerateNewId to import the export with a new UUID and new MAC addresses.");
        }
        var taken = new HashSet<string>(host.PoolVolumes, StringComparer.Ordinal);
        var disks = new List<VmImportPlannedDisk>();
        foreach (VmExportFile d in m.Disks)
        {
            string? volume = r.Copy ? FreeName($"{name}-{Path.GetFileName(d.File)}", taken) : null;
            disks.Add(new VmImportPlannedDisk(d, Path.Combine(r.Directory, d.File), volume));
        }
        var notes = new List<string>();
        string? nvramFrom = null, nvramTo = null;
        if (m.Nvram is not null)
        {
            nvramFrom = Path.Combine(r.Directory, m.Nvram.File);
            if (!host.IsLocal)
            {
                notes.Add("The UEFI variables of the export are not imported (a remote host's files are not reachable from here): libvirt makes the VM's from the firmware's template.");
                nvramFrom = null;
            }
            else if (!r.Copy)
            {
                nvramTo = nvramFrom;
            }
            else
            {
                string dir = Path.GetDirectoryName(m.Nvram.SourcePath) is { Length: > 0 } d ? d : "/var/lib/libvirt/qemu/nvram";
                nvramTo = Path.Combine(dir, $"{string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'))}_VARS.fd");
                if (fileLength(nvramTo) is not null)
                {
                    throw Refuse("NvramExists", KvmErrorKind.AlreadyExists, nvramTo, $"'{nvramTo}' exists already (another VM's UEFI variables?): remove it, or give -NewName.");
                }
            }
        }
        return new VmImportPlan(r, m, name, r.GenerateNewId, r.Copy ? r.Pool : null, disks, Path.Combine(r.Directory, m.Definition), nvramFrom, nvramTo, notes);
    }

    /// <summary><paramref name="name"/>, or name-2, name-3, ... (before the extension): the first not in <paramref name="taken"/>, which it joins.</summary>
    public static string FreeName(string name, ISet<string> taken)
    {
        string stem = Path.GetFileNameWithoutExtension(name), ext = Path.GetExtension(name);
        for (int i = 1; ; i++)
        {
            string n = i == 1 ? name : $"{stem}-{i}{ext}";
            if (taken.Add(n))
            {
                return n;
            }
        }
    }

    private static VmRequestException Refuse(string id, KvmErrorKind kind, string target, string message) => new(id, kind, target, message);
}
