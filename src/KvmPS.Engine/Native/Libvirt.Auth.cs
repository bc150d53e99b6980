using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

internal static unsafe partial class Libvirt
{
    /// <summary>Layout of virConnectCredential (libvirt-host.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct VirConnectCredential
    {
        public int Type;
        public IntPtr Prompt;
        public IntPtr Challenge;
        public IntPtr DefResult;
        /// <summary>Allocated by the callback with malloc; libvirt frees it.</summary>
        public IntPtr Result;
        public uint ResultLen;
    }

    /// <summary>Layout of virConnectAuth (libvirt-host.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct VirConnectAuth
    {
        public int* CredType;
        public uint NCredType;
        public delegate* unmanaged<VirConnectCredential*, uint, IntPtr, int> Callback;
        public IntPtr CallbackData;
    }

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virConnectOpenAuth(string? name, VirConnectAuth* auth, uint flags);
}
