using System.Collections;
using System.Management.Automation;

namespace KvmPS.Commands;

/// <summary>
/// Keeps an object of one kind from binding its Name to another kind's name. Put on the parameter
/// that takes this cmdlet's kind from the pipeline (-VM, -InputObject, -NetworkObject, ...): PowerShell
/// offers it every piped object first, and a KvmPS object of another kind that has a Name of its
/// own (a network, pool, volume, VM, host check, ...) is refused with a parameter-binding error that
/// names it, instead of falling through to -Name by property name. Kinds that another parameter
/// of the same cmdlet takes are listed as also taken. Strings and other objects pass unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class KvmKindAttribute : ArgumentTransformationAttribute
{
    private readonly Type _kind;
    private readonly Type[] _alsoTaken;

    public KvmKindAttribute(Type kind, params Type[] alsoTaken)
    {
        _kind = kind;
        _alsoTaken = alsoTaken;
    }

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object? single = inputData is PSObject p ? p.BaseObject : inputData;
        IEnumerable items = single is IEnumerable e and not string ? e : new[] { inputData };
        foreach (object? item in items)
        {
            object? o = item is PSObject po ? po.BaseObject : item;
            if (o is not null && IsForeign(o))
            {
                throw new ArgumentTransformationMetadataException(
                    $"{Describe(o)} is {Article(KindName(o.GetType()))}, not {Article(KindName(_kind))}: an object binds only to the parameter of its kind.");
            }
        }
        return inputData;
    }

    private bool IsForeign(object o)
    {
        Type t = o.GetType();
        return t.Assembly == typeof(KvmVM).Assembly
            && !_kind.IsInstanceOfType(o)
            && !_alsoTaken.Any(a => a.IsInstanceOfType(o))
            && t.GetProperty("Name") is not null;
    }

    /// <summary>How messages name a kind of object.</summary>
    public static string KindName(Type t) => t.Name switch
    {
        nameof(KvmVM) => "VM",
        nameof(KvmNetwork) => "network",
        nameof(KvmStoragePool) => "storage pool",
        nameof(KvmVolume) => "storage volume",
        nameof(KvmHostCheck) => "host check",
        nameof(KvmCpuFeature) => "CPU feature",
        _ => t.Name,
    };

    /// <summary>The object as messages name it: its kind and name (a volume with its pool).</summary>
    public static string Describe(object o) => o switch
    {
        KvmVolume v => $"'{v.Pool}/{v.Name}'",
        _ => $"'{o.GetType().GetProperty("Name")?.GetValue(o)}'",
    };

    private static string Article(string noun) => ("aeiouAEIOU".Contains(noun[0]) && !noun.StartsWith("VM", StringComparison.Ordinal) ? "an " : "a ") + noun;
}
