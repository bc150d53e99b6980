using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

// The guest's screen and serial console, both through a stream: virDomainScreenshot fills a
// stream with one image and returns its MIME type; virDomainOpenConsole joins a stream to a
// character device (serial or console) of a running domain.
internal static unsafe partial class Libvirt
{
    /// <summary>Take the console from another client that holds it (VIR_DOMAIN_CONSOLE_FORCE).</summary>
    internal const uint VIR_DOMAIN_CONSOLE_FORCE = 1;

    /// <summary>Refuse when the device cannot be used safely (VIR_DOMAIN_CONSOLE_SAFE).</summary>
    internal const uint VIR_DOMAIN_CONSOLE_SAFE = 2;

    [LibraryImport(LibvirtLibrary.Name)]
    internal static partial IntPtr virDomainScreenshot(DomainHandle domain, StreamHandle stream, uint screen, uint flags);

    [LibraryImport(LibvirtLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virDomainOpenConsole(DomainHandle dom, string? devName, StreamHandle st, uint flags);
}
