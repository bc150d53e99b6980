using KvmPS.Engine.Native;

namespace KvmPS.Engine;

/// <summary>What a host of the engine (the module) calls once when it loads.</summary>
public static class EngineStartup
{
    /// <summary>
    /// Registers the resolver that maps libvirt's logical library name to its soname (or to the
    /// library named by <c>KVMPS_LIBVIRT_PATH</c>). Loads nothing yet: the library is opened by
    /// the first command that needs it, so importing the module stays cheap.
    /// </summary>
    public static void Initialize() => LibvirtLibrary.RegisterResolver();
}
