using System.Diagnostics;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Guest;

/// <summary>
/// The guest agent of one running VM: sends JSON commands through virDomainQemuAgentCommand
/// (libvirt-qemu.so.0) and turns failures into <see cref="GuestAgentException"/>. The transport is
/// a function so that tests can stand in for an agent.
/// </summary>
public sealed class GuestAgent
{
    private readonly Func<string, int, string> _send;
    private (string? Version, Dictionary<string, bool> Commands)? _info;

    public GuestAgent(string vmName, Func<string, int, string> send)
    {
        VMName = vmName;
        _send = send;
    }

    public string VMName { get; }

    /// <summary>Seconds one agent command may take (file reads and writes, status polls).</summary>
    public int CommandTimeoutSec { get; init; } = 30;

    /// <summary>
    /// The agent of a running VM, after checking the definition: no channel is
    /// <see cref="GuestAgentFailure.Absent"/>, a disconnected one <see cref="GuestAgentFailure.NotRunning"/>.
    /// </summary>
    public static GuestAgent Connect(DomainHandle h, string vmName)
    {
        if (!DomainService.IsActive(h))
        {
            throw new GuestAgentException(GuestAgentFailure.VMNotRunning, $"VM '{vmName}' is not running: its guest agent can only be reached while it runs.");
        }
        var (configured, connected) = GuestChannel.Read(LibvirtConnection.GetXml(h));
        if (!configured)
        {
            throw new GuestAgentException(GuestAgentFailure.Absent, GuestAgentErrors.AbsentMessage(vmName));
        }
        if (connected == false)
        {
            throw new GuestAgentException(GuestAgentFailure.NotRunning, GuestAgentErrors.NotRunningMessage(vmName));
        }
        return new GuestAgent(vmName, (json, timeout) => LibvirtQemu.AgentCommand(h, json, timeout));
    }

    /// <summary>Sends one command; <paramref name="timeoutSec"/> defaults to <see cref="CommandTimeoutSec"/>.</summary>
    public string Send(string json, string command, int? timeoutSec = null)
    {
        try
        {
            return _send(json, timeoutSec ?? CommandTimeoutSec);
        }
        catch (LibvirtException e)
        {
            throw GuestAgentErrors.Classify(e, VMName, command);
        }
    }

    /// <summary>guest-ping: whether the agent answers.</summary>
    public void Ping(int timeoutSec = 5) => GuestAgentJson.Return(Send(GuestAgentJson.Command("guest-ping"), "guest-ping", timeoutSec), "guest-ping");

    /// <summary>guest-info, read once: the version and which commands the policy allows.</summary>
    public (string? Version, Dictionary<string, bool> Commands) Info()
    {
        _info ??= GuestAgentJson.ParseInfo(Send(GuestAgentJson.Command("guest-info"), "guest-info"));
        return _info.Value;
    }

    /// <summary>Refuses, before anything runs, when the agent's policy blocks one of <paramref name="commands"/>.</summary>
    public void Require(params string[] commands)
    {
        var (_, known) = Info();
        foreach (string c in commands)
        {
            if (known.TryGetValue(c, out bool enabled) && !enabled)
            {
                throw new GuestAgentException(GuestAgentFailure.CommandDisabled,
                    $"The guest agent of VM '{VMName}' has '{c}' disabled: its policy blocks the command (the default on RHEL-family guests). {GuestAgentErrors.PolicyFix(c)}");
            }
            if (known.Count > 0 && !known.ContainsKey(c))
            {
                throw new GuestAgentException(GuestAgentFailure.CommandUnknown, $"The guest agent of VM '{VMName}' does not offer '{c}': update qemu-guest-agent in the guest.");
            }
        }
    }

    /// <summary>Whether the agent's policy allows every one of <paramref name="commands"/>.</summary>
    public bool Allows(params string[] commands)
    {
        var (_, known) = Info();
        return commands.All(c => known.TryGetValue(c, out bool enabled) && enabled);
    }

    /// <summary>
    /// Runs a program through guest-exec and polls guest-exec-status until it ends, the timeout
    /// passes (the result says TimedOut; the process goes on in the guest) or the token is cancelled.
    /// </summary>
    public KvmGuestScriptResult Exec(GuestScript script, TimeSpan timeout, string uri, CancellationToken cancel, Action<TimeSpan>? waiting = null)
    {
        Require("guest-exec", "guest-exec-status");
        var sw = Stopwatch.StartNew();
        long pid = GuestAgentJson.ExecPid(Send(GuestAgentJson.Exec(script.Path, script.Arguments, script.Input), "guest-exec"));
        int delay = 20;
        while (true)
        {
            GuestAgentJson.ExecStatusReply s = GuestAgentJson.ParseExecStatus(Send(GuestAgentJson.ExecStatus(pid), "guest-exec-status"));
            if (s.Exited || sw.Elapsed >= timeout)
            {
                return new KvmGuestScriptResult
                {
                    VMName = VMName,
                    CommandLine = script.Arguments.Prepend(script.Path).ToArray(),
                    Pid = pid,
                    ExitCode = s.Exited ? s.ExitCode : null,
                    Signal = s.Signal,
                    StdOut = System.Text.Encoding.UTF8.GetString(s.Out),
                    StdErr = System.Text.Encoding.UTF8.GetString(s.Err),
                    StdOutTruncated = s.OutTruncated,
                    StdErrTruncated = s.ErrTruncated,
                    TimedOut = !s.Exited,
                    Duration = sw.Elapsed,
                    Uri = uri,
                };
            }
            waiting?.Invoke(sw.Elapsed);
            if (cancel.WaitHandle.WaitOne(delay))
            {
                cancel.ThrowIfCancellationRequested();
            }
            delay = Math.Min(delay * 2, 500);
        }
    }
}
