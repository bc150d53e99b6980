using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KvmPS.Engine.Guest;

namespace KvmPS.Engine.Tests.Guest;

/// <summary>
/// A stand-in for qemu-ga behind virDomainQemuAgentCommand: files in memory, guest-exec of the
/// few programs the module runs (sha256sum, chmod, stat, sh), guest-info with a policy. Every
/// request is recorded so tests can check what was sent.
/// </summary>
internal sealed class FakeGuestAgent
{
    public Dictionary<string, byte[]> Files { get; } = new();
    public Dictionary<string, string> Modes { get; } = new();
    public HashSet<string> Disabled { get; } = new();
    public List<string> Requests { get; } = new();
    public bool CorruptWrites { get; set; }
    public Func<string, IReadOnlyList<string>, byte[], (int Exit, string Out, string Err)>? Program { get; set; }

    private readonly Dictionary<long, (string Path, MemoryStream Data, bool Write)> _open = new();
    private readonly Dictionary<long, (int Exit, string Out, string Err)> _procs = new();
    private long _next = 1000;

    public GuestAgent Agent(string vm = "vm1") => new(vm, (json, _) => Handle(json));

    private static readonly string[] s_commands =
    {
        "guest-ping", "guest-info", "guest-exec", "guest-exec-status", "guest-file-open", "guest-file-read",
        "guest-file-write", "guest-file-close", "guest-get-osinfo", "guest-get-host-name",
    };

    public string Handle(string json)
    {
        Requests.Add(json);
        JsonNode cmd = JsonNode.Parse(json)!;
        string name = cmd["execute"]!.GetValue<string>();
        JsonNode? a = cmd["arguments"];
        if (Disabled.Contains(name))
        {
            throw new LibvirtException("virDomainQemuAgentCommand", LibvirtErrorCode.InternalError, 10,
                $"internal error: unable to execute QEMU agent command '{name}': The command {name} has been disabled for this instance");
        }
        JsonNode? result;
        switch (name)
        {
            case "guest-ping":
                result = new JsonObject();
                break;
            case "guest-info":
                result = new JsonObject
                {
                    ["version"] = "7.2.0",
                    ["supported_commands"] = new JsonArray(s_commands.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["enabled"] = !Disabled.Contains(c) }).ToArray()),
                };
                break;
            case "guest-file-open":
            {
                string path = a!["path"]!.GetValue<string>();
                bool write = a["mode"]!.GetValue<string>().StartsWith('w');
                if (!write && !Files.ContainsKey(path))
                {
                    throw new LibvirtException("virDomainQemuAgentCommand", LibvirtErrorCode.InternalError, 10,
                        $"internal error: unable to execute QEMU agent command 'guest-file-open': failed to open file '{path}' (mode: 'r'): No such file or directory");
                }
                long h = _next++;
                _open[h] = (path, write ? new MemoryStream() : new MemoryStream(Files[path]), write);
                result = h;
                break;
            }
            case "guest-file-write":
            {
                var f = _open[a!["handle"]!.GetValue<long>()];
                byte[] data = Convert.FromBase64String(a["buf-b64"]!.GetValue<string>());
                if (CorruptWrites && data.Length > 0)
                {
                    data[0] ^= 0xff;
                }
                f.Data.Write(data);
                result = new JsonObject { ["count"] = data.Length, ["eof"] = false };
                break;
            }
            case "guest-file-read":
            {
                var f = _open[a!["handle"]!.GetValue<long>()];
                var buf = new byte[a["count"]!.GetValue<int>()];
                int n = f.Data.Read(buf);
                result = new JsonObject { ["count"] = n, ["buf-b64"] = Convert.ToBase64String(buf, 0, n), ["eof"] = f.Data.Position == f.Data.Length };
                break;
            }
            case "guest-file-close":
            {
                long h = a!["handle"]!.GetValue<long>();
                if (_open[h].Write)
                {
                    Files[_open[h].Path] = _open[h].Data.ToArray();
                }
                _open.Remove(h);
                result = new JsonObject();
                break;
            }
            case "guest-exec":
            {
                string path = a!["path"]!.GetValue<string>();
                var args = (a["arg"] as JsonArray ?? new JsonArray()).Select(x => x!.GetValue<string>()).ToList();
                byte[] input = a["input-data"] is JsonNode i ? Convert.FromBase64String(i.GetValue<string>()) : Array.Empty<byte>();
                long pid = _next++;
                _procs[pid] = Run(path, args, input);
                result = new JsonObject { ["pid"] = pid };
                break;
            }
            case "guest-exec-status":
            {
                var p = _procs[a!["pid"]!.GetValue<long>()];
                result = new JsonObject
                {
                    ["exited"] = true, ["exitcode"] = p.Exit,
                    ["out-data"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(p.Out)),
                    ["err-data"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(p.Err)),
                };
                break;
            }
            default:
                throw new LibvirtException("virDomainQemuAgentCommand", LibvirtErrorCode.InternalError, 10, $"The command {name} has not been found");
        }
        return new JsonObject { ["return"] = result }.ToJsonString();
    }

    private (int, string, string) Run(string path, List<string> args, byte[] input)
    {
        switch (path)
        {
            case "sha256sum" when Files.TryGetValue(args[0], out byte[]? data):
                return (0, $"{Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant()}  {args[0]}\n", "");
            case "chmod" when Files.ContainsKey(args[1]):
                Modes[args[1]] = args[0];
                return (0, "", "");
            case "stat" when Files.ContainsKey(args[2]):
                return (0, (Modes.TryGetValue(args[2], out string? m) ? m : "644") + "\n", "");
        }
        return Program?.Invoke(path, args, input) ?? (127, "", $"{path}: not found\n");
    }
}
