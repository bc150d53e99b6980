using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Completion from the host the command line points at (its -Uri, else the session default).</summary>
public abstract class StorageCompleterBase : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = WildcardPattern.Get((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        List<string> names;
        try
        {
            KvmSessionState session = KvmSessionState.Current;
            string uri = session.ResolveUri(fakeBoundParameters["Uri"] as string);
            names = Names(session.GetConnection(uri), fakeBoundParameters);
        }
        catch (Exception e) when (e is LibvirtException or InvalidOperationException or KvmConnectionLostException or DllNotFoundException)
        {
            // No host to ask (no runspace, daemon down, no libvirt): nothing to offer.
            return Array.Empty<CompletionResult>();
        }
        return names.Where(n => pattern.IsMatch(n)).Order(StringComparer.OrdinalIgnoreCase)
            .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n));
    }

    private protected abstract List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters);

    private static string Quote(string name) =>
        name.IndexOfAny(new[] { ' ', '$', '`', '\'', '"', '(', ')', ';', ',', '&', '|', '{', '}', '@', '#' }) >= 0
            ? "'" + name.Replace("'", "''") + "'"
            : name;
}

/// <summary>Completes storage pool names.</summary>
public sealed class StoragePoolNameCompleter : StorageCompleterBase
{
    private protected override List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters)
    {
        var pools = StoragePool.ListAll(conn);
        try
        {
            return pools.Select(p => p.Name).ToList();
        }
        finally
        {
            pools.ForEach(p => p.Dispose());
        }
    }
}

/// <summary>Completes volume names in the pool given by -Pool on the same command line.</summary>
public sealed class StorageVolumeNameCompleter : StorageCompleterBase
{
    private protected override List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters)
    {
        string? poolName = fakeBoundParameters["Pool"] switch
        {
            string s => s,
            string[] { Length: 1 } a => a[0],
            _ => null,
        };
        if (poolName is null)
        {
            return new List<string>();
        }
        using StoragePool? pool = StoragePool.TryLookup(conn, poolName);
        if (pool is null || !pool.IsActive)
        {
            return new List<string>();
        }
        var vols = pool.ListVolumes();
        try
        {
            return vols.Select(v => v.Name).ToList();
        }
        finally
        {
            vols.ForEach(v => v.Dispose());
        }
    }
}
