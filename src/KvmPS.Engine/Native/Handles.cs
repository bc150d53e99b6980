using Microsoft.Win32.SafeHandles;

namespace KvmPS.Engine.Native;

// One SafeHandle per libvirt object type. Each owns exactly one reference and releases it once
// with the matching free function. libvirt's objects are reference counted and thread-safe, so a
// handle may be used from any thread; a second owner takes its own reference (virXxxRef) rather
// than sharing this one.

/// <summary>Owns a virConnectPtr; released with virConnectClose.</summary>
public sealed class ConnectHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ConnectHandle() : base(true) { }
    internal ConnectHandle(IntPtr ptr) : base(true) => SetHandle(ptr);
    protected override bool ReleaseHandle() => Libvirt.virConnectClose(handle) >= 0;
}

/// <summary>Owns a virDomainPtr; released with virDomainFree.</summary>
public sealed class DomainHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DomainHandle() : base(true) { }
    internal DomainHandle(IntPtr ptr) : base(true) => SetHandle(ptr);
    protected override bool ReleaseHandle() => Libvirt.virDomainFree(handle) == 0;
}

/// <summary>Owns a virNetworkPtr; released with virNetworkFree.</summary>
public sealed class NetworkHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public NetworkHandle() : base(true) { }
    internal NetworkHandle(IntPtr ptr) : base(true) => SetHandle(ptr);
    protected override bool ReleaseHandle() => Libvirt.virNetworkFree(handle) == 0;
}

/// <summary>Owns a virStoragePoolPtr; released with virStoragePoolFree.</summary>
public sealed class StoragePoolHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public StoragePoolHandle() : base(true) { }
    internal StoragePoolHandle(IntPtr ptr) : base(true) => SetHandle(ptr);
    protected override bool ReleaseHandle() => Libvirt.virStoragePoolFree(handle) == 0;
}

/// <summary>Owns a virStorageVolPtr; released with virStorageVolFree.</summary>
public sealed class StorageVolHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public StorageVolHandle() : base(true) { }
    internal StorageVolHandle(IntPtr ptr) : base(true) => SetHandle(ptr);
    protected override bool ReleaseHandle() => Libvirt.virStorageVolFree(handle) == 0;
}

/// <summary>Owns a virNodeDevicePtr; released with virNodeDeviceFree.</summary>
public sealed class NodeDeviceHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public NodeDeviceHandle() : base(true) { }
    internal NodeDeviceHandle(IntPtr ptr) : base(true) => SetHandle(ptr);
    protected override bool ReleaseHandle() => Libvirt.virNodeDeviceFree(handle) == 0;
}

/// <summary>Owns a virStreamPtr; released with virStreamFree.</summary>
public sealed class StreamHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public StreamHandle() : base(true) { }
    internal StreamHandle(IntPtr ptr) : base(true) => SetHandle(ptr);
    protected override bool ReleaseHandle() => Libvirt.virStreamFree(handle) == 0;
}
