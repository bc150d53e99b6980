using System.Text;

namespace KvmPS.Engine.HostChecks;

/// <summary>
/// The test guest of the KvmGuestRuns check: a 512-byte boot sector that the BIOS loads at
/// 0x7c00. It goes the way an ordinary kernel goes (real mode, 32-bit protected mode, 64-bit
/// long mode with paging), writes one letter per stage to the serial port, spins through
/// <see cref="Loops"/> iterations, writes <see cref="Marker"/> and ends QEMU through an
/// isa-debug-exit device. The loop tells real execution from KVM emulating every instruction in
/// software (what kvm_pvm does for guests that are not PVM guests): on VT-x/AMD-V it takes a few
/// milliseconds, in KVM's instruction emulator minutes.
/// </summary>
public static class GuestProbeImage
{
    /// <summary>What the guest writes once the loop is done.</summary>
    public const string Marker = "KVMPS-GUEST-OK";

    /// <summary>The value written to the isa-debug-exit port; QEMU exits with (value &lt;&lt; 1) | 1.</summary>
    public const byte ExitValue = 0x2a;

    public const int ExpectedExitCode = (ExitValue << 1) | 1;

    /// <summary>The I/O port of the isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,iosize=0x04).</summary>
    public const int DebugExitPort = 0xf4;

    public const int Loops = 50_000_000;

    /// <summary>The letters written on entering each stage, and what each stage is.</summary>
    public static readonly IReadOnlyList<(char Letter, string Stage)> Stages = new[]
    {
        ('R', "real mode"), ('P', "32-bit protected mode"), ('L', "64-bit long mode"),
    };

    private const int GdtOffset = 0xb8;
    private const int GdtDescriptorOffset = 0xd8;
    private const int MarkerOffset = 0xde;
    private const int LoadAddress = 0x7c00;

