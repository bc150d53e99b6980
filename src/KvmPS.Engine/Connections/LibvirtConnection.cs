using System.Runtime.InteropServices;
using KvmPS.Engine.Native;

namespace KvmPS.Engine;

/// <summary>
/// An open libvirt connection. libvirt connections are thread-safe, so one instance may serve
/// several threads; the module still keeps connections per runspace (see the cmdlets' session
/// state) so that parallel runspaces do not close each other's connections or share the
/// in-memory state of the test driver unexpectedly.
/// </summary>
public sealed class LibvirtConnection : IDisposable
{
    private LibvirtConnection(string requestedUri, ConnectHandle handle)
    {
        RequestedUri = requestedUri;
        Handle = handle;
        Uri = Libvirt.TakeString(Libvirt.virConnectGetURI(handle)) ?? requestedUri;
    }

    /// <summary>The URI the caller asked for ("" means libvirt's default).</summary>
    public string RequestedUri { get; }

    /// <summary>The canonical URI libvirt reports for the open connection.</summary>
    public string Uri { get; }

    /// <summary>Whether the connection's host is this machine: its local files are then the host's files.</summary>
    public bool IsLocal => TreatAsRemote ? false : IsLocalUri(Uri);

    /// <summary>
    /// Tests only: makes a connection to libvirt's in-process test driver stand for a remote host,
    /// so the paths of remote hosts (storage API instead of this machine's files) run without one.
    /// </summary>
    internal bool TreatAsRemote { get; set; }

