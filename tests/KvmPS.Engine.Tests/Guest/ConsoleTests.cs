using System.Text;
using System.Text.RegularExpressions;
using KvmPS.Engine.Guest;
using Xunit;

namespace KvmPS.Engine.Tests.Guest;

public class ConsoleTests
{
    /// <summary>A console like a shell on a serial line: echoes what is typed and answers a line with a reply and a prompt.</summary>
    private sealed class FakeShell : IConsoleChannel
    {
        private readonly Queue<byte[]> _out = new();
        public List<string> Sent { get; } = new();
        public bool Closed { get; set; }

        public int Receive(Span<byte> buffer)
        {
            if (_out.Count == 0)
            {
                return Closed ? -1 : 0;
            }
            byte[] next = _out.Dequeue();
            next.CopyTo(buffer);
            return next.Length;
        }

        public void Send(ReadOnlySpan<byte> data)
        {
            string line = Encoding.UTF8.GetString(data);
            Sent.Add(line);
            string cmd = line.TrimEnd('\r');
            // The echo and the reply in pieces, a multi-byte character split across two reads.
            _out.Enqueue(Encoding.UTF8.GetBytes(cmd + "\r\n"));
            byte[] reply = Encoding.UTF8.GetBytes($"you said: {cmd} ü\r\n");
            _out.Enqueue(reply[..^4]);
            _out.Enqueue(reply[^4..]);
            _out.Enqueue(Encoding.ASCII.GetBytes("kvmps# \u001b[6n"));
        }
    }

    [Fact]
    public void Types_each_line_with_enter_and_waits_for_the_prompt()
    {
        var shell = new FakeShell();
        var x = new ConsoleScript(shell) { PollInterval = TimeSpan.FromMilliseconds(1) }
            .Run("vm", "u", new[] { "uname", "id" }, new Regex("kvmps# $", RegexOptions.Multiline), TimeSpan.FromSeconds(5), default).ToList();
        Assert.Equal(new[] { "uname\r", "id\r" }, shell.Sent);
        Assert.Equal(2, x.Count);
        Assert.True(x[0].Matched);
        Assert.Equal("you said: uname ü\nkvmps# ", x[0].Output);
        Assert.Equal("id", x[1].Input);
    }

    [Fact]
    public void A_pattern_that_never_comes_times_out_and_says_so()
    {
        var shell = new FakeShell();
        var x = new ConsoleScript(shell) { PollInterval = TimeSpan.FromMilliseconds(1) }
            .Run("vm", "u", new[] { "ls" }, new Regex("never"), TimeSpan.FromMilliseconds(200), default).Single();
        Assert.True(x.TimedOut);
        Assert.False(x.Matched);
        Assert.Contains("you said: ls", x.Output);
    }

    [Fact]
    public void Without_a_pattern_it_waits_until_the_console_is_quiet()
    {
        var shell = new FakeShell();
        var x = new ConsoleScript(shell) { PollInterval = TimeSpan.FromMilliseconds(1), QuietTime = TimeSpan.FromMilliseconds(50) }
            .Run("vm", "u", new[] { "a" }, null, TimeSpan.FromSeconds(5), default).Single();
        Assert.False(x.TimedOut);
        Assert.EndsWith("kvmps# ", x.Output);
    }

    [Fact]
    public void A_console_that_closes_ends_the_session()
    {
        var shell = new FakeShell { Closed = true };
        var script = new ConsoleScript(shell) { PollInterval = TimeSpan.FromMilliseconds(1) };
        var x = script.Run("vm", "u", new[] { "a", "b" }, new Regex("never"), TimeSpan.FromSeconds(5), default).ToList();
        Assert.True(script.Ended);
        Assert.Single(x);
    }

    [Theory]
    [InlineData("ls\nfile\n", "ls", "file\n")]
    [InlineData("\u001b[1;32mgreen\u001b[0m\r\n", null, "green\n")]
    [InlineData("other\nx", "ls", "other\nx")]
    public void Cleans_the_echo_and_terminal_sequences(string raw, string? line, string clean)
    {
        Assert.Equal(clean, ConsoleScript.Clean(raw, line));
    }

