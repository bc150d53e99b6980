namespace KvmPS;

/// <summary>A host device a VM's definition passes through (a &lt;hostdev&gt;): PCI, USB, SCSI, SCSI host or mediated.</summary>
public sealed class KvmPassthroughDevice
{
    /// <summary>Name of the VM.</summary>
    public string VMName { get; internal init; } = "";

    /// <summary>pci, usb, scsi, scsi_host or mdev (or storage, misc, net in capabilities mode).</summary>
    public string Type { get; internal init; } = "";

    /// <summary>subsystem or capabilities.</summary>
    public string Mode { get; internal init; } = "subsystem";

    /// <summary>Whether libvirt detaches the device from its host driver itself; null when not said.</summary>
    public bool? Managed { get; internal init; }

    /// <summary>The device on the host: 0000:01:00.0, usb 046d:c52b, usb bus 1 device 3, scsi scsi_host0 0:0:0, mdev &lt;uuid&gt;.</summary>
    public string Source { get; internal init; } = "";

    /// <summary>The connection URI.</summary>
    public string Uri { get; internal init; } = "";

    /// <inheritdoc />
    public override string ToString() => Source;
}
