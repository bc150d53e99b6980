using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Base of the cmdlets that act on one kind of device of VMs: helpers for the checks before a
/// change, the errors that are not libvirt's, and the warnings that say where a change landed.
/// </summary>
public abstract class KvmDeviceCmdlet : KvmVMCmdlet
{
    protected void Invalid(string message, string errorId, object target) =>
        WriteError(ErrorHelper.InvalidArgument(message, errorId, target));

    protected void NotFound(string message, string errorId, object target) =>
        WriteError(ErrorHelper.Create(new ItemNotFoundException(message), errorId, ErrorCategory.ObjectNotFound, target));

    protected void InUse(string message, string errorId, object target) =>
        WriteError(ErrorHelper.Create(new InvalidOperationException(message), errorId, ErrorCategory.ResourceExists, target));

    /// <summary>
    /// Writes the items whose key (target, MAC: not libvirt names, so a literal matches in any case; a wildcard
    /// as NameMatch says) matches a filter (all without filters), then NotFound for each literal that matched nothing.
    /// </summary>
    protected void WriteMatching<T>(IReadOnlyList<T> items, string[]? filters, Func<T, string?> key, Func<string, string> notFoundMessage, string errorId)
    {
        if (filters is not { Length: > 0 })
        {
            WriteObject(items, enumerateCollection: true);
            return;
        }
        var matches = filters.Select(NameMatch.For).ToList();
        foreach (T item in items.Where(i => key(i) is string k && matches.Any(m => m.IsWildcard ? m.Matches(k) : string.Equals(k, m.Typed, StringComparison.OrdinalIgnoreCase))))
        {
            WriteObject(item);
        }
        foreach (string f in matches.Where(m => !m.IsWildcard).Select(m => m.Typed))
        {
            if (!items.Any(i => string.Equals(key(i), f, StringComparison.OrdinalIgnoreCase)))
            {
                NotFound(notFoundMessage(f), errorId, f);
            }
        }
    }

    /// <summary>Whether <paramref name="mac"/> is a MAC address in an accepted form; else writes InvalidMacAddress and returns false.</summary>
    protected bool CheckMac(string mac)
    {
        if (MacAddressText.IsValid(mac))
        {
            return true;
        }
        Invalid($"'{mac}' is not a MAC address ({MacAddressText.Forms}).", "InvalidMacAddress", mac);
        return false;
    }

    /// <summary>Parses a PCI address, or writes the InvalidArgument error and returns false.</summary>
    protected bool TryParsePci(string given, out PciAddress address)
    {
        if (PciAddress.TryParse(given, out address))
        {
            return true;
        }
        Invalid($"'{given}' is not a PCI address (domain:bus:slot.function, e.g. 0000:01:00.0).", "InvalidPciAddress", given);
        return false;
    }

    /// <summary>Runs <see cref="NicCheck"/>; writes its refusal and returns false, else true.</summary>
    protected bool CheckNic(LibvirtConnection conn, string vm, object target, string? network, string? bridge,
        string model, bool driverGiven, int queues, bool queuesGiven, int maxVCpus)
    {
        if (NicCheck.Check(conn, vm, network, bridge, model, driverGiven, queues, queuesGiven, maxVCpus) is not { } r)
        {
            return true;
        }
        WriteError(ErrorHelper.Refusal(r.Kind, r.Message, r.ErrorId, r.Target ?? target));
        return false;
    }

    /// <summary>
    /// Runs the work for one VM, turning the failures that are not libvirt's (a transient VM, a
    /// tool that failed) into ErrorRecords so the next VM still gets its turn.
    /// </summary>
    protected override void ProcessVM(LibvirtConnection conn, DomainHandle domain, string name)
    {
        try
        {
            ProcessDevice(conn, domain, name);
        }
        catch (InvalidOperationException e)
        {
            WriteError(ErrorHelper.Create(e, FailureErrorId, ErrorCategory.InvalidOperation, name, $"VM '{name}': {e.Message}"));
        }
        catch (IOException e)
        {
            WriteError(ErrorHelper.Create(e, FailureErrorId, ErrorCategory.ReadError, name, $"VM '{name}': {e.Message}"));
        }
    }

