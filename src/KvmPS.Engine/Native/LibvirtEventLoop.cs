namespace KvmPS.Engine.Native;

/// <summary>
/// libvirt's default event loop, registered once per process before the first connection and run
/// on a background thread of its own. Keepalive needs it: without a registered loop
/// virConnectSetKeepAlive fails, and a frozen daemon then blocks every call for ever.
/// </summary>
internal static class LibvirtEventLoop
{
    private static readonly object s_sync = new();
    private static Thread? s_thread;

    /// <summary>Whether the loop runs (false when registering it failed: keepalive is then off).</summary>
    internal static bool IsRunning { get; private set; }

    /// <summary>Registers and starts the loop; safe to call many times. Call before opening any connection.</summary>
    internal static void EnsureStarted()
    {
        if (s_thread is not null)
        {
            return;
        }
        lock (s_sync)
        {
            if (s_thread is not null)
            {
                return;
            }
            if (Libvirt.virEventRegisterDefaultImpl() < 0)
            {
                Libvirt.virResetLastError();
                s_thread = new Thread(() => { });
                return;
            }
            var thread = new Thread(Run) { IsBackground = true, Name = "libvirt event loop" };
            thread.Start();
            IsRunning = true;
            s_thread = thread;
        }
    }

    private static void Run()
    {
        while (true)
        {
            if (Libvirt.virEventRunDefaultImpl() < 0)
            {
                // One failed iteration (an interrupted poll) is no reason to stop the loop.
                Libvirt.virResetLastError();
                Thread.Sleep(50);
            }
        }
    }
}
