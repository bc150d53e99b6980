using Microsoft.Win32.SafeHandles;

namespace KvmPS.Engine.Native;

/// <summary>Owns a virDomainPtr; released with virDomainFree.</summary>
public sealed class DomainHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DomainHandle() : base(true) { }
    internal DomainHandle(IntPtr ptr) : base(true) => SetHandle(ptr);
    protected override bool ReleaseHandle() => Libvirt.virDomainFree(handle) == 0;
}
