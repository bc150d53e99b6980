using System.Globalization;
using System.Net;
using KvmPS.Engine.HostChecks;

namespace KvmPS.Engine.Networks;

/// <summary>A route of the host's main routing table.</summary>
public sealed record HostRoute(IpSubnet Destination, string Interface);
