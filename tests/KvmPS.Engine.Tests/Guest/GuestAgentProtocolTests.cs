using System.Text;
using System.Text.Json.Nodes;
using KvmPS.Engine.Guest;
using Xunit;

namespace KvmPS.Engine.Tests.Guest;

public class GuestAgentProtocolTests
{
    [Fact]
    public void Guest_exec_carries_the_path_the_arguments_and_stdin_as_base64_with_output_captured()
    {
        GuestScript s = GuestScript.FromText("echo \"$1\"\r\nexit 2", new[] { "a b" });
        JsonNode cmd = JsonNode.Parse(GuestAgentJson.Exec(s.Path, s.Arguments, s.Input))!;
        Assert.Equal("guest-exec", cmd["execute"]!.GetValue<string>());
        Assert.Equal("/bin/sh", cmd["arguments"]!["path"]!.GetValue<string>());
        Assert.Equal(new[] { "-s", "--", "a b" }, cmd["arguments"]!["arg"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.True(cmd["arguments"]!["capture-output"]!.GetValue<bool>());
        Assert.Equal("echo \"$1\"\nexit 2\n", Encoding.UTF8.GetString(Convert.FromBase64String(cmd["arguments"]!["input-data"]!.GetValue<string>())));
    }

    [Fact]
    public void A_command_runs_without_a_shell_and_sends_no_stdin()
    {
        GuestScript s = GuestScript.FromCommand("systemctl", new[] { "is-active", "nginx" });
        JsonNode cmd = JsonNode.Parse(GuestAgentJson.Exec(s.Path, s.Arguments, s.Input))!;
        Assert.Equal("systemctl", cmd["arguments"]!["path"]!.GetValue<string>());
        Assert.Null(cmd["arguments"]!["input-data"]);
    }

    [Fact]
    public void Exec_status_decodes_output_and_truncation_flags()
    {
        string reply = "{\"return\":{\"exited\":true,\"exitcode\":3,\"out-data\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes("héllo\n")) +
            "\",\"err-data\":\"ZXJy\",\"out-truncated\":true}}";
        var s = GuestAgentJson.ParseExecStatus(reply);
        Assert.True(s.Exited);
        Assert.Equal(3, s.ExitCode);
        Assert.Equal("héllo\n", Encoding.UTF8.GetString(s.Out));
        Assert.Equal("err", Encoding.UTF8.GetString(s.Err));
        Assert.True(s.OutTruncated);
        Assert.False(s.ErrTruncated);
    }

    [Fact]
    public void File_commands_and_their_replies()
    {
        Assert.Equal("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":7,\"count\":65536}}", GuestAgentJson.FileRead(7, 65536));
        Assert.Equal("{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":7,\"buf-b64\":\"AAEC\"}}", GuestAgentJson.FileWrite(7, new byte[] { 0, 1, 2 }));
        var (data, eof) = GuestAgentJson.ParseFileRead("{\"return\":{\"count\":3,\"buf-b64\":\"AAEC\",\"eof\":true}}");
        Assert.Equal(new byte[] { 0, 1, 2 }, data);
        Assert.True(eof);
        Assert.Equal(1000, GuestAgentJson.ParseHandle("{\"return\":1000}"));
    }

    [Fact]
    public void An_error_reply_is_classified_and_a_disabled_command_says_so()
    {
        var e = Assert.Throws<GuestAgentException>(() => GuestAgentJson.Return("{\"error\":{\"class\":\"GenericError\",\"desc\":\"The command guest-exec has been disabled for this instance\"}}", "guest-exec"));
        Assert.Equal(GuestAgentFailure.CommandDisabled, e.Failure);
        var f = Assert.Throws<GuestAgentException>(() => GuestAgentJson.Return("not json", "guest-ping"));
        Assert.Equal(GuestAgentFailure.CommandFailed, f.Failure);
    }

    [Fact]
    public void Guest_info_lists_which_commands_the_policy_allows()
    {
        var (version, commands) = GuestAgentJson.ParseInfo("{\"return\":{\"version\":\"8.2.0\",\"supported_commands\":[{\"enabled\":false,\"name\":\"guest-exec\"},{\"enabled\":true,\"name\":\"guest-ping\"}]}}");
        Assert.Equal("8.2.0", version);
        Assert.False(commands["guest-exec"]);
        Assert.True(commands["guest-ping"]);
    }

    [Fact]
    public void Exec_polls_until_the_process_ends_and_refuses_a_blocked_policy_first()
    {
        var fake = new FakeGuestAgent { Program = (p, a, i) => (5, Encoding.UTF8.GetString(i).ToUpperInvariant(), "") };
        KvmGuestScriptResult r = fake.Agent().Exec(GuestScript.FromText("abc", null), TimeSpan.FromSeconds(5), "u", default);
        Assert.Equal(5, r.ExitCode);
        Assert.Equal("ABC\n", r.StdOut);
        Assert.False(r.TimedOut);
        Assert.Equal(new[] { "/bin/sh", "-s", "--" }, r.CommandLine);

        var blocked = new FakeGuestAgent();
        blocked.Disabled.Add("guest-exec");
        var e = Assert.Throws<GuestAgentException>(() => blocked.Agent().Exec(GuestScript.FromCommand("id", null), TimeSpan.FromSeconds(5), "u", default));
        Assert.Equal(GuestAgentFailure.CommandDisabled, e.Failure);
        Assert.Contains("/etc/sysconfig/qemu-ga", e.Message);
        Assert.DoesNotContain(blocked.Requests, q => q.Contains("\"guest-exec\","));
    }

    [Fact]
    public void Exec_that_does_not_end_in_time_returns_timed_out_without_an_exit_code()
    {
        int polls = 0;
        var agent = new GuestAgent("vm", (json, _) => json.Contains("guest-info") ? "{\"return\":{\"version\":\"1\",\"supported_commands\":[]}}"
            : json.Contains("\"guest-exec\"") ? "{\"return\":{\"pid\":9}}"
            : (++polls > 0 ? "{\"return\":{\"exited\":false}}" : ""));
        KvmGuestScriptResult r = agent.Exec(GuestScript.FromCommand("sleep", new[] { "100" }), TimeSpan.FromMilliseconds(300), "u", default);
        Assert.True(r.TimedOut);
        Assert.Null(r.ExitCode);
        Assert.True(polls >= 2);
    }
}
