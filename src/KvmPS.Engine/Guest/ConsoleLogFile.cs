using System.Xml.Linq;

namespace KvmPS.Engine.Guest;

/// <summary>
/// The files a definition writes its serial output to: the log of a serial or console device
/// (<c>&lt;log file='...'/&gt;</c>) or the source of a serial of type file. libvirt opens them on
/// the host that runs the VM, so only a local connection can read them.
/// </summary>
public static class ConsoleLogFile
{
    public sealed record Entry(string Device, int Port, string Path);

    public static List<Entry> Find(string domainXml)
    {
        XElement root = SafeXml.Parse(domainXml);
        var found = new List<Entry>();
        foreach (XElement dev in root.Element("devices")?.Elements().Where(e => e.Name.LocalName is "serial" or "console") ?? Enumerable.Empty<XElement>())
        {
            int port = int.TryParse((string?)dev.Element("target")?.Attribute("port"), out int p) ? p : 0;
            string? path = (string?)dev.Element("log")?.Attribute("file");
            if (path is null && (string?)dev.Attribute("type") == "file")
            {
                path = (string?)dev.Element("source")?.Attribute("path");
            }
            if (path is not null && !found.Any(f => f.Path == path))
            {
                found.Add(new Entry(dev.Name.LocalName, port, path));
            }
        }
        return found;
    }

    /// <summary>The last <paramref name="tail"/> lines (all when null or negative) of a log, carriage returns removed.</summary>
    public static string[] ReadLines(string path, int? tail)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(fs, System.Text.Encoding.UTF8);
        string[] lines = reader.ReadToEnd().Replace("\r", "").Split('\n');
        if (lines.Length > 0 && lines[^1].Length == 0)
        {
            lines = lines[..^1];
        }
        return tail is int t && t >= 0 && t < lines.Length ? lines[^t..] : lines;
    }
}
