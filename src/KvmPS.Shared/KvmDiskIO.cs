namespace KvmPS;

/// <summary>Asynchronous I/O mode of a disk (libvirt's driver io attribute).</summary>
public enum KvmDiskIO
{
    /// <summary>io=native: Linux AIO; needs cache none or directsync.</summary>
    Native,
    /// <summary>io=threads: a thread pool.</summary>
    Threads,
    /// <summary>io=io_uring.</summary>
    IoUring,
}
