namespace KvmPS.Engine;

/// <summary>
/// A connection as the public <see cref="KvmConnection"/>. A dead connection (its host gone) has
/// only its URIs. The host may also go between the alive check and the queries (keepalive closes
/// the connection on its own thread): that is the dead form too, not an error for the caller.
/// </summary>
internal static class ConnectionDescription
{
    internal static KvmConnection Of(LibvirtConnection c, bool isDefault)
    {
        if (c.IsAlive)
        {
            try
            {
                return new()
                {
                    Uri = c.Uri,
                    RequestedUri = c.RequestedUri,
                    Hostname = c.GetHostname(),
                    HypervisorType = c.GetHypervisorType(),
                    HypervisorVersion = c.GetHypervisorVersion(),
                    LibvirtVersion = c.GetLibvirtVersion(),
                    IsAlive = true,
                    IsDefault = isDefault,
                };
            }
            catch (LibvirtException) when (!c.IsAlive)
            {
                // Closed under the queries: described as dead below.
            }
        }
        return new KvmConnection { Uri = c.Uri, RequestedUri = c.RequestedUri, IsAlive = false, IsDefault = isDefault };
    }
}
