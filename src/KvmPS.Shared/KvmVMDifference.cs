namespace KvmPS;

/// <summary>One property that differs between two views of a VM (Compare-KvmVM).</summary>
public sealed class KvmVMDifference
{
    /// <summary>The VM compared.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>The property (Memory, VCpuCount, Cpu.Sockets, Disk[vda].Path, NetworkAdapter[52:54:00:..].Source, ...).</summary>
    public string Property { get; internal init; } = "";

    /// <summary>The value on the reference side (the running VM, the VM itself), as text; empty when absent.</summary>
    public string ReferenceValue { get; internal init; } = "";

    /// <summary>The value on the other side (the persistent definition, the other VM, the desired state), as text; empty when absent.</summary>
    public string DifferenceValue { get; internal init; } = "";

    /// <summary>What was compared: LiveToPersistent, VMToVM or VMToDesired.</summary>
    public string Comparison { get; internal init; } = "";

    /// <summary>The other side's name (the persistent definition, the other VM, the desired state).</summary>
    public string DifferenceName { get; internal init; } = "";

    public override string ToString() => $"{Property}: {ReferenceValue} <> {DifferenceValue}";
}
