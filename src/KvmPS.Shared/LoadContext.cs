using System.Reflection;
using System.Runtime.Loader;

namespace KvmPS;

/// <summary>
/// The module's own AssemblyLoadContext. The cmdlet assembly, the engine and their dependencies
/// (CliWrap, ...) load here, so another module's copy of a dependency cannot clash with ours.
/// This assembly (the public object types) stays in the default context, so that
/// <c>[KvmPS.KvmHost]</c> in a user's script names the same type the cmdlets emit.
/// </summary>
public sealed class LoadContext : AssemblyLoadContext
{
    private static LoadContext? _instance;
    private static readonly object _sync = new();

    private readonly string _assemblyDir;
    private readonly AssemblyName _sharedName = typeof(LoadContext).Assembly.GetName();

    private LoadContext(string assemblyDir) : base("KvmPS", isCollectible: false)
    {
        _assemblyDir = assemblyDir;
    }

    /// <summary>
    /// Creates the context once per process and returns the cmdlet assembly loaded in it.
    /// Called by KvmPS.psm1; a re-import with -Force gets the same assembly back.
    /// </summary>
    public static Assembly Initialize()
    {
        lock (_sync)
        {
            string dir = Path.GetDirectoryName(typeof(LoadContext).Assembly.Location)
                ?? throw new InvalidOperationException("Cannot locate the KvmPS assemblies.");
            _instance ??= new LoadContext(dir);
            return _instance.LoadFromAssemblyName(new AssemblyName("KvmPS.Module"));
        }
    }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // The shared types must resolve to the copy in the default context.
        if (AssemblyName.ReferenceMatchesDefinition(_sharedName, assemblyName))
        {
            return null;
        }

        string candidate = Path.Combine(_assemblyDir, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }
}
