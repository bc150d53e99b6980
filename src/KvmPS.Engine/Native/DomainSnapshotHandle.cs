using Microsoft.Win32.SafeHandles;

namespace KvmPS.Engine.Native;

/// <summary>Owns a virDomainSnapshotPtr; released with virDomainSnapshotFree.</summary>
internal sealed class DomainSnapshotHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DomainSnapshotHandle() : base(true) { }
    internal DomainSnapshotHandle(IntPtr ptr) : base(true) => SetHandle(ptr);
    protected override bool ReleaseHandle() => Libvirt.virDomainSnapshotFree(handle) == 0;
}
