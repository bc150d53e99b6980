namespace KvmPS.Engine.Conversion;

/// <summary>A disk or CD-ROM of -drive, -blockdev with -device, -cdrom or -hda.</summary>
public sealed class QemuDisk
{
    public string? Id { get; set; }
    public string? Path { get; set; }
    public string Device { get; set; } = "disk";
    public string Bus { get; set; } = "ide";
    public string? Format { get; set; }
    public string? Cache { get; set; }
    public string? IO { get; set; }
    public bool ReadOnly { get; set; }
    /// <summary>Whether a -device has attached the drive (if=none drives wait for one).</summary>
    public bool Attached { get; set; }
    public int? BootIndex { get; set; }
    public string? Serial { get; set; }
}
