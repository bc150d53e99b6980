using System.Management.Automation;
using System.Management.Automation.Host;
using System.Text.RegularExpressions;
using KvmPS.Engine;
using KvmPS.Engine.Guest;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Connects to the serial console of a running VM (virDomainOpenConsole), locally or remotely:
/// interactively in the PowerShell host until Ctrl+], or scripted with -InputObject and -Expect.
/// </summary>
[Cmdlet(VerbsCommon.Enter, "KvmVMConsole")]
[OutputType(typeof(KvmConsoleExchange))]
public sealed class EnterKvmVMConsoleCommand : KvmGuestCmdlet
{
    /// <summary>Lines to type into the console, one after the other (each followed by Enter); makes the session scripted.</summary>
    [Parameter]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string[]? InputObject { get; set; }

    /// <summary>A regular expression that ends each wait when the console prints it (e.g. the shell prompt); makes the session scripted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Expect { get; set; }

    /// <summary>Seconds each scripted wait may take (default 30).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 30;

    /// <summary>The character device to open (its alias, e.g. serial0 or console1); by default the first console.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Device { get; set; }

    /// <summary>Takes the console from another client that holds it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private bool Scripted => InputObject is not null || Expect is not null;

    protected override void ProcessGuest(LibvirtConnection conn, DomainHandle domain, string name)
    {
        Regex? expect = null;
        if (Expect is not null)
        {
            try
            {
                expect = new Regex(Expect, RegexOptions.Multiline);
            }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(Refuse("ExpectInvalid", ErrorCategory.InvalidArgument, Expect, $"-Expect is not a valid regular expression: {e.Message}"));
            }
        }
        if (!Scripted && !CanReadKeys())
        {
            WriteError(Refuse("ConsoleNotInteractive", ErrorCategory.InvalidOperation, name,
                "This PowerShell host cannot read keys (it is not interactive or its input is redirected): give -InputObject and/or -Expect for a scripted session."));
            return;
        }
        if (!KvmPS.Engine.Domains.DomainService.IsActive(domain))
        {
            throw new GuestAgentException(GuestAgentFailure.VMNotRunning, $"VM '{name}' is not running: its console can only be opened while it runs.");
        }
        using ConsoleSession session = ConsoleSession.Open(conn, domain, Device, Force);
        if (Scripted)
        {
            var script = new ConsoleScript(session);
            foreach (KvmConsoleExchange x in script.Run(name, conn.Uri, InputObject ?? Array.Empty<string>(), expect, TimeSpan.FromSeconds(TimeoutSec), CancelToken))
            {
                if (x.TimedOut)
                {
                    WriteWarning($"'{Expect}' did not appear on the console of VM '{name}' within {TimeoutSec} s{(x.Input is null ? "" : $" after '{x.Input}'")}.");
                }
                WriteObject(x);
            }
            if (script.Ended)
            {
                WriteWarning($"The console of VM '{name}' closed during the session (did the VM stop?).");
            }
            return;
        }
        Interactive(session, name);
    }

    private bool CanReadKeys()
    {
        try
        {
            if (Host.UI.RawUI is null || Console.IsInputRedirected)
            {
                return false;
            }
            _ = Host.UI.RawUI.KeyAvailable; // throws in hosts without a keyboard
            return true;
        }
        catch (Exception e) when (e is NotImplementedException or NotSupportedException or InvalidOperationException or PSNotImplementedException)
        {
            return false;
        }
    }

    private void Interactive(ConsoleSession session, string name)
    {
        Host.UI.WriteLine($"Connected to the console of VM '{name}'. Leave with Ctrl+].");
        var decoder = System.Text.Encoding.UTF8.GetDecoder();
        var buffer = new byte[16 * 1024];
        bool savedCtrlC = Console.TreatControlCAsInput;
        try
        {
            Console.TreatControlCAsInput = true; // Ctrl+C goes to the guest, not to PowerShell
        }
        catch (IOException)
        {
            // a host without a console window: Ctrl+C stays PowerShell's
        }
        try
        {
            while (!CancelToken.IsCancellationRequested)
            {
                bool busy = false;
                int n = session.Receive(buffer);
                if (n < 0)
                {
                    Host.UI.WriteLine();
                    WriteWarning($"The console of VM '{name}' closed (did the VM stop?).");
                    return;
                }
                if (n > 0)
                {
                    var chars = new char[decoder.GetCharCount(buffer, 0, n)];
                    decoder.GetChars(buffer, 0, n, chars, 0);
                    Host.UI.Write(new string(chars));
                    busy = true;
                }
                while (Host.UI.RawUI.KeyAvailable)
                {
                    KeyInfo key = Host.UI.RawUI.ReadKey(ReadKeyOptions.NoEcho | ReadKeyOptions.IncludeKeyDown);
                    bool control = (key.ControlKeyState & (ControlKeyStates.LeftCtrlPressed | ControlKeyStates.RightCtrlPressed)) != 0;
                    if (ConsoleKeyBytes.IsEscape(key.Character, (ConsoleKey)key.VirtualKeyCode, control))
                    {
                        Host.UI.WriteLine();
                        return;
                    }
                    session.Send(ConsoleKeyBytes.From(key.Character, (ConsoleKey)key.VirtualKeyCode, control));
                    busy = true;
                }
                if (!busy)
                {
                    Thread.Sleep(15);
                }
            }
        }
        finally
        {
            try
            {
                Console.TreatControlCAsInput = savedCtrlC;
            }
            catch (IOException)
            {
                // nothing to restore
            }
        }
    }
}
