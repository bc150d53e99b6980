using System.Text.RegularExpressions;

namespace KvmPS.Engine.Conversion;

/// <summary>-serial, -display and -vnc of a QEMU command line: the guest's console and graphics.</summary>
internal static class QemuConsoleOptions
{
    public static void Serial(QemuVmModel vm, string value)
    {
        vm.SerialGiven = true;
        if (value is "stdio" or "mon:stdio" or "pty" || value.StartsWith("chardev:", StringComparison.Ordinal))
        {
            vm.Serial = "pty";
        }
        else if (value.StartsWith("file:", StringComparison.Ordinal))
        {
            vm.Serial = value;
        }
        else if (value is "none" or "null")
        {
            vm.Serial = null;
        }
        else
        {
            vm.Unknown.Add($"-serial {value}: only stdio, pty, file: and none are read");
            return;
        }
        vm.Mapped.Add($"-serial {value} → {(vm.Serial is null ? "no serial port" : vm.Serial == "pty" ? "serial console (pty)" : $"serial to {vm.Serial[5..]}")}");
    }

    public static void Display(QemuVmModel vm, string value)
    {
        var d = QemuOptionValue.Parse("-display", value, "type");
        if (d.Implied == "none")
        {
            vm.Graphics = false;
            vm.Mapped.Add("-display none → no graphics");
        }
        else if (d.Implied?.StartsWith("vnc", StringComparison.Ordinal) == true)
        {
            Vnc(vm, value.Contains('=') ? value[(value.IndexOf('=') + 1)..] : ":0");
        }
        else
        {
            vm.Graphics = false;
            vm.Unknown.Add($"-display {value}: a window on this host is not carried (add VNC graphics after import)");
        }
    }

    public static void Vnc(QemuVmModel vm, string value)
    {
        Match m = Regex.Match(value.Split(',')[0], @"^([^:]*):(\d+)$");
        if (!m.Success)
        {
            throw new QemuCommandLineException("QemuBadDisplay", $"-vnc {value}: give [address]:display, e.g. :0 or 127.0.0.1:1.");
        }
        vm.Graphics = true;
        vm.VncListen = m.Groups[1].Value.Length > 0 ? m.Groups[1].Value : "127.0.0.1";
        vm.VncPort = 5900 + int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        vm.Mapped.Add($"-vnc {value} → VNC graphics on {vm.VncListen}:{vm.VncPort}");
    }
}
