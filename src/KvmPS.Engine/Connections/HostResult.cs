namespace KvmPS.Engine;

/// <summary>What one host of a fan-out gave: its items, or the error that stopped it.</summary>
public sealed record HostResult<T>(string Uri, IReadOnlyList<T> Items, Exception? Error)
{
    public bool Failed => Error is not null;
}
