using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

/// <summary>
/// The two libc calls the host probes need and .NET does not offer: the file type, owner and
/// device number of a node (statx, whose layout is the same on every architecture, unlike stat),
/// and the kernel's own access decision (access, which also honours ACLs and capabilities).
/// </summary>
internal static unsafe partial class LibC
{
    private const string Name = "libc";
    internal const int AtFdCwd = -100;
    internal const uint StatxBasicStats = 0x7ff;
    internal const int ReadOk = 4;
    internal const int WriteOk = 2;

    /// <summary>struct statx (linux/stat.h): 256 bytes, fields at fixed offsets on all architectures.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct Statx
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(128)] public uint RdevMajor;
        [FieldOffset(132)] public uint RdevMinor;
    }

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int statx(int dirfd, string path, int flags, uint mask, out Statx buffer);

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int access(string path, int mode);
}
