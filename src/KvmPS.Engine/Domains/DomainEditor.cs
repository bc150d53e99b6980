using System.Collections.Concurrent;
using System.Xml.Linq;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Domains;

/// <summary>
/// Changes a VM's persistent definition: read the inactive XML, edit it, define it again with
/// libvirt's schema validation (see <see cref="DefineEdited"/> for definitions already outside
/// the schema). The edit runs on a copy, so a request that fails (in the edit or
/// at define) leaves the definition exactly as it was.
/// </summary>
public static class DomainEditor
{
    /// <summary>
    /// The persistent definition as an element (a copy the caller may change), read with the secure
    /// flag so a redefine keeps graphics passwords: it is for defining again, never for output.
    /// </summary>
    public static XElement ReadConfig(DomainHandle h) =>
        SafeXml.Parse(DomainService.GetXmlForEdit(h, inactive: DomainService.IsPersistent(h)));

    /// <summary>How many times an edit is applied to a definition that changed under it before it is given up.</summary>
    public const int MaxAttempts = 5;

    // One lock per (connection URI, domain name): edits of one VM from the runspaces and threads
    // of this process run one after the other.
    private static readonly ConcurrentDictionary<string, object> Locks = new(StringComparer.Ordinal);

    /// <summary>
    /// Applies an edit to the persistent definition and redefines the VM. Returns the XML that was
    /// defined (with its secrets: not for output). Throws LibvirtException when libvirt rejects the result; nothing changed then.
    /// </summary>
    /// <remarks>
    /// Right before the define the definition is read again and compared with the one the edit
    /// started from; when someone changed it in between, the edit is applied again to the fresh
    /// definition (so <paramref name="edit"/> must be re-runnable: it gets a new element each
    /// time), up to <see cref="MaxAttempts"/> times, then DomainEditConflictException. Within this
    /// process a lock per VM serialises edits, and across the processes of this machine a file
    /// lock (<see cref="EditLock"/>) does, so that cannot happen between them. Another machine's
    /// edit can still land between the last read and this define (libvirt has no compare-and-swap
    /// define): the compare-and-retry narrows that window but cannot close it.
    /// </remarks>
    public static XElement EditConfig(LibvirtConnection conn, DomainHandle h, Action<XElement> edit)
    {
        if (!DomainService.IsPersistent(h))
        {
            throw new InvalidOperationException("The VM is transient (it has no persistent definition to change).");
        }
        // Keyed by name (one cheap call; no definition read just to find the UUID).
        string key = conn.Uri + "\n" + LibvirtConnection.GetName(h);
        lock (Locks.GetOrAdd(key, _ => new object()))
        {
            // And across the processes of this machine (another pwsh, a runbook run beside this one).
            using EditLock? across = EditLock.Acquire(key) ?? throw new DomainEditConflictException(LibvirtConnection.GetName(h), 0);
            // Read again inside the lock: an edit that held it may have defined since.
            string start = ReadText(h);
            for (int attempt = 1; ; attempt++)
            {
                XElement config = SafeXml.Parse(start);
                edit(config);
                string now = ReadText(h);
                if (now == start)
                {
                    DefineEdited(conn, LibvirtConnection.GetName(h), config.ToString(), start);
                    return config;
                }
                if (attempt == MaxAttempts)
                {
                    throw new DomainEditConflictException(LibvirtConnection.GetName(h), attempt);
                }
                start = now;
            }
        }
    }

    /// <summary>
    /// Defines an edited definition with libvirt's schema check. When the schema rejects it, the
    /// unchanged <paramref name="original"/> is checked the same way (defining it again changes
    /// nothing): if it fails too, the VM's definition was already outside the schema when libvirt
    /// accepted it (a relative disk or loader path, say), so the edit is defined without the
    /// schema check (libvirt's own parser still checks it) and a warning says so; if it passes,
    /// the edit itself broke the schema and its error stands.
    /// </summary>
    public static void DefineEdited(LibvirtConnection conn, string name, string edited, string original)
    {
        try
        {
            DomainService.Define(conn, edited, validate: true).Dispose();
            return;
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.XmlInvalidSchema)
        {
            try
            {
                DomainService.Define(conn, original, validate: true).Dispose();
            }
            catch (LibvirtException o) when (o.Code == LibvirtErrorCode.XmlInvalidSchema)
            {
                DomainService.Define(conn, edited, validate: false).Dispose();
                EngineWarnings.Add($"VM '{name}': its definition does not pass libvirt's schema ({OneLine(o.LibvirtMessage)}), " +
                    "although libvirt accepted it; the change was defined without the schema check (libvirt's own parser still checked it).");
                return;
            }
            throw;
        }
    }

    /// <summary>libvirt's multi-line schema message on one line.</summary>
    public static string OneLine(string message) =>
        string.Join("; ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The persistent definition as text, read as ReadConfig reads it (secure flag).</summary>
    private static string ReadText(DomainHandle h) => DomainService.GetXmlForEdit(h, inactive: true);

    /// <summary>Returns the child element, creating it (appended) when missing.</summary>
    public static XElement GetOrAdd(XElement parent, string name)
    {
        XElement? e = parent.Element(name);
        if (e is null)
        {
            e = new XElement(name);
            parent.Add(e);
        }
        return e;
    }
}
