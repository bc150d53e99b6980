using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace KvmPS.Commands;

/// <summary>The session state of each runspace, made on first use and released when the runspace closes.</summary>
internal static class SessionRegistry
{
    // The Lazy makes the factory run once when two threads ask at once: GetValue may build two
    // wrappers, but only the stored one is ever evaluated.
    private static readonly ConditionalWeakTable<Runspace, Lazy<KvmSessionState>> s_states = new();

    /// <summary>The state of <paramref name="runspace"/>, made on first use.</summary>
    public static KvmSessionState For(Runspace runspace) =>
        s_states.GetValue(runspace, rs => new Lazy<KvmSessionState>(() => Create(rs), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static KvmSessionState Create(Runspace runspace)
    {
        var state = new KvmSessionState();
        // A closed runspace's connections are closed with it, not left to the finalizer.
        runspace.StateChanged += (_, e) =>
        {
            if (e.RunspaceStateInfo.State is RunspaceState.Closed or RunspaceState.Broken)
            {
                Release(runspace);
            }
        };
        return state;
    }

    /// <summary>
    /// Closes the connections of one runspace and forgets its default host; other runspaces keep
    /// theirs. Called when that runspace removes the module (or re-imports it with -Force) and
    /// when it closes.
    /// </summary>
    public static void Release(Runspace runspace)
    {
        if (s_states.TryGetValue(runspace, out Lazy<KvmSessionState>? lazy))
        {
            s_states.Remove(runspace);
            if (lazy.IsValueCreated)
            {
                lazy.Value.CloseAll();
            }
        }
    }
}
