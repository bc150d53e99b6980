namespace KvmPS.Engine.Conversion;

/// <summary>A Kubernetes RuntimeClass (node.k8s.io/v1) for Kata Containers, as YAML text.</summary>
public static class KataRuntimeClass
{
    /// <summary>
    /// The RuntimeClass named after its handler (kata-qemu, kata-clh, kata...), with the fixed
    /// per-pod overhead of the sandbox VM (overhead.podFixed) and the nodes that run it
    /// (scheduling.nodeSelector).
    /// </summary>
    public static string Write(string handler, string? name, string? podFixedCpu, ulong? podFixedMemoryBytes, IReadOnlyDictionary<string, string>? nodeSelector)
    {
        var doc = new YamlMap
        {
            { "apiVersion", "node.k8s.io/v1" },
            { "kind", "RuntimeClass" },
            { "metadata", new YamlMap { { "name", name ?? handler } } },
            { "handler", handler },
        };
        var podFixed = new YamlMap();
        podFixed.Add("memory", podFixedMemoryBytes is ulong m ? KubeVirtQuantity.FromBytes(m) : null);
        podFixed.Add("cpu", podFixedCpu);
        if (podFixed.Any())
        {
            doc.Add("overhead", new YamlMap { { "podFixed", podFixed } });
        }
        if (nodeSelector is { Count: > 0 })
        {
            var sel = new YamlMap();
            foreach (var (k, v) in nodeSelector)
            {
                sel.Add(k, v);
            }
            doc.Add("scheduling", new YamlMap { { "nodeSelector", sel } });
        }
        return YamlText.Write(doc);
    }

    private static readonly System.Text.RegularExpressions.Regex s_cpu = new(@"^(\d+(\.\d{1,3})?|\d+m)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Whether a text is a CPU quantity (250m, 0.25, 1).</summary>
    public static bool IsCpuQuantity(string text) => s_cpu.IsMatch(text);
}