    [Theory]
    [InlineData('\0', ConsoleKey.UpArrow, false, "\u001b[A")]
    [InlineData('\r', ConsoleKey.Enter, false, "\r")]
    [InlineData('\u0003', ConsoleKey.C, true, "\u0003")]
    [InlineData('\0', ConsoleKey.D, true, "\u0004")]
    [InlineData('é', ConsoleKey.Oem1, false, "é")]
    [InlineData('\b', ConsoleKey.Backspace, false, "\u007f")]
    public void Keys_become_the_bytes_a_terminal_sends(char c, ConsoleKey key, bool control, string expected)
    {
        Assert.Equal(Encoding.UTF8.GetBytes(expected), ConsoleKeyBytes.From(c, key, control));
        Assert.Equal('\u001d', ConsoleKeyBytes.EscapeChar);
    }

    // What .NET on Unix reports for the control bytes without a letter: Ctrl and a digit key, no character.
    // PowerShell's host on Unix passes no Ctrl modifier, so the digit key alone says it.
    [Theory]
    [InlineData(ConsoleKey.D2, true, 0x00)]
    [InlineData(ConsoleKey.D4, false, 0x1c)]
    [InlineData(ConsoleKey.D5, false, 0x1d)]
    [InlineData(ConsoleKey.D6, true, 0x1e)]
    [InlineData(ConsoleKey.D7, false, 0x1f)]
    [InlineData(ConsoleKey.Oem6, true, 0x1d)]
    public void Control_digit_keys_without_a_character_become_their_control_bytes(ConsoleKey key, bool control, int expected) =>
        Assert.Equal(new[] { (byte)expected }, ConsoleKeyBytes.From('\0', key, control));

    [Fact]
    public void A_bracket_key_without_a_character_and_without_ctrl_sends_nothing() =>
        Assert.Empty(ConsoleKeyBytes.From('\0', ConsoleKey.Oem6, control: false));

    [Theory]
    [InlineData('\u001d', ConsoleKey.Oem6, true, true)]     // Windows: Ctrl+] with its character
    [InlineData('\0', ConsoleKey.D5, true, true)]           // Unix terminal: 0x1d read as Ctrl+5
    [InlineData('\0', ConsoleKey.D5, false, true)]          // ... and PowerShell's host drops the Ctrl
    [InlineData('\0', ConsoleKey.Oem6, true, true)]
    [InlineData('5', ConsoleKey.D5, false, false)]
    [InlineData(']', ConsoleKey.Oem6, false, false)]
    [InlineData('\u0003', ConsoleKey.C, true, false)]       // Ctrl+C goes to the guest
    [InlineData('\0', ConsoleKey.D4, true, false)]
    [InlineData('\0', ConsoleKey.Oem6, false, false)]
    public void Ctrl_close_bracket_is_the_escape_however_the_host_reports_it(char c, ConsoleKey key, bool control, bool escape) =>
        Assert.Equal(escape, ConsoleKeyBytes.IsEscape(c, key, control));

    [Fact]
    public void Finds_the_log_files_of_serial_and_console_devices()
    {
        string xml = "<domain><devices>" +
            "<serial type='pty'><log file='/var/log/a.log' append='off'/><target port='0'/></serial>" +
            "<serial type='file'><source path='/var/log/b.log'/><target port='1'/></serial>" +
            "<console type='pty'><log file='/var/log/a.log'/><target type='serial' port='0'/></console>" +
            "<serial type='pty'><target port='2'/></serial></devices></domain>";
        var found = ConsoleLogFile.Find(xml);
        Assert.Equal(new[] { ("/var/log/a.log", 0), ("/var/log/b.log", 1) }, found.Select(f => (f.Path, f.Port)));
        Assert.Empty(ConsoleLogFile.Find("<domain><devices/></domain>"));
    }

    [Fact]
    public void Reads_a_log_or_its_tail_without_carriage_returns()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "one\r\ntwo\r\nthree\r\n");
            Assert.Equal(new[] { "one", "two", "three" }, ConsoleLogFile.ReadLines(file, null));
            Assert.Equal(new[] { "two", "three" }, ConsoleLogFile.ReadLines(file, 2));
            Assert.Empty(ConsoleLogFile.ReadLines(file, 0));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
