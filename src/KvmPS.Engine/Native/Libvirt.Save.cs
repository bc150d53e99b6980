using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// Saving a running domain to a file and restoring it (libvirt-domain.h): the memory file of an
// external snapshot is such a save image, so KvmPS restores it where libvirt cannot revert.
internal static partial class Libvirt
{
    internal const uint VIR_DOMAIN_SAVE_BYPASS_CACHE = 1 << 0;
    internal const uint VIR_DOMAIN_SAVE_RUNNING = 1 << 1;
    internal const uint VIR_DOMAIN_SAVE_PAUSED = 1 << 2;
    internal const uint VIR_DOMAIN_SAVE_IMAGE_XML_SECURE = 1 << 0;

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainSaveFlags(DomainHandle dom, string to, string? dxml, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainRestoreFlags(ConnectHandle conn, string from, string? dxml, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr virDomainSaveImageGetXMLDesc(ConnectHandle conn, string file, uint flags);
}
