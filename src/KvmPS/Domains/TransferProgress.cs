using System.Management.Automation;
using KvmPS.Engine.Backups;

namespace KvmPS.Commands;

/// <summary>
/// The progress bar of a long copy (export, import, copy to another host) fed by the engine's
/// reports, written at most every quarter second; every write is quiet once the pipeline stops, so
/// the engine's clean-up after Ctrl+C runs to its end.
/// </summary>
internal sealed class TransferProgress
{
    private readonly Cmdlet _cmdlet;
    private readonly ProgressRecord _record;
    private readonly ProgressThrottle _throttle = new();

    public TransferProgress(Cmdlet cmdlet, int activityId, string activity)
    {
        _cmdlet = cmdlet;
        _record = new ProgressRecord(activityId, activity, "Starting");
    }

    public TimeSpan Elapsed => _throttle.Elapsed;

    public void Report(BackupProgress p) => Quietly(() =>
    {
        if (!_throttle.Due(final: p.Percent is <= 0 or >= 100))
        {
            return;
        }
        _record.StatusDescription = p.Total > 0 ? $"{p.Status}: {p.Done >> 20} of {p.Total >> 20} MiB" : p.Status;
        _record.PercentComplete = Math.Clamp(p.Percent, -1, 100);
        _cmdlet.WriteProgress(_record);
    });

    public void Verbose(string message) => Quietly(() => _cmdlet.WriteVerbose(message));

    public void Warn(string message) => Quietly(() => _cmdlet.WriteWarning(message));

    public void Complete()
    {
        _record.RecordType = ProgressRecordType.Completed;
        Quietly(() => _cmdlet.WriteProgress(_record));
    }

    private static void Quietly(Action write)
    {
        try
        {
            write();
        }
        catch (PipelineStoppedException)
        {
            // Stopping: the message has nowhere to go.
        }
    }
}
