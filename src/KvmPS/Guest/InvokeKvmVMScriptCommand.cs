using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Guest;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Runs a script or a program inside running VMs through the QEMU guest agent (guest-exec).</summary>
[Cmdlet(VerbsLifecycle.Invoke, "KvmVMScript")]
[OutputType(typeof(KvmGuestScriptResult))]
public sealed class InvokeKvmVMScriptCommand : KvmGuestCmdlet
{
    /// <summary>Script text for the guest's shell (sent on its standard input; -ArgumentList become $1, $2...).</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? ScriptText { get; set; }

    /// <summary>A local script file whose text is run by the guest's shell.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FilePath { get; set; }

    /// <summary>A program in the guest, run directly without a shell (its PATH is searched).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Command { get; set; }

    /// <summary>Arguments for the script ($1, $2...) or the program.</summary>
    [Parameter]
    [Alias("Args")]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string[] ArgumentList { get; set; } = Array.Empty<string>();

    /// <summary>Seconds to wait for the program to end (default 60); after that the result says TimedOut and the program keeps running.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 60;

    /// <summary>The shell that runs -ScriptText and -FilePath (default /bin/sh).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string Shell { get; set; } = GuestScript.DefaultShell;

    private GuestScript? _script;

    protected override void BeginProcessing()
    {
        int given = new[] { ScriptText, FilePath, Command }.Count(s => s is not null);
        if (given != 1)
        {
            string m = given == 0
                ? "Say what to run: -ScriptText, -FilePath or -Command."
                : "Give only one of -ScriptText, -FilePath and -Command.";
            ThrowTerminatingError(Refuse(given == 0 ? "ScriptRequired" : "ScriptGivenTwice", ErrorCategory.InvalidArgument, "", m));
        }
        if (FilePath is not null)
        {
            string path = GetUnresolvedProviderPathFromPSPath(FilePath);
            if (!File.Exists(path))
            {
                ThrowTerminatingError(ErrorHelper.Create(new FileNotFoundException(path), "ScriptFileNotFound", ErrorCategory.ObjectNotFound, FilePath, $"The script file '{path}' does not exist."));
            }
            _script = GuestScript.FromText(File.ReadAllText(path), ArgumentList, Shell);
        }
        else
        {
            _script = Command is not null ? GuestScript.FromCommand(Command, ArgumentList) : GuestScript.FromText(ScriptText!, ArgumentList, Shell);
        }
        base.BeginProcessing();
    }

    protected override void ProcessGuest(LibvirtConnection conn, DomainHandle domain, string name)
    {
        GuestAgent agent = GuestAgent.Connect(domain, name);
        var progress = new ProgressRecord(1, $"Running in VM '{name}'", $"{_script!.Path} {string.Join(' ', _script.Arguments)}");
        KvmGuestScriptResult result;
        try
        {
            result = agent.Exec(_script, TimeSpan.FromSeconds(TimeoutSec), conn.Uri, CancelToken, elapsed =>
            {
                progress.SecondsRemaining = Math.Max(0, TimeoutSec - (int)elapsed.TotalSeconds);
                progress.PercentComplete = (int)Math.Min(99, elapsed.TotalSeconds * 100 / TimeoutSec);
                WriteProgress(progress);
            });
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
        if (result.TimedOut)
        {
            WriteWarning($"The program in VM '{name}' (pid {result.Pid}) was still running after {TimeoutSec} s; it goes on in the guest, and the output so far is returned.");
        }
        if (result.Truncated)
        {
            WriteWarning($"The guest agent cut the output of pid {result.Pid} in VM '{name}' at its limit (16 MiB per stream in qemu-ga; StdOutTruncated/StdErrTruncated say which). Write large output to a file in the guest and copy it with Copy-KvmVMFile -FromGuest.");
        }
        WriteObject(result);
    }
}
