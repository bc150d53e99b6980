using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

internal static unsafe partial class Libvirt
{
    /// <summary>Layout of libvirt's virError (virterror.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct VirError
    {
        public int Code;
        public int Domain;
        public IntPtr Message;
        public int Level;
        public IntPtr Conn;
        public IntPtr Dom;
        public IntPtr Str1;
        public IntPtr Str2;
        public IntPtr Str3;
        public int Int1;
        public int Int2;
        public IntPtr Net;
    }

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial int virInitialize();

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial void virSetErrorFunc(IntPtr userData, delegate* unmanaged<IntPtr, IntPtr, void> handler);

    /// <summary>The calling thread's last error (thread-local in libvirt; do not free).</summary>
    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial VirError* virGetLastError();

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial void virResetLastError();

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virGetVersion(out ulong libVer, string? type, out ulong typeVer);

    /// <summary>Copies a string libvirt allocated for the caller, then frees it.</summary>
    internal static string? TakeString(IntPtr ptr)
    {
        if (ptr == IntPtr.Zero)
        {
            return null;
        }
        try
        {
            return Marshal.PtrToStringUTF8(ptr);
        }
        finally
        {
            NativeMemory.Free((void*)ptr);
        }
    }

    /// <summary>Turns libvirt's version number (major * 1,000,000 + minor * 1,000 + release) into a Version.</summary>
    internal static Version ToVersion(ulong v) =>
        new((int)(v / 1_000_000), (int)(v / 1_000 % 1_000), (int)(v % 1_000));
}
