using System.Management.Automation;
using System.Management.Automation.Host;
using KvmPS.Engine.Statistics;

namespace KvmPS.Commands;

/// <summary>
/// A live table of VM statistics, redrawn every -Interval seconds until Ctrl+C (or -Count rounds).
/// Without an interactive console (output redirected, a remote or hosted runspace) it writes the
/// statistics objects instead, one round after another.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "KvmVM", DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmVMStatistics))]
public sealed class WatchKvmVMCommand : KvmStatisticsCmdlet
{
    protected override bool AlwaysMeasure => true;

    protected override bool Continuous => true;

    private bool? _interactive;
    private int _lastLines;

    /// <summary>Whether a console is there to draw on: the console host, output not redirected.</summary>
    private bool Interactive => _interactive ??= Host.Name == "ConsoleHost" && !Console.IsOutputRedirected
        && Host.UI?.RawUI is not null && MyInvocation.PipelinePosition == MyInvocation.PipelineLength;

    protected override void Emit(List<KvmVMStatistics> round)
    {
        if (!Interactive)
        {
            base.Emit(round);
            return;
        }
        PSHostRawUserInterface raw = Host.UI.RawUI;
        List<string> lines = StatsTable.Render(round, DateTime.Now);
        int width = Math.Max(20, raw.BufferSize.Width - 1);
        Coordinates top = raw.CursorPosition;
        if (_lastLines > 0)
        {
            // Back to where the previous table started, then draw over it.
            top = new Coordinates(0, Math.Max(0, top.Y - _lastLines));
            raw.CursorPosition = top;
        }
        int written = 0;
        foreach (string line in lines.Concat(Enumerable.Repeat("", Math.Max(0, _lastLines - lines.Count))))
        {
            Host.UI.WriteLine(line.Length > width ? line[..width] : line.PadRight(width));
            written++;
        }
        _lastLines = written;
    }
}
