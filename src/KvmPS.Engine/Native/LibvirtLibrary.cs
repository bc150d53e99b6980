using System.Reflection;
using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

/// <summary>
/// Finds libvirt's C library and prepares it once per process: the logical name "libvirt" used by
/// every import maps to the first soname that loads, and libvirt's default error printing (to
/// stderr) is replaced by a no-op so that errors reach users only through LibvirtException.
/// </summary>
internal static class LibvirtLibrary
{
    internal const string Name = "libvirt";

    private static readonly string[] s_candidates = { "libvirt.so.0", "libvirt.so", "libvirt" };
    private static readonly object s_sync = new();
    private static IntPtr s_handle;
    private static bool s_initialized;

    static LibvirtLibrary()
    {
        NativeLibrary.SetDllImportResolver(typeof(LibvirtLibrary).Assembly, Resolve);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Name)
        {
            return IntPtr.Zero;
        }
        return Load();
    }

    /// <summary>Loads the library (once) and returns its handle; throws when libvirt is not installed.</summary>
    internal static IntPtr Load()
    {
        if (s_handle != IntPtr.Zero)
        {
            return s_handle;
        }
        lock (s_sync)
        {
            if (s_handle != IntPtr.Zero)
            {
                return s_handle;
            }
            foreach (string candidate in s_candidates)
            {
                if (NativeLibrary.TryLoad(candidate, out IntPtr h))
                {
                    s_handle = h;
                    return h;
                }
            }
        }
        throw new DllNotFoundException(
            "libvirt's C library (libvirt.so.0) was not found. Install it, e.g. 'apt-get install libvirt0'.");
    }

    /// <summary>True when the library exports <paramref name="symbol"/> (newer entry points).</summary>
    internal static bool HasExport(string symbol) => NativeLibrary.TryGetExport(Load(), symbol, out _);

    /// <summary>Initialises libvirt and silences its error printing. Safe to call many times.</summary>
    internal static unsafe void EnsureInitialized()
    {
        if (s_initialized)
        {
            return;
        }
        lock (s_sync)
        {
            if (s_initialized)
            {
                return;
            }
            Load();
            LibvirtException.Check(Libvirt.virInitialize(), "virInitialize");
            // The handler is process-global in libvirt; a no-op keeps libvirt from writing errors
            // to the console. Errors are still recorded per thread for virGetLastError.
            Libvirt.virSetErrorFunc(IntPtr.Zero, &IgnoreError);
            s_initialized = true;
        }
    }

    [UnmanagedCallersOnly]
    private static void IgnoreError(IntPtr userData, IntPtr error)
    {
    }
}
