using Microsoft.Win32.SafeHandles;

namespace KvmPS.Engine.Native;

/// <summary>Owns a virNodeDevicePtr; released with virNodeDeviceFree.</summary>
internal sealed class NodeDeviceHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public NodeDeviceHandle() : base(true) { }
    internal NodeDeviceHandle(IntPtr ptr) : base(true) => SetHandle(ptr);
    protected override bool ReleaseHandle() => Libvirt.virNodeDeviceFree(handle) == 0;
}
