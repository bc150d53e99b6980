using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>
/// Defines a storage pool, builds it (creates its directory), and optionally starts it and sets it
/// to autostart. Re-running the same request on an identical pool changes nothing.
/// </summary>
[Cmdlet(VerbsCommon.New, "KvmStoragePool", SupportsShouldProcess = true)]
[OutputType(typeof(KvmStoragePool))]
public sealed class NewKvmStoragePoolCommand : StorageCmdlet
{
    /// <summary>Name of the new pool.</summary>
    /// <summary>
    /// Objects piped in: their properties (Name, ...) bind by name, and an object of another kind
    /// (a VM, a volume) is refused instead of giving the new storage pool its name.
    /// </summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    [KvmKind(typeof(KvmStoragePool))]
    public object? InputObject { get; set; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string Name { get; set; } = "";

    /// <summary>Pool type; Dir by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Dir", "Fs", "NetFs", "Logical", "Rbd", "Iscsi")]
    public KvmStoragePoolType Type { get; set; } = KvmStoragePoolType.Dir;

    /// <summary>Target path: the directory (Dir), the mount point (Fs, NetFs), or the device directory (Logical, Iscsi).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    public string? Path { get; set; }

    /// <summary>Source host: the NFS server (NetFs), the iSCSI portal (Iscsi), the Ceph monitors (Rbd); "name" or "name:port".</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string[]? SourceHost { get; set; }

    /// <summary>Source directory: the exported directory of a NetFs pool.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? SourcePath { get; set; }

    /// <summary>Source device: the block device of an Fs pool, the physical volumes of a Logical pool, the target IQN of an Iscsi pool.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? SourceDevice { get; set; }

    /// <summary>Source name: the volume group of a Logical pool or the Ceph pool of an Rbd pool; the pool's name by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? SourceName { get; set; }

    /// <summary>File system type of an Fs or NetFs pool (auto, ext4, xfs, nfs, cifs, ...); auto by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? SourceFormat { get; set; }

    /// <summary>Starts the pool with the libvirt daemon.</summary>
    [Parameter]
    public SwitchParameter Autostart { get; set; }

    /// <summary>Starts the pool now.</summary>
    [Parameter]
    public SwitchParameter Start { get; set; }

    /// <summary>Accepted for compatibility and not needed: New-KvmStoragePool always returns the pool.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string FailureErrorId => "NewStoragePoolFailed";

    protected override void ProcessRecordCore()
    {
        CurrentTarget = Name;
        if (ObjectName.Validate("storage pool", Name) is string badName)
        {
            WriteInvalid(new ArgumentException(badName), "InvalidName", Name);
            return;
        }
        StoragePoolDefinition planned;
        try
        {
            planned = StoragePoolXml.Plan(new StoragePoolDefinition
            {
                Name = Name,
                Type = Type,
                Path = Path is null ? null : ResolveHostPath(Path),
                SourceHosts = (SourceHost ?? Array.Empty<string>()).Select(StorageHost.Parse).ToArray(),
                SourcePath = SourcePath,
                SourceDevices = SourceDevice ?? Array.Empty<string>(),
                SourceName = SourceName,
                SourceFormat = SourceFormat,
            });
        }
        catch (ArgumentException e)
        {
            WriteInvalid(e, "InvalidStoragePoolRequest", Name);
            return;
        }

        LibvirtConnection conn = GetConnection();
        using (StoragePool? existing = StoragePool.TryLookup(conn, planned.Name))
        {
            if (existing is not null)
            {
                Converge(existing, planned);
                return;
            }
        }
        if (FindTargetConflict(conn, planned) is string other)
        {
            WriteError(ErrorHelper.Create(
                new InvalidOperationException($"Storage pool '{other}' already uses the target path {planned.Path}."),
                "StoragePoolPathInUse", ErrorCategory.ResourceExists, planned.Name));
            return;
        }

        string xml = StoragePoolXml.Build(planned);
        WriteDebug($"Storage pool XML:{Environment.NewLine}{xml}");
        string steps = string.Join(", ", new[] { "define", "build", Start ? "start" : null, Autostart ? "set autostart" : null }.Where(s => s is not null));
        if (!ShouldProcess(planned.Name, $"Create {planned.TypeName} storage pool{(planned.Path is null ? "" : $" at {planned.Path}")} ({steps})"))
        {
            return;
        }
        using StoragePool pool = StoragePoolProvisioner.Create(conn, planned, Start, Autostart, WriteVerbose, WriteWarning);
        WriteObject(pool.Describe());
    }

    // Relative paths mean the same as for other cmdlets: relative to the current location. Only on
    // this machine: a remote host's paths must be given in full.
    private string ResolveHostPath(string path) =>
        path.StartsWith('/') || !LibvirtConnection.IsLocalUri(EffectiveUri) ? path : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    private void Converge(StoragePool existing, StoragePoolDefinition planned)
    {
        IReadOnlyList<string> diffs = StoragePoolXml.Differences(existing.GetDefinition(), planned);
        if (diffs.Count > 0)
        {
            WriteError(ErrorHelper.Create(
                new InvalidOperationException($"A different storage pool named '{planned.Name}' already exists: its {string.Join("; its ", diffs)}."),
                "StoragePoolExists", ErrorCategory.ResourceExists, planned.Name));
            return;
        }
        WriteVerbose($"Storage pool '{planned.Name}' already exists with this definition; not defining it again.");
        if (Start && !existing.IsActive && ShouldProcess(planned.Name, "Start storage pool"))
        {
            existing.Start();
            WriteVerbose($"Started storage pool '{planned.Name}'.");
        }
        if (Autostart && !existing.Autostart && ShouldProcess(planned.Name, "Turn autostart on"))
        {
            existing.Autostart = true;
            WriteVerbose($"Turned autostart on for storage pool '{planned.Name}'.");
        }
        WriteObject(existing.Describe());
    }

    private static string? FindTargetConflict(LibvirtConnection conn, StoragePoolDefinition planned)
    {
        if (planned.Type is not (KvmStoragePoolType.Dir or KvmStoragePoolType.Fs or KvmStoragePoolType.NetFs))
        {
            return null;
        }
        List<StoragePool> pools = StoragePool.ListAll(conn);
        try
        {
            return pools.Select(p => p.GetDefinition())
                .Where(d => d.Type is KvmStoragePoolType.Dir or KvmStoragePoolType.Fs or KvmStoragePoolType.NetFs)
                .FirstOrDefault(d => d.Path is not null && StoragePoolXml.NormalizePath(d.Path) == planned.Path)?.Name;
        }
        finally
        {
            pools.ForEach(p => p.Dispose());
        }
    }
}
