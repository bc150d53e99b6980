using System.Reflection;
using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

/// <summary>
/// Finds libvirt's C library and prepares it once per process: the logical name "libvirt" used by
/// every import maps to the library named by <c>KVMPS_LIBVIRT_PATH</c> when that is set, else to
/// the first soname that loads, and libvirt's default error printing (to stderr) is replaced by a
/// no-op so that errors reach users only through LibvirtException, and libvirt's default event
/// loop is started (<see cref="LibvirtEventLoop"/>: keepalive needs it). The module registers the
/// resolver when it is imported (<see cref="RegisterResolver"/>); the static constructor covers
/// hosts that use the engine without the module (the tests).
/// </summary>
internal static class LibvirtLibrary
{
    internal const string Name = "libvirt";

    /// <summary>Environment variable naming the libvirt library to load (a path or a soname).</summary>
    internal const string OverrideVariable = "KVMPS_LIBVIRT_PATH";

    private static readonly string[] s_candidates = { "libvirt.so.0", "libvirt.so", "libvirt" };
    private static readonly object s_sync = new();
    private static IntPtr s_handle;
    private static bool s_initialized;
    private static bool s_registered;

    static LibvirtLibrary()
    {
        RegisterResolver();
    }

    /// <summary>Maps the logical name to libvirt's soname for this assembly; safe to call many times.</summary>
    internal static void RegisterResolver()
    {
        lock (s_sync)
        {
            if (s_registered)
            {
                return;
            }
            NativeLibrary.SetDllImportResolver(typeof(LibvirtLibrary).Assembly, Resolve);
            s_registered = true;
        }
    }

    private static IEnumerable<string> Candidates()
    {
        string? chosen = Environment.GetEnvironmentVariable(OverrideVariable);
        return string.IsNullOrWhiteSpace(chosen) ? s_candidates : new[] { chosen.Trim() };
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
            foreach (string candidate in Candidates())
            {
                if (NativeLibrary.TryLoad(candidate, out IntPtr h))
                {
                    s_handle = h;
                    return h;
                }
            }
        }
        string? chosen = Environment.GetEnvironmentVariable(OverrideVariable);
        throw new DllNotFoundException(string.IsNullOrWhiteSpace(chosen)
            ? "libvirt's C library (libvirt.so.0) was not found. Install it, e.g. 'apt-get install libvirt0'."
            : $"The libvirt library named by {OverrideVariable} ('{chosen.Trim()}') could not be loaded.");
    }

    /// <summary>True when the library exports <paramref name="symbol"/> (newer entry points).</summary>
    internal static bool HasExport(string symbol) => NativeLibrary.TryGetExport(Load(), symbol, out _);

    /// <summary>Initialises libvirt and silences its (and libxml2's) error printing. Safe to call many times.</summary>
    internal static unsafe void EnsureInitialized()
    {
        if (s_initialized)
        {
            LibXml2.SilenceThread();
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
            // Before the first connection: keepalive works only with an event loop running.
            LibvirtEventLoop.EnsureStarted();
            // libxml2 prints some parser warnings itself, past libvirt's handler.
            LibXml2.SilenceProcess();
            s_initialized = true;
        }
    }

    [UnmanagedCallersOnly]
    private static void IgnoreError(IntPtr userData, IntPtr error)
    {
    }
}
