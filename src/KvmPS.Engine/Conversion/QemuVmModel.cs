namespace KvmPS.Engine.Conversion;

/// <summary>What a QEMU command line says about a VM, as the parser reads it.</summary>
public sealed class QemuVmModel
{
    public string? Name { get; set; }
    public Guid? Uuid { get; set; }
    public string? Emulator { get; set; }
    public bool Kvm { get; set; }
    public string? Machine { get; set; }
    public string? CpuModel { get; set; }
    public List<(string Name, string Policy)> CpuFeatures { get; } = new();
    public int VCpus { get; set; } = 1;
    public int? MaxVCpus { get; set; }
    public int? Sockets { get; set; }
    public int? Dies { get; set; }
    public int? Cores { get; set; }
    public int? Threads { get; set; }
    public ulong MemoryBytes { get; set; } = 128UL << 20;
    public List<QemuNumaCell> NumaCells { get; } = new();
    public List<QemuDisk> Disks { get; } = new();
    public List<QemuNic> Nics { get; } = new();
    public List<string> PciHostDevices { get; } = new();
    public string? Kernel { get; set; }
    public string? Initrd { get; set; }
    public string? Append { get; set; }
    public bool Graphics { get; set; } = true;
    public string? VncListen { get; set; }
    public int? VncPort { get; set; }
    /// <summary>Serial port: pty (console), file:path, or null for none.</summary>
    public string? Serial { get; set; }
    public bool SerialGiven { get; set; }
    public string? BootOrder { get; set; }
    public bool UsbTablet { get; set; }
    public List<string> Unknown { get; } = new();
    public List<string> Mapped { get; } = new();
}