    // Addresses in the code below are LoadAddress + offset, little-endian.
    private static readonly byte[] s_code =
    {
        // 16-bit real mode, as the BIOS leaves it
        0xfa,                               // 00 cli
        0x31, 0xc0,                         // 01 xor ax, ax
        0x8e, 0xd8,                         // 03 mov ds, ax
        0x8e, 0xd0,                         // 05 mov ss, ax
        0xbc, 0x00, 0x7c,                   // 07 mov sp, 0x7c00
        0xba, 0xf8, 0x03,                   // 0a mov dx, 0x3f8          (COM1)
        0xb0, (byte)'R',                    // 0d mov al, 'R'
        0xee,                               // 0f out dx, al
        0x66, 0x0f, 0x01, 0x16, 0xd8, 0x7c, // 10 lgdt [0x7cd8]          (the descriptor at GdtDescriptorOffset)
        0x0f, 0x20, 0xc0,                   // 16 mov eax, cr0
        0x0c, 0x01,                         // 19 or al, 1               (PE)
        0x0f, 0x22, 0xc0,                   // 1b mov cr0, eax
        0x66, 0xea, 0x26, 0x7c, 0x00, 0x00, 0x08, 0x00, // 1e jmp dword 0x08:0x7c26
        // 32-bit protected mode
        0x66, 0xb8, 0x10, 0x00,             // 26 mov ax, 0x10           (data segment)
        0x8e, 0xd8,                         // 2a mov ds, ax
        0x8e, 0xc0,                         // 2c mov es, ax
        0x8e, 0xd0,                         // 2e mov ss, ax
        0xb0, (byte)'P',                    // 30 mov al, 'P'
        0xee,                               // 32 out dx, al
        0xbf, 0x00, 0x10, 0x00, 0x00,       // 33 mov edi, 0x1000        (page tables at 0x1000-0x3fff)
        0x31, 0xc0,                         // 38 xor eax, eax
        0xb9, 0x00, 0x0c, 0x00, 0x00,       // 3a mov ecx, 0xc00
        0xf3, 0xab,                         // 3f rep stosd              (zero them)
        0xc7, 0x05, 0x00, 0x10, 0x00, 0x00, 0x03, 0x20, 0x00, 0x00, // 41 mov dword [0x1000], 0x2003  (PML4[0] -> PDPT)
        0xc7, 0x05, 0x00, 0x20, 0x00, 0x00, 0x03, 0x30, 0x00, 0x00, // 4b mov dword [0x2000], 0x3003  (PDPT[0] -> PD)
        0xc7, 0x05, 0x00, 0x30, 0x00, 0x00, 0x83, 0x00, 0x00, 0x00, // 55 mov dword [0x3000], 0x83    (PD[0]: 2 MiB page at 0)
        0xb8, 0x00, 0x10, 0x00, 0x00,       // 5f mov eax, 0x1000
        0x0f, 0x22, 0xd8,                   // 64 mov cr3, eax
        0x0f, 0x20, 0xe0,                   // 67 mov eax, cr4
        0x0c, 0x20,                         // 6a or al, 0x20            (PAE)
        0x0f, 0x22, 0xe0,                   // 6c mov cr4, eax
        0xb9, 0x80, 0x00, 0x00, 0xc0,       // 6f mov ecx, 0xc0000080    (EFER)
        0x0f, 0x32,                         // 74 rdmsr                  (also overwrites edx)
        0x80, 0xcc, 0x01,                   // 76 or ah, 1               (LME)
        0x0f, 0x30,                         // 79 wrmsr
        0x0f, 0x20, 0xc0,                   // 7b mov eax, cr0
        0x0d, 0x00, 0x00, 0x00, 0x80,       // 7e or eax, 0x80000000     (PG)
        0x0f, 0x22, 0xc0,                   // 83 mov cr0, eax
        0xea, 0x8d, 0x7c, 0x00, 0x00, 0x18, 0x00, // 86 jmp 0x18:0x7c8d  (64-bit code segment)
        // 64-bit long mode
        0x66, 0xba, 0xf8, 0x03,             // 8d mov dx, 0x3f8
        0xb0, (byte)'L',                    // 91 mov al, 'L'
        0xee,                               // 93 out dx, al
        0xb9, Loops & 0xff, (Loops >> 8) & 0xff, (Loops >> 16) & 0xff, Loops >> 24, // 94 mov ecx, Loops
        0xff, 0xc9,                         // 99 dec ecx
        0x75, 0xfc,                         // 9b jnz 0x99
        0xbe, 0xde, 0x7c, 0x00, 0x00,       // 9d mov esi, 0x7cde        (the marker at MarkerOffset)
        0xac,                               // a2 lodsb
        0x84, 0xc0,                         // a3 test al, al
        0x74, 0x03,                         // a5 jz 0xaa
        0xee,                               // a7 out dx, al
        0xeb, 0xf8,                         // a8 jmp 0xa2
        0xb0, ExitValue,                    // aa mov al, ExitValue
        0xe6, DebugExitPort,                // ac out 0xf4, al           (QEMU exits here)
        0xf4,                               // ae hlt
        0xeb, 0xfd,                         // af jmp 0xae
    };

    // Flat 4 GiB segments: null, 32-bit code (0x08), data (0x10), 64-bit code (0x18).
    private static readonly ulong[] s_gdt = { 0, 0x00cf9a000000ffff, 0x00cf92000000ffff, 0x00af9a000000ffff };

    /// <summary>The boot sector: code, GDT and its descriptor, the marker, and the 0x55AA signature.</summary>
    public static byte[] Build()
    {
        var image = new byte[512];
        s_code.CopyTo(image, 0);
        for (int i = 0; i < s_gdt.Length; i++)
        {
            BitConverter.TryWriteBytes(image.AsSpan(GdtOffset + 8 * i, 8), s_gdt[i]);
        }
        BitConverter.TryWriteBytes(image.AsSpan(GdtDescriptorOffset, 2), (ushort)(8 * s_gdt.Length - 1));
        BitConverter.TryWriteBytes(image.AsSpan(GdtDescriptorOffset + 2, 4), LoadAddress + GdtOffset);
        Encoding.ASCII.GetBytes(Marker + "\r\n").CopyTo(image, MarkerOffset);
        image[510] = 0x55;
        image[511] = 0xaa;
        return image;
    }

    /// <summary>The stages the guest's serial output shows it reached, in order.</summary>
    public static IReadOnlyList<string> StagesReached(string serial) =>
        Stages.TakeWhile(s => serial.Contains(s.Letter)).Select(s => s.Stage).ToList();

    /// <summary>Whether the serial output has the marker, written after the loop.</summary>
    public static bool Finished(string serial) => serial.Contains(Marker, StringComparison.Ordinal);
}
