using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace KvmPS.Engine.Guest;

/// <summary>
/// A scripted console session: each line is typed (with a carriage return, as the Enter key
/// sends) and the output is gathered until <c>Expect</c> matches it, or — without a pattern —
/// until the console has been quiet for <see cref="QuietTime"/>; <c>TimeoutSec</c> bounds each wait.
/// </summary>
public sealed class ConsoleScript
{
    private readonly IConsoleChannel _channel;
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly byte[] _buffer = new byte[16 * 1024];

    public ConsoleScript(IConsoleChannel channel) => _channel = channel;

    public TimeSpan QuietTime { get; init; } = TimeSpan.FromMilliseconds(700);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Whether the console closed (the VM stopped) during the session.</summary>
    public bool Ended { get; private set; }

    /// <summary>One exchange per line; a wait without input when <paramref name="lines"/> is empty.</summary>
    public IEnumerable<KvmConsoleExchange> Run(string vmName, string uri, IReadOnlyList<string> lines, Regex? expect, TimeSpan timeout, CancellationToken cancel)
    {
        if (lines.Count == 0)
        {
            yield return Exchange(vmName, uri, null, expect, timeout, cancel);
            yield break;
        }
        foreach (string line in lines)
        {
            if (Ended)
            {
                yield break;
            }
            yield return Exchange(vmName, uri, line, expect, timeout, cancel);
        }
    }

    private KvmConsoleExchange Exchange(string vmName, string uri, string? line, Regex? expect, TimeSpan timeout, CancellationToken cancel)
    {
        if (line is not null)
        {
            _channel.Send(Encoding.UTF8.GetBytes(line + "\r"));
        }
        var text = new StringBuilder();
        var sw = Stopwatch.StartNew();
        var quiet = Stopwatch.StartNew();
        bool matched = false;
        while (sw.Elapsed < timeout && !Ended)
        {
            cancel.ThrowIfCancellationRequested();
            int n = _channel.Receive(_buffer);
            if (n < 0)
            {
                Ended = true;
                break;
            }
            if (n > 0)
            {
                var chars = new char[_decoder.GetCharCount(_buffer, 0, n)];
                _decoder.GetChars(_buffer, 0, n, chars, 0);
                text.Append(chars);
                quiet.Restart();
                if (expect is not null && expect.IsMatch(Clean(text.ToString(), line)))
                {
                    matched = true;
                    break;
                }
                continue;
            }
            if (expect is null && text.Length > 0 && quiet.Elapsed >= QuietTime)
            {
                break;
            }
            Thread.Sleep(PollInterval);
        }
        bool timedOut = expect is not null && !matched;
        return new KvmConsoleExchange { VMName = vmName, Input = line, Output = Clean(text.ToString(), line), Matched = matched, TimedOut = timedOut, Uri = uri };
    }

    private static readonly Regex s_terminalControl = new("\u001b\\[[0-9;?]*[A-Za-z]|\u001b[()][0-9A-Za-z]", RegexOptions.Compiled);

    /// <summary>
    /// The output without carriage returns, terminal control sequences (colours, cursor queries
    /// such as busybox's ESC[6n) and the terminal's echo of the line typed.
    /// </summary>
    public static string Clean(string output, string? line)
    {
        string s = s_terminalControl.Replace(output.Replace("\r", ""), "");
        if (line is not null && s.StartsWith(line + "\n", StringComparison.Ordinal))
        {
            s = s[(line.Length + 1)..];
        }
        return s;
    }
}
