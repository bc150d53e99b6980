namespace KvmPS;

/// <summary>One CPU feature of a guest CPU and its policy.</summary>
public sealed class KvmCpuFeature
{
    /// <summary>Feature name as libvirt knows it (x2apic, vmx, svm, ...).</summary>
    public string Name { get; internal init; } = "";

    /// <summary>require, disable, force, optional or forbid.</summary>
    public string Policy { get; internal init; } = "require";

    /// <inheritdoc />
    public override string ToString() => (Policy switch { "require" => "+", "disable" => "-", _ => Policy + ":" }) + Name;
}
