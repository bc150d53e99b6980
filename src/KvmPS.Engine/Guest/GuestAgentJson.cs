using System.Text.Json;
using System.Text.Json.Nodes;

namespace KvmPS.Engine.Guest;

/// <summary>
/// The JSON of the QEMU guest agent protocol (qga/qapi-schema.json): commands as
/// <c>{"execute": name, "arguments": {...}}</c>, replies as <c>{"return": ...}</c> or
/// <c>{"error": {"class", "desc"}}</c>. Only building and reading; sending is <see cref="GuestAgent"/>'s.
/// </summary>
public static class GuestAgentJson
{
    /// <summary>A command with optional arguments, as one line of JSON.</summary>
    public static string Command(string name, JsonObject? arguments = null)
    {
        var o = new JsonObject { ["execute"] = name };
        if (arguments is not null)
        {
            o["arguments"] = arguments;
        }
        return o.ToJsonString();
    }

    /// <summary>guest-exec: runs <paramref name="path"/> with <paramref name="args"/>, stdin from <paramref name="input"/>, output captured.</summary>
    public static string Exec(string path, IEnumerable<string> args, byte[]? input, bool captureOutput = true)
    {
        var a = new JsonObject
        {
            ["path"] = path,
            ["arg"] = new JsonArray(args.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
            ["capture-output"] = captureOutput,
        };
        if (input is { Length: > 0 })
        {
            a["input-data"] = Convert.ToBase64String(input);
        }
        return Command("guest-exec", a);
    }

    public static string ExecStatus(long pid) => Command("guest-exec-status", new JsonObject { ["pid"] = pid });

    public static string FileOpen(string path, string mode) => Command("guest-file-open", new JsonObject { ["path"] = path, ["mode"] = mode });

    public static string FileRead(long handle, int count) => Command("guest-file-read", new JsonObject { ["handle"] = handle, ["count"] = count });

    public static string FileWrite(long handle, ReadOnlySpan<byte> data) =>
        Command("guest-file-write", new JsonObject { ["handle"] = handle, ["buf-b64"] = Convert.ToBase64String(data) });

    public static string FileClose(long handle) => Command("guest-file-close", new JsonObject { ["handle"] = handle });

    /// <summary>The "return" member of a reply; an "error" reply throws CommandFailed with the agent's description.</summary>
    public static JsonNode? Return(string reply, string command)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(reply);
        }
        catch (JsonException e)
        {
            throw new GuestAgentException(GuestAgentFailure.CommandFailed, $"The guest agent's reply to '{command}' is not JSON: {e.Message}", e);
        }
        if (root is JsonObject o && o["error"] is JsonObject err)
        {
            string desc = err["desc"]?.GetValue<string>() ?? err.ToJsonString();
            var kind = desc.Contains("disabled", StringComparison.OrdinalIgnoreCase) ? GuestAgentFailure.CommandDisabled : GuestAgentFailure.CommandFailed;
            throw new GuestAgentException(kind, $"The guest agent failed '{command}': {desc}");
        }
        if (root is not JsonObject ok || !ok.ContainsKey("return"))
        {
            throw new GuestAgentException(GuestAgentFailure.CommandFailed, $"The guest agent's reply to '{command}' has no result: {reply}");
        }
        return ok["return"];
    }

    /// <summary>The status of a guest-exec process.</summary>
    public sealed record ExecStatusReply(bool Exited, int? ExitCode, int? Signal, byte[] Out, byte[] Err, bool OutTruncated, bool ErrTruncated);

    public static long ExecPid(string reply) => Return(reply, "guest-exec")?["pid"]?.GetValue<long>()
        ?? throw new GuestAgentException(GuestAgentFailure.CommandFailed, "guest-exec returned no pid");

    public static ExecStatusReply ParseExecStatus(string reply)
    {
        JsonNode r = Return(reply, "guest-exec-status") ?? new JsonObject();
        return new ExecStatusReply(
            r["exited"]?.GetValue<bool>() ?? false,
            r["exitcode"]?.GetValue<int>(),
            r["signal"]?.GetValue<int>(),
            Bytes(r["out-data"]),
            Bytes(r["err-data"]),
            r["out-truncated"]?.GetValue<bool>() ?? false,
            r["err-truncated"]?.GetValue<bool>() ?? false);
    }

    /// <summary>One guest-file-read answer: the bytes and whether the end of the file was reached.</summary>
    public static (byte[] Data, bool Eof) ParseFileRead(string reply)
    {
        JsonNode r = Return(reply, "guest-file-read") ?? new JsonObject();
        return (Bytes(r["buf-b64"]), r["eof"]?.GetValue<bool>() ?? false);
    }

    public static long ParseFileWrite(string reply) => Return(reply, "guest-file-write")?["count"]?.GetValue<long>() ?? 0;

    public static long ParseHandle(string reply) => Return(reply, "guest-file-open")?.GetValue<long>()
        ?? throw new GuestAgentException(GuestAgentFailure.CommandFailed, "guest-file-open returned no handle");

    /// <summary>guest-info: the agent's version and, per command, whether its policy allows it.</summary>
    public static (string? Version, Dictionary<string, bool> Commands) ParseInfo(string reply)
    {
        JsonNode r = Return(reply, "guest-info") ?? new JsonObject();
        var commands = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (JsonNode? c in r["supported_commands"]?.AsArray() ?? new JsonArray())
        {
            if (c?["name"]?.GetValue<string>() is string name)
            {
                commands[name] = c["enabled"]?.GetValue<bool>() ?? true;
            }
        }
        return (r["version"]?.GetValue<string>(), commands);
    }

    private static byte[] Bytes(JsonNode? b64) => b64?.GetValue<string>() is { Length: > 0 } s ? Convert.FromBase64String(s) : Array.Empty<byte>();
}
