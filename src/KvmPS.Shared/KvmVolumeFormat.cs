namespace KvmPS;

/// <summary>The image format of a new volume.</summary>
public enum KvmVolumeFormat
{
    /// <summary>QEMU copy-on-write v2: thin, supports backing files (overlays) and snapshots.</summary>
    Qcow2,
    /// <summary>Plain bytes: the guest sees the file or device as it is.</summary>
    Raw,
}
