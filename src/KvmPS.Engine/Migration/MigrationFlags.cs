namespace KvmPS.Engine.Migration;

/// <summary>virDomainMigrateFlags (libvirt-domain.h).</summary>
[Flags]
public enum MigrationFlags : uint
{
    None = 0,
    Live = 1 << 0,
    PeerToPeer = 1 << 1,
    PersistDest = 1 << 3,
    UndefineSource = 1 << 4,
    NonSharedDisk = 1 << 6,
    NonSharedIncremental = 1 << 7,
    Offline = 1 << 10,
    AbortOnError = 1 << 12,
    AutoConverge = 1 << 13,
    PostCopy = 1 << 15,
}
