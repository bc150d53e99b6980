using System.Text.Json;
using System.Text.Json.Serialization;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The manifest of a whole-VM export (Export-KvmVM -IncludeStorage): which VM from which host,
/// its definition file, and every disk image and the UEFI variable store with length, format,
/// target and SHA-256. Written last, whole, to a temporary file that is then renamed: a directory
/// whose export was cut off has no manifest, and Import-KvmVM refuses it.
/// </summary>
public sealed class VmExportManifest
{
    public const string FileName = "manifest.json";
    public const string KindName = "KvmPS.VMExport";
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>What the directory holds; a backup manifest (Backup-KvmVM) has none.</summary>
    public string? Kind { get; set; } = KindName;

    public int FormatVersion { get; set; } = CurrentFormatVersion;

    public string VmName { get; set; } = "";

    public Guid VmUuid { get; set; }

    /// <summary>The libvirt URI of the host the VM was exported from.</summary>
    public string SourceUri { get; set; } = "";

    /// <summary>The VM's state when it was exported (ShutOff, Paused, or Running when it was paused for the export).</summary>
    public string VmState { get; set; } = "";

    public DateTime CreatedUtc { get; set; }

    /// <summary>The domain XML file.</summary>
    public string Definition { get; set; } = "";

    /// <summary>SHA-256 of the definition file.</summary>
    public string DefinitionSha256 { get; set; } = "";

    /// <summary>Whether the definition holds secrets (graphics passwords).</summary>
    public bool IncludesSecrets { get; set; }

    public List<VmExportFile> Disks { get; set; } = new();

    /// <summary>The UEFI variable store, when the VM has one and it could be read.</summary>
    public VmExportFile? Nvram { get; set; }

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads a manifest; InvalidDataException when it is not a VM export this version understands.</summary>
    public static VmExportManifest FromJson(string json)
    {
        VmExportManifest? m;
        bool hasKind;
        try
        {
            hasKind = System.Text.Json.Nodes.JsonNode.Parse(json) is System.Text.Json.Nodes.JsonObject o && o.ContainsKey("kind");
            m = JsonSerializer.Deserialize<VmExportManifest>(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The export manifest is not valid JSON: {e.Message}", e);
        }
        if (m is null || !hasKind || m.Kind is null)
        {
            throw new InvalidDataException("The manifest is not one of a VM export (a backup's manifest? Restore-KvmBackup reads those).");
        }
        if (m.Kind != KindName || m.FormatVersion < 1 || string.IsNullOrEmpty(m.VmName) || string.IsNullOrEmpty(m.Definition))
        {
            throw new InvalidDataException($"The manifest is not one of a KvmPS VM export (kind '{m.Kind}').");
        }
        if (m.FormatVersion > CurrentFormatVersion)
        {
            throw new InvalidDataException($"The export manifest has format version {m.FormatVersion}; this KvmPS reads up to {CurrentFormatVersion}.");
        }
        return m;
    }

    /// <summary>Every file the manifest lists: the definition, the disks, the variable store.</summary>
    public IEnumerable<(string File, string Sha256, ulong? Length)> Files()
    {
        yield return (Definition, DefinitionSha256, null);
        foreach (VmExportFile d in Disks)
        {
            yield return (d.File, d.Sha256, d.FileSizeBytes);
        }
        if (Nvram is not null)
        {
            yield return (Nvram.File, Nvram.Sha256, Nvram.FileSizeBytes);
        }
    }

    public void Save(string directory) => FileReplace.WriteAllText(Path.Combine(directory, FileName), ToJson());
}
