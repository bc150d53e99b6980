using System.Collections;
using System.Management.Automation;
using KvmPS.Engine.Conversion;

namespace KvmPS.Commands;

/// <summary>
/// Writes a Kubernetes RuntimeClass (node.k8s.io/v1) for Kata Containers as YAML text: its handler,
/// the fixed overhead of each pod's sandbox VM (overhead.podFixed) and the nodes that run Kata
/// (scheduling.nodeSelector). Nothing on the host or in a cluster is changed.
/// </summary>
[Cmdlet(VerbsCommon.New, "KvmKataRuntimeClass")]
[OutputType(typeof(string))]
public sealed class NewKvmKataRuntimeClassCommand : PSCmdlet
{
    /// <summary>The CRI handler (containerd's runtime name): kata-qemu by default.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string Handler { get; set; } = "kata-qemu";

    /// <summary>metadata.name of the RuntimeClass (default: the handler).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Name { get; set; }

    /// <summary>CPU each pod's sandbox costs beyond its containers (a quantity such as 250m).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string PodFixedCpu { get; set; } = "250m";

    /// <summary>Memory each pod's sandbox costs beyond its containers, in bytes (160MB by default).</summary>
    [Parameter]
    public ulong PodFixedMemory { get; set; } = 160UL << 20;

    /// <summary>Node labels that pods of this class are scheduled by (default katacontainers.io/kata-runtime=true, as kata-deploy labels its nodes).</summary>
    [Parameter]
    public Hashtable? NodeSelector { get; set; }

    protected override void EndProcessing()
    {
        foreach (var (value, what) in new[] { (Handler, "-Handler"), (Name ?? Handler, "-Name") })
        {
            if (!KubeVirtQuantity.IsDnsLabel(value))
            {
                WriteError(ErrorHelper.InvalidArgument($"{what} '{value}' is not a DNS-1123 label (lower-case letters, digits and '-'), as a RuntimeClass needs.", "InvalidKubernetesName", value));
                return;
            }
        }
        if (!KataRuntimeClass.IsCpuQuantity(PodFixedCpu))
        {
            WriteError(ErrorHelper.InvalidArgument($"-PodFixedCpu '{PodFixedCpu}' is not a CPU quantity (e.g. 250m or 0.5).", "InvalidCpuQuantity", PodFixedCpu));
            return;
        }
        if (PodFixedMemory == 0)
        {
            WriteError(ErrorHelper.InvalidArgument("-PodFixedMemory must be more than 0 bytes.", "InvalidMemoryQuantity", PodFixedMemory));
            return;
        }
        var selector = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (NodeSelector is null)
        {
            selector["katacontainers.io/kata-runtime"] = "true";
        }
        else
        {
            foreach (DictionaryEntry e in NodeSelector)
            {
                selector[e.Key.ToString() ?? ""] = e.Value?.ToString() ?? "";
            }
        }
        WriteObject(KataRuntimeClass.Write(Handler, Name, PodFixedCpu, PodFixedMemory, selector));
    }
}