    /// <summary>The work for one VM.</summary>
    protected abstract void ProcessDevice(LibvirtConnection conn, DomainHandle domain, string name);

    /// <summary>The definition a Get reads: the running one, or with -Config (or when shut off) the persistent one.</summary>
    protected static XElement ReadForGet(DomainHandle h, bool config) =>
        SafeXml.Parse(config && DomainService.IsPersistent(h) ? DomainService.GetInactiveXml(h) : LibvirtConnection.GetXml(h));

    /// <summary>The VM's devices as KvmPS objects (DomainXml reads them as Get-KvmVM does).</summary>
    protected static KvmVM ReadVM(XElement xml, string uri) =>
        DomainXml.Read(xml.ToString(), KvmVMState.NoState, 0, false, true, uri);

    /// <summary>The device as the persistent definition has it, else as the running VM has it; null when neither has it.</summary>
    protected static XElement? FindDevice(XElement? config, XElement? live, Func<XElement, XElement?> find) =>
        (config is null ? null : find(config)) ?? (live is null ? null : find(live));

    /// <summary>The vCPU limit of the VM's definition (the maximum vCPU count).</summary>
    protected static int MaxVCpus(XElement definition) =>
        int.TryParse(definition.Element("vcpu")?.Value, out int n) && n > 0 ? n : 1;

    /// <summary>
    /// Warns when a NIC will name the vhost backend on a local QEMU host without /dev/vhost-net:
    /// QEMU then fails to start the VM (without the name, libvirt would fall back to QEMU's backend).
    /// </summary>
    protected void WarnIfNoVhost(LibvirtConnection conn, XElement nic, string vm)
    {
        if ((string?)nic.Element("driver")?.Attribute("name") == "vhost"
            && conn.IsLocal
            && conn.GetHypervisorType().Equals("QEMU", StringComparison.OrdinalIgnoreCase)
            && !File.Exists("/dev/vhost-net"))
        {
            WriteWarning($"This host has no /dev/vhost-net (modprobe vhost_net): VM '{vm}' cannot start with a vhost network adapter until it has.");
        }
    }

    /// <summary>Says where an added device landed.</summary>
    protected void ReportAdd(string vm, string device, DeviceChangeResult r)
    {
        if (r.Live)
        {
            WriteVerbose($"VM '{vm}': {device} was hot-plugged{(r.Config ? " and added to the configuration" : "")}.");
        }
        else if (r.NotLiveReason is not null)
        {
            WriteWarning($"VM '{vm}' is running and {device} could not be hot-plugged ({r.NotLiveReason}). It was added to the configuration and appears at the next start.");
        }
        else
        {
            WriteVerbose($"VM '{vm}': {device} was added to the configuration.");
        }
    }

    /// <summary>Says where a removal landed.</summary>
    protected void ReportRemove(string vm, string device, DeviceChangeResult r)
    {
        if (r.RemovalPending)
        {
            WriteWarning($"VM '{vm}' has not released {device} yet: the guest must acknowledge the unplug. It is gone from the configuration and leaves the running VM when the guest lets it go, or at the next stop.");
        }
        else if (r.NotLiveReason is not null)
        {
            WriteWarning($"VM '{vm}' is running and {device} could not be unplugged ({r.NotLiveReason}). It was removed from the configuration and leaves the VM at the next stop.");
        }
        else
        {
            WriteVerbose($"VM '{vm}': {device} was removed{(r.Live ? " from the running VM" : "")}{(r.Config ? (r.Live ? " and" : "") + " from the configuration" : "")}.");
        }
    }

    /// <summary>Says where a change landed; <paramref name="notLive"/> says what waits for the next start although the rest went live.</summary>
    protected void ReportChange(string vm, string device, DeviceChangeResult r, string? notLive)
    {
        if (r.NotLiveReason is not null)
        {
            WriteWarning($"VM '{vm}' is running: the change to {device} takes effect at its next start ({r.NotLiveReason}).");
        }
        else if (notLive is not null && r.Live)
        {
            WriteWarning($"VM '{vm}' is running: {notLive}.");
        }
        else
        {
            WriteVerbose($"VM '{vm}': {device} was changed{(r.Live ? " in the running VM" : "")}{(r.Config ? (r.Live ? " and" : "") + " in the configuration" : "")}.");
        }
    }
}
