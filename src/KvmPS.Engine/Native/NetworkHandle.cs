using Microsoft.Win32.SafeHandles;

namespace KvmPS.Engine.Native;

/// <summary>Owns a virNetworkPtr; released with virNetworkFree.</summary>
public sealed class NetworkHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public NetworkHandle() : base(true) { }
    internal NetworkHandle(IntPtr ptr) : base(true) => SetHandle(ptr);
    protected override bool ReleaseHandle() => Libvirt.virNetworkFree(handle) == 0;
}
