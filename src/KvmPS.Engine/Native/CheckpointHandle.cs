using Microsoft.Win32.SafeHandles;

namespace KvmPS.Engine.Native;

/// <summary>Owns a virDomainCheckpointPtr; released with virDomainCheckpointFree.</summary>
internal sealed class CheckpointHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public CheckpointHandle() : base(true) { }
    internal CheckpointHandle(IntPtr ptr) : base(true) => SetHandle(ptr);
    protected override bool ReleaseHandle() => Libvirt.virDomainCheckpointFree(handle) == 0;
}
