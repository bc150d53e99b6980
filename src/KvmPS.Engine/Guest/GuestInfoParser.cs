using System.Text.Json.Nodes;

namespace KvmPS.Engine.Guest;

/// <summary>Reads the agent's guest-get-* replies into the module's types (no I/O; tested with recorded replies).</summary>
public static class GuestInfoParser
{
    public static (string? Name, string? Version, string? Id, string? Kernel, string? Machine) OsInfo(JsonNode? r) => (
        Str(r?["pretty-name"]) ?? Str(r?["name"]),
        Str(r?["version"]) ?? Str(r?["version-id"]),
        Str(r?["id"]),
        Str(r?["kernel-release"]),
        Str(r?["machine"]));

    public static string? HostName(JsonNode? r) => Str(r?["host-name"]);

    public static string[] Users(JsonNode? r) => (r as JsonArray ?? new JsonArray())
        .Select(u => Str(u?["domain"]) is string d ? $"{d}\\{Str(u?["user"])}" : Str(u?["user"]))
        .OfType<string>().Distinct().ToArray();

    public static (string? Zone, TimeSpan? Offset) TimeZone(JsonNode? r) =>
        (Str(r?["zone"]), r?["offset"] is JsonNode o ? TimeSpan.FromSeconds(o.GetValue<long>()) : null);

    public static KvmGuestFileSystem[] FileSystems(JsonNode? r) => (r as JsonArray ?? new JsonArray()).OfType<JsonNode>().Select(f => new KvmGuestFileSystem
    {
        MountPoint = Str(f["mountpoint"]) ?? "",
        Name = Str(f["name"]) ?? "",
        Type = Str(f["type"]) ?? "",
        TotalBytes = f["total-bytes"]?.GetValue<long>(),
        UsedBytes = f["used-bytes"]?.GetValue<long>(),
        Disks = (f["disk"] as JsonArray ?? new JsonArray()).Select(d => Str(d?["dev"]) ?? Str(d?["serial"])).OfType<string>().ToArray(),
    }).ToArray();

    /// <summary>guest-network-get-interfaces: every interface, loopback included, addresses as address/prefix.</summary>
    public static KvmGuestInterface[] Interfaces(JsonNode? r) => (r as JsonArray ?? new JsonArray()).OfType<JsonNode>().Select(i => new KvmGuestInterface
    {
        Name = Str(i["name"]) ?? "",
        MacAddress = Str(i["hardware-address"])?.ToLowerInvariant(),
        IPAddresses = (i["ip-addresses"] as JsonArray ?? new JsonArray()).OfType<JsonNode>()
            .Select(a => Str(a["ip-address"]) is string ip ? (a["prefix"] is JsonNode p ? $"{ip}/{p.GetValue<int>()}" : ip) : null)
            .OfType<string>().ToArray(),
        Source = "Agent",
    }).ToArray();

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrEmpty(s) ? s : null;
}
