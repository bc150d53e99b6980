using System.Collections.Concurrent;

namespace KvmPS.Engine;

/// <summary>
/// Warnings the engine raises deep inside an operation (a definition that libvirt's schema
/// rejects, defined without the schema check) for the caller to show. A caller opens a scope with
/// <see cref="Collect"/>; engine code anywhere below it, on any thread its work flows to, adds to
/// it. Without a scope the warnings go nowhere, so every caller that can show them opens one.
/// </summary>
public sealed class EngineWarnings : IDisposable
{
    private static readonly AsyncLocal<EngineWarnings?> s_current = new();
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly EngineWarnings? _outer;

    private EngineWarnings(EngineWarnings? outer) => _outer = outer;

    /// <summary>Opens a scope that collects the warnings raised until it is disposed.</summary>
    public static EngineWarnings Collect()
    {
        var scope = new EngineWarnings(s_current.Value);
        s_current.Value = scope;
        return scope;
    }

    /// <summary>Adds a warning to the innermost open scope.</summary>
    public static void Add(string message) => s_current.Value?._messages.Enqueue(message);

    /// <summary>The warnings collected so far, each given once.</summary>
    public IReadOnlyList<string> Drain()
    {
        var list = new List<string>();
        while (_messages.TryDequeue(out string? m))
        {
            list.Add(m);
        }
        return list;
    }

    /// <summary>Closes the scope; the warnings it did not drain are dropped.</summary>
    public void Dispose() => s_current.Value = _outer;
}
