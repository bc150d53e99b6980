using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

/// <summary>
/// libxml2, which libvirt parses its XML with, prints some diagnostics itself: a parser warning
/// such as "I/O warning : failed to load external entity" (a test-driver host file that does not
/// exist) goes through libxml2's default SAX warning handler to its generic error function, which
/// writes to stderr; libvirt's own error handler never sees it. The real failure still reaches
/// the caller as libvirt's error, so the printing is only noise: this points the generic error
/// function at a no-op. Looked up in the libxml2 that libvirt already loaded; when it cannot be
/// found nothing is changed.
/// </summary>
internal static unsafe class LibXml2
{
    private static readonly string[] s_candidates = { "libxml2.so.2", "libxml2.so" };

    [ThreadStatic]
    private static bool t_silenced;

    private static delegate* unmanaged<IntPtr, delegate* unmanaged<IntPtr, IntPtr, void>, void> s_setForThread;

    /// <summary>
    /// Silences libxml2's generic error printing: the default for threads that have not used
    /// libxml2 yet (xmlThrDefSetGenericErrorFunc) and the calling thread (xmlSetGenericErrorFunc:
    /// libxml2 keeps the function per thread). Called once per process.
    /// </summary>
    internal static void SilenceProcess()
    {
        IntPtr lib = IntPtr.Zero;
        foreach (string candidate in s_candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out lib))
            {
                break;
            }
        }
        if (lib == IntPtr.Zero)
        {
            return;
        }
        if (NativeLibrary.TryGetExport(lib, "xmlThrDefSetGenericErrorFunc", out IntPtr thrDef))
        {
            ((delegate* unmanaged<IntPtr, delegate* unmanaged<IntPtr, IntPtr, void>, void>)thrDef)(IntPtr.Zero, &Ignore);
        }
        if (NativeLibrary.TryGetExport(lib, "xmlSetGenericErrorFunc", out IntPtr set))
        {
            s_setForThread = (delegate* unmanaged<IntPtr, delegate* unmanaged<IntPtr, IntPtr, void>, void>)set;
        }
        SilenceThread();
    }

    /// <summary>
    /// Silences the calling thread too, in case libxml2 set up its state for this thread before
    /// the process-wide default changed. Cheap after the first call on a thread.
    /// </summary>
    internal static void SilenceThread()
    {
        if (t_silenced || s_setForThread == null)
        {
            return;
        }
        s_setForThread(IntPtr.Zero, &Ignore);
        t_silenced = true;
    }

    // libxml2's xmlGenericErrorFunc is variadic (ctx, format, ...); the no-op reads none of it.
    [UnmanagedCallersOnly]
    private static void Ignore(IntPtr context, IntPtr format)
    {
    }
}
