using System.Management.Automation;
using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>
/// The storage and network parameters of New-KvmVM: -Pool and -Network take names, and a pool or
/// networks from Get-KvmStoragePool/Get-KvmNetwork bind from the pipeline to -PoolObject and
/// -NetworkObject (their own kinds), each then found by UUID on the VM's host.
/// </summary>
public abstract class KvmVMCreationCmdlet : KvmCmdlet
{
    [Parameter, ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StoragePoolNameCompleter))]
    public string? Pool { get; set; }

    [Parameter(ValueFromPipeline = true)]
    [KvmKind(typeof(KvmStoragePool), typeof(KvmNetwork))]
    public KvmStoragePool? PoolObject { get; set; }

    [Parameter, ValidateNotNullOrEmpty]
    [Alias("SwitchName")]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[]? Network { get; set; }

    [Parameter(ValueFromPipeline = true)]
    [KvmKind(typeof(KvmNetwork), typeof(KvmStoragePool))]
    public KvmNetwork[]? NetworkObject { get; set; }

    [Parameter, ValidateNotNullOrEmpty, ArgumentCompleter(typeof(BridgeCompleter))]
    public string? Bridge { get; set; }

    [Parameter, ValidateNotNullOrEmpty, MacAddressArgument, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string[]? MacAddress { get; set; }

    /// <summary>The networks: -Network, or the exact names of the network objects.</summary>
    private protected string[] Networks { get; private set; } = Array.Empty<string>();

    /// <summary>The pool: -Pool, or the exact name of the pool object.</summary>
    private protected string? PoolName { get; private set; }

    /// <summary>
    /// Finds the pool and network objects on the VM's host and sets Networks and PoolName;
    /// writes an error and returns false when one is gone, a kind is given both ways, or the VM's
    /// name was taken from a piped pool or network (whose own name is not a VM's).
    /// </summary>
    private protected bool TakePipedObjects(Func<LibvirtConnection> conn, string vmName, bool nameFromPipeline)
    {
        Networks = Network ?? Array.Empty<string>();
        PoolName = Pool;
        object? piped = IsFromPipeline(nameof(PoolObject)) ? PoolObject : IsFromPipeline(nameof(NetworkObject)) ? NetworkObject?.FirstOrDefault() : null;
        string? problem = piped is not null && nameFromPipeline
            ? $"The {KvmKindAttribute.KindName(piped.GetType())} {KvmKindAttribute.Describe(piped)} came through the pipeline without a VM name: give -Name (its own name is not taken for the VM's)."
            : PoolObject is not null && Pool is not null ? $"Both -Pool '{Pool}' and the storage pool '{PoolObject.Name}' were given: give one."
            : NetworkObject is { Length: > 0 } && Network is not null ? "Both -Network and network objects were given: give one." : null;
        if (problem is not null)
        {
            WriteError(ErrorHelper.InvalidArgument(problem, piped is not null && nameFromPipeline ? "VMNameRequired" : "GivenTwice", vmName));
            return false;
        }
        ErrorRecord? gone = null;
        if (PoolObject is not null && (PoolName = PipedObjects.PoolName(conn(), PoolObject, out gone)) is null)
        {
            WriteError(gone!);
            return false;
        }
        if (NetworkObject is { Length: > 0 })
        {
            var names = new List<string>();
            foreach (KvmNetwork net in NetworkObject)
            {
                if (PipedObjects.NetworkName(conn(), net, out gone) is not string n)
                {
                    WriteError(gone!);
                    return false;
                }
                names.Add(n);
            }
            Networks = names.ToArray();
        }
        return true;
    }
}