    /// <summary>Whether a connection URI names this machine (no host part; empty means libvirt's local default).</summary>
    public static bool IsLocalUri(string? uri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return true;
        }
        return System.Uri.TryCreate(uri, UriKind.Absolute, out Uri? u) && u.Host.Length == 0;
    }

    internal ConnectHandle Handle { get; }

    public bool IsClosed => Handle.IsClosed;

    /// <summary>Opens a connection. An empty or null URI means libvirt's own default.</summary>
    public static LibvirtConnection Open(string? uri) => Open(uri, ConnectionTimeouts.FromEnvironment(), CancellationToken.None);

    /// <summary>
    /// Opens a connection and turns on keepalive. virConnectOpen itself waits for ever on a daemon
    /// that accepts the socket but does not answer (stopped with SIGSTOP, say), so it runs on a
    /// worker thread: after <see cref="ConnectionTimeouts.ConnectTimeout"/>, or when
    /// <paramref name="cancel"/> fires, the caller gets an error (or OperationCanceledException) and
    /// the worker is abandoned; should it still succeed later, it closes what it opened.
    /// </summary>
    public static LibvirtConnection Open(string? uri, ConnectionTimeouts timeouts, CancellationToken cancel) => Open(uri, timeouts, cancel, null);

    /// <summary>
    /// As <see cref="Open(string?, ConnectionTimeouts, CancellationToken)"/>; with a credential the
    /// connect runs through virConnectOpenAuth, whose callback answers what the transport asks
    /// (SASL over tcp/tls, libssh) from it.
    /// </summary>
    public static LibvirtConnection Open(string? uri, ConnectionTimeouts timeouts, CancellationToken cancel, ConnectCredential? credential)
    {
        LibvirtLibrary.EnsureInitialized();
        string? name = string.IsNullOrEmpty(uri) ? null : uri;
        string function = credential is null ? "virConnectOpen" : "virConnectOpenAuth";
        var opening = new Task<ConnectHandle>(() =>
        {
            // The error is thread-local: read it here, on the thread of the failing call.
            IntPtr ptr = credential is null ? Libvirt.virConnectOpen(name) : AuthCallback.Open(name, credential);
            return ptr == IntPtr.Zero ? throw ConnectFailure.Explain(uri, LibvirtException.FromLastError(function), credential is not null) : new ConnectHandle(ptr);
        }, TaskCreationOptions.LongRunning);
        opening.Start();
        bool done;
        try
        {
            done = opening.Wait(timeouts.ConnectTimeout, cancel);
        }
        catch (AggregateException e) when (e.InnerException is LibvirtException le)
        {
            throw le;
        }
        catch (OperationCanceledException)
        {
            Abandon(opening);
            throw;
        }
        if (!done)
        {
            Abandon(opening);
            throw new LibvirtException(function, LibvirtErrorCode.OperationTimeout, 0,
                $"no answer from '{uri}' within {timeouts.ConnectTimeout.TotalSeconds:0.#} s (is the libvirt daemon frozen or the host unreachable?); "
                + $"Connect-KvmHost -TimeoutSec or {ConnectionTimeouts.ConnectTimeoutVariable} sets this limit");
        }
        var conn = new LibvirtConnection(uri ?? "", opening.Result);
        conn.KeepAlive = conn.StartKeepAlive(timeouts);
        conn.KeepAliveNote = conn.KeepAlive
            ? $"Keepalive: a ping every {timeouts.KeepAliveInterval} s; the connection is given up after {timeouts.KeepAliveCount} unanswered ({ConnectionTimeouts.IntervalVariable}, {ConnectionTimeouts.CountVariable})."
            : "Keepalive: not used on this connection (an in-process driver, or turned off).";
        return conn;
    }

    private static void Abandon(Task<ConnectHandle> opening) =>
        opening.ContinueWith(t =>
        {
            if (t.Status == TaskStatus.RanToCompletion)
            {
                t.Result.Dispose();
            }
            _ = t.Exception;
        }, TaskScheduler.Default);

    /// <summary>Whether keepalive watches this connection (false for in-process drivers such as test:///, which have nothing to watch).</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>A sentence for the verbose stream: whether keepalive watches the connection, and how.</summary>
    public string KeepAliveNote { get; private set; } = "";

    private bool StartKeepAlive(ConnectionTimeouts timeouts)
    {
        if (timeouts.KeepAliveInterval <= 0 || !LibvirtEventLoop.IsRunning)
        {
            return false;
        }
        // 0: on; 1: the other side has no keepalive; -1: not supported by the driver (test:///).
        int rc = Libvirt.virConnectSetKeepAlive(Handle, timeouts.KeepAliveInterval, timeouts.KeepAliveCount);
        if (rc < 0)
        {
            Libvirt.virResetLastError();
        }
        return rc == 0;
    }

    /// <summary>Whether the connection still works: false when the daemon went away.</summary>
    public bool IsAlive => !Handle.IsClosed && Libvirt.virConnectIsAlive(Handle) == 1;

    public string GetHostname() =>
        Libvirt.TakeString(Libvirt.virConnectGetHostname(Handle)) ?? throw LibvirtException.FromLastError("virConnectGetHostname");

    public string GetHypervisorType()
    {
        IntPtr p = Libvirt.virConnectGetType(Handle);
        if (p == IntPtr.Zero)
        {
            throw LibvirtException.FromLastError("virConnectGetType");
        }
        return Marshal.PtrToStringUTF8(p) ?? "";
    }

    public Version? GetHypervisorVersion()
    {
        LibvirtException.Check(Libvirt.virConnectGetVersion(Handle, out ulong v), "virConnectGetVersion");
        return v == 0 ? null : Libvirt.ToVersion(v);
    }

    public Version GetLibvirtVersion()
    {
        LibvirtException.Check(Libvirt.virConnectGetLibVersion(Handle, out ulong v), "virConnectGetLibVersion");
        return Libvirt.ToVersion(v);
    }

    /// <summary>The version of the libvirt library loaded in this process.</summary>
    public static Version GetClientLibraryVersion()
    {
        LibvirtLibrary.EnsureInitialized();
        LibvirtException.Check(Libvirt.virGetVersion(out ulong lib, null, out _), "virGetVersion");
        return Libvirt.ToVersion(lib);
    }

    public string GetCapabilitiesXml() =>
        Libvirt.TakeString(Libvirt.virConnectGetCapabilities(Handle)) ?? throw LibvirtException.FromLastError("virConnectGetCapabilities");

    /// <summary>
    /// libvirt's conversion of domain XML into a hypervisor's native configuration (for QEMU,
    /// format "qemu-argv": the command line). The QEMU driver offers it; the test driver does not
    /// (VIR_ERR_NO_SUPPORT).
    /// </summary>
    public string DomainXmlToNative(string nativeFormat, string domainXml) =>
        Libvirt.TakeString(Libvirt.virConnectDomainXMLToNative(Handle, nativeFormat, domainXml, 0)) ?? throw LibvirtException.FromLastError("virConnectDomainXMLToNative");

    /// <summary>Domain capabilities for a virt type (kvm, qemu); throws when the driver does not offer it.</summary>
    public string GetDomainCapabilitiesXml(string? virtType, string? arch = null, string? emulator = null, string? machine = null) =>
        Libvirt.TakeString(Libvirt.virConnectGetDomainCapabilities(Handle, emulator, arch, machine, virtType, 0))
        ?? throw LibvirtException.FromLastError("virConnectGetDomainCapabilities");

    internal Libvirt.VirNodeInfo GetNodeInfo()
    {
        LibvirtException.Check(Libvirt.virNodeGetInfo(Handle, out var info), "virNodeGetInfo");
        return info;
    }

    /// <summary>Free memory in bytes, or null when the driver cannot tell.</summary>
    public ulong? GetFreeMemory()
    {
        ulong free = Libvirt.virNodeGetFreeMemory(Handle);
        if (free == 0)
        {
            Libvirt.virResetLastError();
            return null;
        }
        return free;
    }

    /// <summary>Free memory per NUMA cell in bytes, or null when the driver cannot tell.</summary>
    public unsafe ulong[]? GetCellsFreeMemory(int cellCount)
    {
        if (cellCount <= 0)
        {
            return null;
        }
        var buffer = new ulong[cellCount];
        fixed (ulong* p = buffer)
        {
            int n = Libvirt.virNodeGetCellsFreeMemory(Handle, p, 0, cellCount);
            if (n < 0)
            {
                Libvirt.virResetLastError();
                return null;
            }
            return n == cellCount ? buffer : buffer[..n];
        }
    }

    /// <summary>Free pages of each size (KiB) per cell: result[cell][sizeIndex]; null when unsupported.</summary>
    public unsafe ulong[][]? GetFreePages(uint[] pageSizesKiB, int cellCount)
    {
        if (pageSizesKiB.Length == 0 || cellCount <= 0)
        {
            return null;
        }
        // One call per cell, as virsh freepages does: drivers agree on that form.
        var result = new ulong[cellCount][];
        for (int cell = 0; cell < cellCount; cell++)
        {
            var counts = new ulong[pageSizesKiB.Length];
            fixed (uint* sizes = pageSizesKiB)
            fixed (ulong* c = counts)
            {
                if (Libvirt.virNodeGetFreePages(Handle, (uint)pageSizesKiB.Length, sizes, cell, 1, c, 0) < 0)
                {
                    Libvirt.virResetLastError();
                    return null;
                }
            }
            result[cell] = counts;
        }
        return result;
    }

    /// <summary>Connection facts as the public object; a dead connection (its host gone) has only its URIs.</summary>
    public KvmConnection Describe(bool isDefault) => ConnectionDescription.Of(this, isDefault);

    public void Dispose() => Handle.Dispose();

    // Bulk listing: libvirt hands back an array of references; each becomes one owner (a SafeHandle:
    // wrap must own the pointer before anything that can fail) and the array itself is freed here.
    // Should a wrap fail part-way, what was wrapped is disposed and the rest is wrapped only to be
    // released, so no reference leaks.
    internal static unsafe List<T> TakeArray<T>(IntPtr* items, int count, Func<IntPtr, T> wrap) where T : IDisposable
    {
        var list = new List<T>(Math.Max(count, 0));
        int i = 0;
        try
        {
            for (; i < count; i++)
            {
                list.Add(wrap(items[i]));
            }
        }
        catch
        {
            list.ForEach(t => t.Dispose());
            for (int j = i + 1; j < count; j++)
            {
                try
                {
                    wrap(items[j]).Dispose();
                }
                catch (Exception)
                {
                    // Releasing is best effort once wrapping already failed.
                }
            }
            throw;
        }
        finally
        {
            NativeMemory.Free(items);
        }
        return list;
    }

    /// <summary>All domains (flags as in virConnectListAllDomains), each with its own handle.</summary>
    public unsafe List<DomainHandle> ListAllDomains(uint flags = 0)
    {
        IntPtr* items;
        int n = LibvirtException.Check(Libvirt.virConnectListAllDomains(Handle, &items, flags), "virConnectListAllDomains");
        return TakeArray(items, n, p => new DomainHandle(p));
    }

    public unsafe List<NetworkHandle> ListAllNetworks(uint flags = 0)
    {
        IntPtr* items;
        int n = LibvirtException.Check(Libvirt.virConnectListAllNetworks(Handle, &items, flags), "virConnectListAllNetworks");
        return TakeArray(items, n, p => new NetworkHandle(p));
    }

    internal unsafe List<StoragePoolHandle> ListAllStoragePools(uint flags = 0)
    {
        IntPtr* items;
        int n = LibvirtException.Check(Libvirt.virConnectListAllStoragePools(Handle, &items, flags), "virConnectListAllStoragePools");
        return TakeArray(items, n, p => new StoragePoolHandle(p));
    }

    internal unsafe List<NodeDeviceHandle> ListAllNodeDevices(uint flags = 0)
    {
        IntPtr* items;
        int n = LibvirtException.Check(Libvirt.virConnectListAllNodeDevices(Handle, &items, flags), "virConnectListAllNodeDevices");
        return TakeArray(items, n, p => new NodeDeviceHandle(p));
    }

    /// <summary>The host's network interfaces (virConnectListAllInterfaces, active and inactive), each with its own handle.</summary>
    internal unsafe List<InterfaceHandle> ListAllInterfaces(uint flags = 0)
    {
        IntPtr* items;
        int n = LibvirtException.Check(Libvirt.virConnectListAllInterfaces(Handle, &items, flags), "virConnectListAllInterfaces");
        return TakeArray(items, n, p => new InterfaceHandle(p));
    }

    public static string GetName(DomainHandle h) => Marshal.PtrToStringUTF8(Libvirt.virDomainGetName(h)) ?? throw LibvirtException.FromLastError("virDomainGetName");
    public static string GetName(NetworkHandle h) => Marshal.PtrToStringUTF8(Libvirt.virNetworkGetName(h)) ?? throw LibvirtException.FromLastError("virNetworkGetName");
    internal static string GetName(StoragePoolHandle h) => Marshal.PtrToStringUTF8(Libvirt.virStoragePoolGetName(h)) ?? throw LibvirtException.FromLastError("virStoragePoolGetName");
    internal static string GetName(NodeDeviceHandle h) => Marshal.PtrToStringUTF8(Libvirt.virNodeDeviceGetName(h)) ?? throw LibvirtException.FromLastError("virNodeDeviceGetName");

    /// <summary>Looks up a domain by name; throws LibvirtException (NoDomain) when there is none.</summary>
    public DomainHandle LookupDomain(string name)
    {
        IntPtr p = Libvirt.virDomainLookupByName(Handle, name);
        return p == IntPtr.Zero ? throw LibvirtException.FromLastError("virDomainLookupByName") : new DomainHandle(p);
    }

    /// <summary>Looks up a domain by UUID; throws LibvirtException (NoDomain) when there is none.</summary>
    public DomainHandle LookupDomain(Guid uuid)
    {
        IntPtr p = Libvirt.virDomainLookupByUUIDString(Handle, uuid.ToString("D"));
        return p == IntPtr.Zero ? throw LibvirtException.FromLastError("virDomainLookupByUUIDString") : new DomainHandle(p);
    }

    /// <summary>Looks up a network by name; throws LibvirtException (NoNetwork) when there is none.</summary>
    public NetworkHandle LookupNetwork(string name)
    {
        IntPtr p = Libvirt.virNetworkLookupByName(Handle, name);
        return p == IntPtr.Zero ? throw LibvirtException.FromLastError("virNetworkLookupByName") : new NetworkHandle(p);
    }

    /// <summary>Looks up a network by UUID; throws LibvirtException (NoNetwork) when there is none.</summary>
    public NetworkHandle LookupNetwork(Guid uuid)
    {
        IntPtr p = Libvirt.virNetworkLookupByUUIDString(Handle, uuid.ToString("D"));
        return p == IntPtr.Zero ? throw LibvirtException.FromLastError("virNetworkLookupByUUIDString") : new NetworkHandle(p);
    }

    /// <summary>Looks up a storage pool by UUID; throws LibvirtException (NoStoragePool) when there is none.</summary>
    internal StoragePoolHandle LookupStoragePool(Guid uuid)
    {
        IntPtr p = Libvirt.virStoragePoolLookupByUUIDString(Handle, uuid.ToString("D"));
        return p == IntPtr.Zero ? throw LibvirtException.FromLastError("virStoragePoolLookupByUUIDString") : new StoragePoolHandle(p);
    }

    /// <summary>Looks up a storage pool by name; throws LibvirtException (NoStoragePool) when there is none.</summary>
    internal StoragePoolHandle LookupStoragePool(string name)
    {
        IntPtr p = Libvirt.virStoragePoolLookupByName(Handle, name);
        return p == IntPtr.Zero ? throw LibvirtException.FromLastError("virStoragePoolLookupByName") : new StoragePoolHandle(p);
    }

    public static string GetXml(DomainHandle h, uint flags = 0) =>
        Libvirt.TakeString(Libvirt.virDomainGetXMLDesc(h, flags)) ?? throw LibvirtException.FromLastError("virDomainGetXMLDesc");
}
