using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Devices;

/// <summary>
/// Adds, removes and changes devices of a VM: in the running VM through libvirt's hot-plug calls
/// (virDomainAttachDeviceFlags / DetachDeviceFlags / UpdateDeviceFlags with AFFECT_LIVE and
/// AFFECT_CONFIG), and in the persistent definition. What cannot change live (the driver says
/// unsupported, or the bus cannot be hot-plugged) goes to the definition only, and the result says so.
/// A shut-off VM's definition is changed by one validated redefine, so a rejected change leaves it as it was.
/// </summary>
public static class DeviceService
{
    private const uint Live = Libvirt.VIR_DOMAIN_AFFECT_LIVE;
    private const uint Config = Libvirt.VIR_DOMAIN_AFFECT_CONFIG;

    /// <summary>Reads the definitions a device change starts from: persistent (null when transient) and live (null when shut off).</summary>
    public static (XElement? Config, XElement? Live) ReadDefinitions(DomainHandle h)
    {
        bool active = DomainService.IsActive(h);
        bool persistent = DomainService.IsPersistent(h);
        XElement? config = persistent ? SafeXml.Parse(DomainService.GetInactiveXml(h)) : null;
        XElement? live = active ? SafeXml.Parse(LibvirtConnection.GetXml(h)) : null;
        return (config, live);
    }

    /// <summary>
    /// Adds devices in order. <paramref name="notHotpluggable"/> names why the devices cannot be
    /// hot-plugged (null when they can); <paramref name="configEdit"/> is a further change to the
    /// persistent definition made with the devices (metadata).
    /// </summary>
    public static DeviceChangeResult Add(LibvirtConnection conn, DomainHandle h, IReadOnlyList<XElement> devices,
        string? notHotpluggable = null, Action<XElement>? configEdit = null)
    {
        bool active = DomainService.IsActive(h);
        bool persistent = DomainService.IsPersistent(h);
        string? reason = notHotpluggable;
        if (active && reason is null)
        {
            uint flags = Live | (persistent ? Config : 0);
            var done = new List<XElement>();
            try
            {
                foreach (XElement d in devices)
                {
                    Attach(h, d, flags);
                    done.Add(d);
                }
                if (configEdit is not null && persistent)
                {
                    DomainEditor.EditConfig(conn, h, configEdit);
                }
                return new DeviceChangeResult { Live = true, Config = persistent };
            }
            catch (LibvirtException e)
            {
                // Undo what was plugged before the failure (the guest may still hold it briefly).
                for (int i = done.Count - 1; i >= 0; i--)
                {
                    TryDetach(h, DeviceXml.ForDetach(done[i]), flags);
                }
                if (e.Kind != KvmErrorKind.NotSupported || !persistent)
                {
                    throw;
                }
                reason = e.LibvirtMessage;
            }
        }
        if (!persistent)
        {
            throw new InvalidOperationException($"The VM is transient and the device cannot be hot-plugged: {reason}");
        }
        DomainEditor.EditConfig(conn, h, d =>
        {
            XElement list = DomainEditor.GetOrAdd(d, "devices");
            foreach (XElement dev in devices)
            {
                list.Add(new XElement(dev));
            }
            configEdit?.Invoke(d);
        });
        return new DeviceChangeResult { Config = true, NotLiveReason = active ? reason : null };
    }

    /// <summary>The persistent definition and the device <paramref name="find"/> locates in it and in the running VM (null where it is not).</summary>
    private static (XElement? Config, XElement? InConfig, XElement? InLive) Locate(DomainHandle h, Func<XElement, XElement?> find)
    {
        var (config, live) = ReadDefinitions(h);
        return (config, config is null ? null : find(config), live is null ? null : find(live));
    }

