namespace KvmPS.Engine;

/// <summary>
/// Runs one read on several hosts at once (one connection per host, each on a worker of its own)
/// and hands back each host's result in the order the hosts were given, as soon as that host and
/// the ones before it are done: the whole costs about the slowest host, not the sum, and the
/// caller writes the results on its own thread. A host that fails (unreachable, refused, lost)
/// gives its error in its place and does not hold the others back; the same URI given twice is
/// asked once.
/// </summary>
public static class HostFanOut
{
    /// <summary>How many hosts are asked at once.</summary>
    public const int DefaultParallelism = 16;

    public static IEnumerable<HostResult<T>> Run<T>(IEnumerable<string> uris, Func<string, CancellationToken, IReadOnlyList<T>> query,
        CancellationToken cancel, int parallelism = DefaultParallelism)
    {
        List<string> hosts = Distinct(uris);
        if (parallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(parallelism));
        }
        // Not disposed: workers still running after an early stop release it later (it holds no handle).
        var gate = new SemaphoreSlim(parallelism);
        var tasks = hosts.Select(uri => Task.Run(() => Ask(uri, query, gate, cancel))).ToList();
        try
        {
            foreach (Task<HostResult<T>> t in tasks)
            {
                t.Wait(cancel);
                // A worker that saw the same cancellation may have finished first (its result is
                // then its own OperationCanceledException): a cancelled run always ends in one.
                cancel.ThrowIfCancellationRequested();
                yield return t.Result;
            }
        }
        finally
        {
            // Stopped early (the caller stopped reading or was cancelled): the rest finish on their
            // own and their results are dropped (each worker catches its own errors).
            foreach (Task<HostResult<T>> t in tasks)
            {
                _ = t.ContinueWith(static r => r.Exception, TaskScheduler.Default);
            }
        }
    }

    private static HostResult<T> Ask<T>(string uri, Func<string, CancellationToken, IReadOnlyList<T>> query, SemaphoreSlim gate, CancellationToken cancel)
    {
        try
        {
            gate.Wait(cancel);
        }
        catch (OperationCanceledException e)
        {
            return new HostResult<T>(uri, Array.Empty<T>(), e);
        }
        try
        {
            return new HostResult<T>(uri, query(uri, cancel), null);
        }
        catch (Exception e)
        {
            return new HostResult<T>(uri, Array.Empty<T>(), e);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The URIs in the order given, blank ones and repeats left out.</summary>
    public static List<string> Distinct(IEnumerable<string> uris)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<string>();
        foreach (string u in uris)
        {
            string t = (u ?? "").Trim();
            if (t.Length > 0 && seen.Add(t))
            {
                list.Add(t);
            }
        }
        return list;
    }
}
