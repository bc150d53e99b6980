namespace KvmPS.Engine.Guest;

/// <summary>
/// The bytes a terminal sends for a key: its character (UTF-8), Enter as a carriage return,
/// arrows and editing keys as VT100/xterm escape sequences. Ctrl+] (0x1d) is the escape that
/// leaves the console, as in virsh.
/// </summary>
public static class ConsoleKeyBytes
{
    public const char EscapeChar = '\u001d';

    public static byte[] From(char character, ConsoleKey key, bool control)
    {
        string? seq = key switch
        {
            ConsoleKey.UpArrow => "\u001b[A",
            ConsoleKey.DownArrow => "\u001b[B",
            ConsoleKey.RightArrow => "\u001b[C",
            ConsoleKey.LeftArrow => "\u001b[D",
            ConsoleKey.Home => "\u001b[H",
            ConsoleKey.End => "\u001b[F",
            ConsoleKey.Delete => "\u001b[3~",
            ConsoleKey.PageUp => "\u001b[5~",
            ConsoleKey.PageDown => "\u001b[6~",
            ConsoleKey.Enter => "\r",
            ConsoleKey.Backspace => "\u007f",
            ConsoleKey.Tab => "\t",
            ConsoleKey.Escape => "\u001b",
            _ => null,
        };
        if (seq is not null)
        {
            return System.Text.Encoding.ASCII.GetBytes(seq);
        }
        if (control && key is >= ConsoleKey.A and <= ConsoleKey.Z && character == '\0')
        {
            return new[] { (byte)(key - ConsoleKey.A + 1) };
        }
        return character == '\0' ? Array.Empty<byte>() : System.Text.Encoding.UTF8.GetBytes(character.ToString());
    }
}
