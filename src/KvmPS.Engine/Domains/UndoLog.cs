namespace KvmPS.Engine.Domains;

/// <summary>
/// What a request has made so far, each with the way to remove it again. On a failure (any
/// exception, cancellation included) <see cref="Rollback"/> removes everything in reverse order;
/// one step that cannot be undone does not stop the others.
/// </summary>
public sealed class UndoLog
{
    private readonly Stack<(string What, Func<string> Undo, Func<Exception, string> Failed)> _steps = new();

    /// <summary>
    /// Records something about to be made, before the call that makes it: when that call fails
    /// because the host went away, the thing may exist all the same, so the undo still looks for
    /// it; when the undo cannot run, the warning says it may be left and names
    /// <paramref name="removeCommand"/>. <paramref name="undo"/> must cope with it not existing.
    /// </summary>
    public void RecordPending(string what, Func<string> undo, string removeCommand) =>
        _steps.Push((what, undo, e => Leftover.NotRemoved(what, Reason(e), removeCommand)));

    private static string Reason(Exception e) => e is LibvirtException le ? le.LibvirtMessage : e.Message;

    /// <summary>What is recorded, oldest first.</summary>
    public IReadOnlyList<string> Recorded => _steps.Select(s => s.What).Reverse().ToList();

    /// <summary>
    /// Records something made: <paramref name="undo"/> removes it and says how it went,
    /// <paramref name="failed"/> words the warning when that fails.
    /// </summary>
    public void Record(string what, Func<string> undo, Func<Exception, string> failed) => _steps.Push((what, undo, failed));

    /// <summary>
    /// Undoes every recorded step, newest first, and forgets them. Returns what happened: the
    /// undo messages, and a warning for each step that failed (libvirt, file or permission errors).
    /// </summary>
    public (List<string> Done, List<string> Failed) Rollback()
    {
        var done = new List<string>();
        var failed = new List<string>();
        while (_steps.TryPop(out var step))
        {
            try
            {
                done.Add(step.Undo());
            }
            catch (Exception e) when (e is LibvirtException or IOException or UnauthorizedAccessException)
            {
                failed.Add(step.Failed(e));
            }
        }
        return (done, failed);
    }

    private readonly List<Action> _onCommit = new();

    /// <summary>Runs <paramref name="action"/> when the request succeeds (<see cref="Commit"/>).</summary>
    public void OnCommit(Action action) => _onCommit.Add(action);

    /// <summary>Keeps what was made: the request succeeded.</summary>
    public void Commit()
    {
        _steps.Clear();
        _onCommit.ForEach(a => a());
        _onCommit.Clear();
    }
}