    /// <summary>
    /// Removes the device <paramref name="find"/> locates, from the running VM and the persistent
    /// definition, wherever it is. Returns null when neither has it.
    /// </summary>
    public static DeviceChangeResult? Remove(LibvirtConnection conn, DomainHandle h, Func<XElement, XElement?> find,
        string? notHotpluggable = null, Action<XElement>? configEdit = null)
    {
        var (config, inConfig, inLive) = Locate(h, find);
        if (inConfig is null && inLive is null)
        {
            return null;
        }
        string? reason = notHotpluggable;
        if (inLive is not null && reason is null)
        {
            uint flags = Live | (inConfig is not null ? Config : 0);
            try
            {
                Detach(h, DeviceXml.ForDetach(inConfig ?? inLive), flags);
                if (configEdit is not null && config is not null)
                {
                    DomainEditor.EditConfig(conn, h, configEdit);
                }
                // QEMU finishes an unplug when the guest releases the device; libvirt waits a few
                // seconds for that and then returns, so the device may still be there.
                bool pending = find(SafeXml.Parse(LibvirtConnection.GetXml(h))) is not null;
                return new DeviceChangeResult { Live = true, Config = inConfig is not null, RemovalPending = pending };
            }
            catch (LibvirtException e) when (e.Kind == KvmErrorKind.NotSupported && config is not null)
            {
                reason = e.LibvirtMessage;
            }
        }
        if (config is null)
        {
            throw new InvalidOperationException($"The VM is transient and the device cannot be unplugged: {reason}");
        }
        DomainEditor.EditConfig(conn, h, d =>
        {
            find(d)?.Remove();
            configEdit?.Invoke(d);
        });
        return new DeviceChangeResult { Config = true, NotLiveReason = inLive is not null ? reason : null };
    }

    /// <summary>
    /// Changes a device: <paramref name="changeConfig"/> on the persistent definition's element, and
    /// <paramref name="changeLive"/> (null when nothing can change live) on the running one through
    /// virDomainUpdateDeviceFlags. A live failure other than "unsupported" puts the definition back.
    /// </summary>
    public static DeviceChangeResult? Change(LibvirtConnection conn, DomainHandle h, Func<XElement, XElement?> find,
        Action<XElement> changeConfig, Action<XElement>? changeLive)
    {
        var (config, inConfig, inLive) = Locate(h, find);
        if (inConfig is null && inLive is null)
        {
            return null;
        }
        // The undo puts this device back: read it with its secrets (secure flag).
        XElement? before = inConfig is null ? null : find(DomainEditor.ReadConfig(h)) is XElement b ? new XElement(b) : null;
        if (inConfig is not null)
        {
            DomainEditor.EditConfig(conn, h, d => changeConfig(find(d)!));
        }
        if (inLive is null || changeLive is null)
        {
            return new DeviceChangeResult { Config = inConfig is not null, NotLiveReason = inLive is null ? null : "it cannot change while the VM runs" };
        }
        XElement update = DeviceXml.ForUpdate(inLive);
        changeLive(update);
        try
        {
            LibvirtException.Check(Libvirt.virDomainUpdateDeviceFlags(h, update.ToString(SaveOptions.DisableFormatting), Live), "virDomainUpdateDeviceFlags");
            return new DeviceChangeResult { Live = true, Config = inConfig is not null };
        }
        catch (LibvirtException e) when (e.Kind == KvmErrorKind.NotSupported)
        {
            return new DeviceChangeResult { Config = inConfig is not null, NotLiveReason = e.LibvirtMessage };
        }
        catch (LibvirtException) when (before is not null)
        {
            // Through the editor like any other edit: only this device goes back, so a change
            // someone else made meanwhile stays, and the define keeps secrets and the schema rule.
            try
            {
                DomainEditor.EditConfig(conn, h, d => find(d)?.ReplaceWith(new XElement(before)));
            }
            catch (Exception undo) when (undo is LibvirtException or DomainEditConflictException)
            {
                EngineWarnings.Add($"VM '{LibvirtConnection.GetName(h)}': the definition could not be put back after the failed live change ({undo.Message}); it keeps the new setting.");
            }
            throw;
        }
    }

    private static void Attach(DomainHandle h, XElement device, uint flags) =>
        LibvirtException.Check(Libvirt.virDomainAttachDeviceFlags(h, device.ToString(SaveOptions.DisableFormatting), flags), "virDomainAttachDeviceFlags");

    private static void Detach(DomainHandle h, XElement device, uint flags) =>
        LibvirtException.Check(Libvirt.virDomainDetachDeviceFlags(h, device.ToString(SaveOptions.DisableFormatting), flags), "virDomainDetachDeviceFlags");

    private static void TryDetach(DomainHandle h, XElement device, uint flags)
    {
        if (Libvirt.virDomainDetachDeviceFlags(h, device.ToString(SaveOptions.DisableFormatting), flags) < 0)
        {
            Libvirt.virResetLastError();
        }
    }
}
