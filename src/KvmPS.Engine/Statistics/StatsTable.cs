using System.Globalization;
using System.Text;

namespace KvmPS.Engine.Statistics;

/// <summary>The text of Watch-KvmVM's live table: one line per VM, columns of fixed width, busiest first.</summary>
public static class StatsTable
{
    private static readonly (string Header, int Width)[] s_columns =
    {
        ("VMName", 24), ("State", 9), ("vCPUs", 5), ("CPU%", 7), ("MemMiB", 8), ("RssMiB", 8),
        ("DiskRdKiB/s", 11), ("DiskWrKiB/s", 11), ("NetRxKiB/s", 10), ("NetTxKiB/s", 10),
    };

    /// <summary>The lines of the table: a title with the time, the header, then the VMs by CPU use.</summary>
    public static List<string> Render(IReadOnlyList<KvmVMStatistics> round, DateTime local)
    {
        var lines = new List<string>
        {
            $"KvmPS VM statistics at {local.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} ({round.Count} VMs; Ctrl+C ends)",
            Row(s_columns.Select(c => c.Header).ToArray()),
            Row(s_columns.Select(c => new string('-', Math.Min(c.Width, c.Header.Length))).ToArray()),
        };
        foreach (KvmVMStatistics s in round.OrderByDescending(s => s.CpuPercent ?? -1).ThenBy(s => s.VMName, StringComparer.Ordinal))
        {
            lines.Add(Row(new[]
            {
                s.VMName.Length > 24 ? s.VMName[..23] + "~" : s.VMName, s.State.ToString(), s.VCpuCount?.ToString(CultureInfo.InvariantCulture) ?? "",
                Num(s.CpuPercent, 1), Num(s.MemoryBytes / 1048576.0, 0), Num(s.MemoryRssBytes / 1048576.0, 0),
                Num(s.DiskReadBytesPerSec / 1024, 1), Num(s.DiskWriteBytesPerSec / 1024, 1),
                Num(s.NetworkRxBytesPerSec / 1024, 1), Num(s.NetworkTxBytesPerSec / 1024, 1),
            }));
        }
        return lines;
    }

    private static string Num(double? v, int digits) => v is double d ? d.ToString("F" + digits, CultureInfo.InvariantCulture) : "";

    private static string Row(string[] cells)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < cells.Length; i++)
        {
            int w = s_columns[i].Width;
            // Names and states align left, numbers right.
            sb.Append(i < 2 ? cells[i].PadRight(w) : cells[i].PadLeft(w));
            sb.Append(' ');
        }
        return sb.ToString().TrimEnd();
    }
}
