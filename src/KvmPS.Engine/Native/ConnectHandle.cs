using Microsoft.Win32.SafeHandles;

namespace KvmPS.Engine.Native;

/// <summary>Owns a virConnectPtr; released with virConnectClose.</summary>
internal sealed class ConnectHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ConnectHandle() : base(true) { }
    internal ConnectHandle(IntPtr ptr) : base(true) => SetHandle(ptr);
    protected override bool ReleaseHandle() => Libvirt.virConnectClose(handle) >= 0;
}
