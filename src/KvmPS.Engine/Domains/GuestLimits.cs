namespace KvmPS.Engine.Domains;

/// <summary>
/// Values no guest can have, whatever the host: refused before anything is asked of libvirt, with
/// the limit in the message. (Whether a request fits the host at hand is a separate question.)
/// </summary>
public static class GuestLimits
{
    /// <summary>
    /// 4 PiB (2^52 bytes): x86-64 physical addresses have at most 52 bits, so QEMU cannot give a
    /// guest more memory than that (libvirt's own KiB counters go further, to 8 EiB).
    /// </summary>
    public const ulong MaxMemoryBytes = 1UL << 52;

    /// <summary>Null when <paramref name="bytes"/> of memory can exist in a guest, else why not.</summary>
    public static string? MemoryProblem(string vm, ulong bytes, string parameter = "-Memory") =>
        bytes <= MaxMemoryBytes ? null
            : $"{parameter} {Describe(bytes)} for VM '{vm}' is more than any guest can have: QEMU addresses at most {Describe(MaxMemoryBytes)} "
              + "(52-bit physical addresses on x86-64). Nothing was changed.";

    private static string Describe(ulong bytes) => bytes >= 1UL << 50 ? $"{bytes / (double)(1UL << 50):0.##} PiB"
        : bytes >= 1UL << 40 ? $"{bytes / (double)(1UL << 40):0.##} TiB" : $"{bytes / 1048576.0:0.##} MiB";
}
