using Microsoft.Win32.SafeHandles;

namespace KvmPS.Engine.Native;

/// <summary>Owns a virInterfacePtr (a host network interface); released with virInterfaceFree.</summary>
internal sealed class InterfaceHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public InterfaceHandle() : base(true) { }
    internal InterfaceHandle(IntPtr ptr) : base(true) => SetHandle(ptr);
    protected override bool ReleaseHandle() => Libvirt.virInterfaceFree(handle) == 0;
}
