namespace KvmPS.Engine.Events;

/// <summary>The last events a host sent, oldest first, at most <see cref="Capacity"/> (older ones are dropped).</summary>
public sealed class EventBuffer
{
    private readonly Queue<KvmEvent> _items = new();
    private readonly object _sync = new();

    public EventBuffer(int capacity) => Capacity = Math.Max(1, capacity);

    public int Capacity { get; }

    /// <summary>Events dropped because the buffer was full.</summary>
    public long Dropped { get; private set; }

    public void Add(KvmEvent e)
    {
        lock (_sync)
        {
            if (_items.Count == Capacity)
            {
                _items.Dequeue();
                Dropped++;
            }
            _items.Enqueue(e);
        }
    }

    public List<KvmEvent> Snapshot()
    {
        lock (_sync)
        {
            return _items.ToList();
        }
    }

    public void Clear()
    {
        lock (_sync)
        {
            _items.Clear();
        }
    }
}
