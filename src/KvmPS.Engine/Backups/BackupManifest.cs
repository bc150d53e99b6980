using System.Text.Json;
using System.Text.Json.Serialization;

namespace KvmPS.Engine.Backups;

/// <summary>
/// The manifest of a backup directory (manifest.json): which VM, and the chain of backups in it —
/// one full backup and the incremental ones on top, each with its checkpoint, files, sizes and
/// SHA-256 checksums. Written whole to a temporary file and renamed, so a reader never sees half.
/// </summary>
public sealed class BackupManifest
{
    public const string FileName = "manifest.json";
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public int FormatVersion { get; set; } = CurrentFormatVersion;

    public string VmName { get; set; } = "";

    public Guid VmUuid { get; set; }

    public List<BackupManifestEntry> Chain { get; set; } = new();

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads a manifest; InvalidDataException when it is not one this version understands.</summary>
    public static BackupManifest FromJson(string json)
    {
        BackupManifest? m;
        try
        {
            m = JsonSerializer.Deserialize<BackupManifest>(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The backup manifest is not valid JSON: {e.Message}", e);
        }
        if (m is null || m.FormatVersion < 1)
        {
            throw new InvalidDataException("The file is not a KvmPS backup manifest.");
        }
        if (m.FormatVersion > CurrentFormatVersion)
        {
            throw new InvalidDataException($"The backup manifest has format version {m.FormatVersion}; this KvmPS reads up to {CurrentFormatVersion}.");
        }
        return m;
    }

    /// <summary>The manifest of a directory, or null when it has none.</summary>
    public static BackupManifest? TryLoad(string directory)
    {
        string path = Path.Combine(directory, FileName);
        return File.Exists(path) ? FromJson(File.ReadAllText(path)) : null;
    }

    public void Save(string directory) => FileReplace.WriteAllText(Path.Combine(directory, FileName), ToJson());
}
