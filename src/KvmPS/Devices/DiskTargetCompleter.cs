namespace KvmPS.Commands;

/// <summary>Completes the targets (vda, sdb, ...) of the VM's disks and CD-ROMs.</summary>
public sealed class DiskTargetCompleter : VMDeviceCompleter
{
    private protected override IEnumerable<string> Devices(KvmVM vm) =>
        vm.Disks.Select(d => d.Target).Where(t => t.Length > 0);
}
