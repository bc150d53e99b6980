using System.Runtime.InteropServices;

namespace KvmPS.Engine.Native;

/// <summary>
/// libvirt-qemu.so.0, libvirt's QEMU-specific library beside libvirt.so.0: only
/// virDomainQemuAgentCommand, which passes one JSON command to the guest agent and returns its
/// JSON reply. The library is loaded on first use (a host without it can still use the rest of
/// the module); its name follows libvirt's (KVMPS_LIBVIRT_QEMU_PATH overrides it).
/// </summary>
internal static unsafe class LibvirtQemu
{
    /// <summary>Wait as long as the agent needs (VIR_DOMAIN_QEMU_AGENT_COMMAND_BLOCK).</summary>
    internal const int TimeoutBlock = -2;

    /// <summary>libvirt's default agent timeout (VIR_DOMAIN_QEMU_AGENT_COMMAND_DEFAULT, 5 s).</summary>
    internal const int TimeoutDefault = -1;

    private static readonly object s_sync = new();
    private static delegate* unmanaged<IntPtr, byte*, int, uint, IntPtr> s_agentCommand;

    private static delegate* unmanaged<IntPtr, byte*, int, uint, IntPtr> AgentCommandEntry()
    {
        lock (s_sync)
        {
            if (s_agentCommand != null)
            {
                return s_agentCommand;
            }
            string? chosen = Environment.GetEnvironmentVariable("KVMPS_LIBVIRT_QEMU_PATH");
            string[] candidates = string.IsNullOrWhiteSpace(chosen) ? new[] { "libvirt-qemu.so.0", "libvirt-qemu.so", "libvirt-qemu" } : new[] { chosen.Trim() };
            LibvirtLibrary.Load(); // libvirt-qemu needs libvirt's own initialisation first
            foreach (string candidate in candidates)
            {
                if (NativeLibrary.TryLoad(candidate, out IntPtr lib) && NativeLibrary.TryGetExport(lib, "virDomainQemuAgentCommand", out IntPtr fn))
                {
                    s_agentCommand = (delegate* unmanaged<IntPtr, byte*, int, uint, IntPtr>)fn;
                    return s_agentCommand;
                }
            }
            throw new DllNotFoundException($"libvirt's QEMU library ({string.Join(", ", candidates)}) could not be loaded: install the package that ships libvirt-qemu.so.0 (libvirt0 on Debian, libvirt-libs on Fedora).");
        }
    }

    /// <summary>
    /// Sends <paramref name="json"/> to the guest agent and returns the reply; throws
    /// LibvirtException with the calling thread's error when libvirt fails.
    /// <paramref name="timeoutSec"/> is seconds, or <see cref="TimeoutBlock"/>/<see cref="TimeoutDefault"/>.
    /// </summary>
    internal static string AgentCommand(DomainHandle domain, string json, int timeoutSec)
    {
        var entry = AgentCommandEntry();
        byte[] cmd = System.Text.Encoding.UTF8.GetBytes(json + "\0");
        bool added = false;
        domain.DangerousAddRef(ref added);
        try
        {
            IntPtr reply;
            fixed (byte* p = cmd)
            {
                reply = entry(domain.DangerousGetHandle(), p, timeoutSec, 0);
            }
            return Libvirt.TakeString(reply) ?? throw LibvirtException.FromLastError("virDomainQemuAgentCommand");
        }
        finally
        {
            if (added)
            {
                domain.DangerousRelease();
            }
        }
    }
}
