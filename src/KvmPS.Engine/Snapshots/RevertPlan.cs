namespace KvmPS.Engine.Snapshots;

/// <summary>
/// How a snapshot is restored: by libvirt (internal snapshots; external ones from libvirt 9.9 on),
/// or by KvmPS for an external snapshot on an older libvirt (the overlays are made new on the images
/// the snapshot froze; with memory, the guest resumes from the snapshot's memory file as
/// <see cref="Memory"/> plans it). <see cref="Description"/> says what happens, for ShouldProcess.
/// </summary>
public sealed record RevertPlan(string VMName, string Name, string Xml, KvmSnapshot Snapshot, bool ByKvmPS, bool StopsVM, string Description,
    MemoryRevertPlan? Memory = null);
