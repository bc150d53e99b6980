namespace KvmPS.Engine.Guest;

/// <summary>
/// The bytes a terminal sends for a key: its character (UTF-8), Enter as a carriage return,
/// arrows and editing keys as VT100/xterm escape sequences. Ctrl+] (0x1d) is the escape that
/// leaves the console, as in virsh.
/// On Unix .NET reads the control bytes 0x00 and 0x1c-0x1f from a terminal as Ctrl with a digit
/// key (Ctrl+2, Ctrl+4 .. Ctrl+7, as on a VT keyboard) and no character, so Ctrl+] arrives as
/// Ctrl+5: those keys are mapped back to their bytes here, and Ctrl+5 leaves as Ctrl+] does.
/// PowerShell's host on Unix does not pass the Ctrl modifier on, so a digit key with no character
/// counts as Ctrl and that digit (a plain digit key always has its character).
/// </summary>
public static class ConsoleKeyBytes
{
    public const char EscapeChar = '\u001d';

    /// <summary>Whether the key is the escape that leaves the console: Ctrl+], however the host reports it.</summary>
    public static bool IsEscape(char character, ConsoleKey key, bool control) =>
        character == EscapeChar || (character == '\0' && (key == ConsoleKey.D5 || (control && key == ConsoleKey.Oem6)));

    /// <summary>The control byte of Ctrl with a digit or bracket key that carries no character (see the class remarks); null for others.</summary>
    private static byte? ControlPunctuation(ConsoleKey key, bool control) => key switch
    {
        _ when !control && key is < ConsoleKey.D0 or > ConsoleKey.D9 => null,
        ConsoleKey.D2 => 0x00,
        ConsoleKey.Oem4 => 0x1b,
        ConsoleKey.D4 or ConsoleKey.Oem5 => 0x1c,
        ConsoleKey.D5 or ConsoleKey.Oem6 => 0x1d,
        ConsoleKey.D6 => 0x1e,
        ConsoleKey.D7 or ConsoleKey.OemMinus => 0x1f,
        _ => null,
    };

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
        if (character == '\0' && ControlPunctuation(key, control) is byte b)
        {
            return new[] { b };
        }
        return character == '\0' ? Array.Empty<byte>() : System.Text.Encoding.UTF8.GetBytes(character.ToString());
    }
}
