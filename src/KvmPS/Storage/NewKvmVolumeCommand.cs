using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>
/// Creates a volume in a storage pool: a thin qcow2 or raw image, or a qcow2 overlay on a backing
/// image. Re-running the same request on an identical volume changes nothing.
/// </summary>
[Cmdlet(VerbsCommon.New, "KvmVolume", SupportsShouldProcess = true, DefaultParameterSetName = Plain)]
[OutputType(typeof(KvmVolume))]
public sealed class NewKvmVolumeCommand : StorageVolumeCmdlet
{
    private const string Plain = "Plain";
    private const string Overlay = "Overlay";

    /// <summary>Virtual size in bytes (20GB works). For an overlay, the backing image's size by default.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = Plain)]
    [Parameter(Position = 2, ValueFromPipelineByPropertyName = true, ParameterSetName = Overlay)]
    [ValidateSize]
    public ulong Size { get; set; }

    /// <summary>Image format: Qcow2 (the default in Dir, Fs and NetFs pools) or Raw.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public KvmVolumeFormat Format { get; set; }

    /// <summary>Host path of the image the new qcow2 volume is an overlay on (copy-on-write: the backing image is only read).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = Overlay)]
    [ValidateNotNullOrEmpty]
    public string BackingPath { get; set; } = "";

    /// <summary>Format of the backing image (qcow2, raw, ...); found out from libvirt or the file when left out.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = Overlay)]
    [ValidateSet("raw", "qcow2", "qcow", "qed", "vmdk", "vpc", "vhdx", "vdi", "luks")]
    public string? BackingFormat { get; set; }

    /// <summary>Accepted for compatibility and not needed: New-KvmVolume always returns the volume.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string FailureErrorId => "NewVolumeFailed";

    protected override void ProcessRecordCore()
    {
        string target = VolumeTarget;
        CurrentTarget = target;
        if (VolumePlanner.NameProblem(Name) is string badName)
        {
            WriteInvalid(new ArgumentException(badName), "InvalidName", target);
            return;
        }
        using StoragePool? pool = FindTargetPool();
        CurrentTarget = target;
        if (pool is null)
        {
            return;
        }
        bool sizeGiven = IsBound(nameof(Size));
        VolumeDefinition planned;
        try
        {
            string? backingPath = ParameterSetName == Overlay ? BackingPath : null;
            ImageInfo? backing = backingPath is null ? null
                : VolumePlanner.ResolveBacking(pool.Connection, backingPath, BackingFormat, sizeGiven ? Size : null);
            planned = VolumePlanner.Plan(new VolumeRequest
            {
                Name = Name,
                SizeBytes = sizeGiven ? Size : null,
                Format = IsBound(nameof(Format)) ? Format : null,
                BackingPath = backingPath,
                BackingFormat = BackingFormat,
            }, pool.GetDefinition(inactive: false).Type, backing);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            WriteInvalid(e, "InvalidVolumeRequest", target);
            return;
        }

        using (StorageVolume? existing = pool.TryLookupVolume(planned.Name))
        {
            if (existing is not null)
            {
                Converge(existing, planned, target);
                return;
            }
        }
        string xml = StorageVolumeXml.Build(planned);
        WriteDebug($"Volume XML:{Environment.NewLine}{xml}");
        string what = $"Create {planned.Format ?? "raw"} volume of {FormatSize(planned.CapacityBytes)}"
            + (planned.BackingPath is null ? "" : $" on backing image {planned.BackingPath} ({planned.BackingFormat})");
        if (!ShouldProcess(target, what))
        {
            return;
        }
        var progress = new ProgressRecord(1, $"Creating volume {target}", what);
        WriteProgress(progress);
        using StorageVolume vol = pool.CreateVolume(xml);
        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
        WriteVerbose($"Created volume '{target}' ({FormatSize(planned.CapacityBytes)}, {planned.Format ?? "raw"}).");
        WriteObject(vol.Describe());
    }

    private void Converge(StorageVolume existing, VolumeDefinition planned, string target)
    {
        IReadOnlyList<string> diffs = VolumePlanner.Differences(existing.GetDefinition(), planned);
        if (diffs.Count > 0)
        {
            WriteError(ErrorHelper.Create(
                new InvalidOperationException($"A different volume '{target}' already exists: its {string.Join("; its ", diffs)}."),
                "StorageVolumeExists", ErrorCategory.ResourceExists, target));
            return;
        }
        WriteVerbose($"Volume '{target}' already exists with this format and size; not creating it again.");
        WriteObject(existing.Describe());
    }
}
