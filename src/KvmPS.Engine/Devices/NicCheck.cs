using KvmPS.Engine.Native;

namespace KvmPS.Engine.Devices;

/// <summary>
/// The checks a NIC's source and tuning must pass before Add or Set changes anything: one source
/// only, a backend and multiqueue only on virtio, no more queue pairs than vCPUs, a network that
/// exists. Returns the first refusal, or null.
/// </summary>
public static class NicCheck
{
    public static DeviceRefusal? Check(LibvirtConnection conn, string vm, string? network, string? bridge,
        string model, bool driverGiven, int queues, bool queuesGiven, int maxVCpus)
    {
        if (network is not null && bridge is not null)
        {
            return DeviceRefusal.Invalid("Give -Network (a libvirt network) or -Bridge (a host bridge), not both.", "ConflictingSource");
        }
        if (driverGiven && model != "virtio")
        {
            return DeviceRefusal.Invalid($"-Driver selects the backend of a virtio adapter; model {model} has none.", "DriverNeedsVirtio");
        }
        if (queues > 1 && model != "virtio")
        {
            return DeviceRefusal.Invalid($"Multiqueue ({queues} queues) needs model virtio.", "QueuesNeedVirtio");
        }
        if (queuesGiven && queues > maxVCpus)
        {
            return DeviceRefusal.Invalid($"-Queues {queues} is more than VM '{vm}' has vCPUs ({maxVCpus}): a queue pair per vCPU is the most that helps.", "TooManyQueues");
        }
        if (network is not null)
        {
            try
            {
                conn.LookupNetwork(network).Dispose();
            }
            catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoNetwork)
            {
                return new DeviceRefusal($"No libvirt network named '{network}' on {conn.Uri}.", "NetworkNotFound", KvmErrorKind.NotFound, network);
            }
        }
        return null;
    }
}
