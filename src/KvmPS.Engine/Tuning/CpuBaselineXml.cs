using System.Xml;
using System.Xml.Linq;

namespace KvmPS.Engine.Tuning;

/// <summary>
/// A CPU baseline (the guest CPU element virConnectBaselineHypervisorCPU or virsh cpu-baseline
/// gives) read into a KvmCpuBaseline, and put into a domain's &lt;cpu&gt;. Pure.
/// </summary>
public static class CpuBaselineXml
{
    /// <summary>Reads a baseline CPU element. Throws TuningException (InvalidCpuBaseline) for anything else.</summary>
    public static KvmCpuBaseline Parse(string xml, IReadOnlyList<string> uris)
    {
        XElement cpu = ParseCpu(xml);
        return new KvmCpuBaseline
        {
            Model = ((string?)cpu.Element("model"))!.Trim(),
            Vendor = ((string?)cpu.Element("vendor"))?.Trim(),
            Features = cpu.Elements("feature").Where(f => (string?)f.Attribute("policy") is not ("disable" or "forbid"))
                .Select(f => (string?)f.Attribute("name") ?? "").Where(n => n.Length > 0).ToArray(),
            Xml = xml,
            Uris = uris.ToArray(),
        };
    }

    /// <summary>
    /// Makes the domain's &lt;cpu&gt; the baseline: mode custom, the baseline's match, model,
    /// vendor and features (the old model, vendor and features go). Topology, NUMA cells, the
    /// check attribute and everything else in the definition stay; what only host-passthrough and
    /// maximum may carry (migratable, cache passthrough) is dropped, since libvirt refuses it on a
    /// custom CPU.
    /// </summary>
    public static void Apply(XElement domain, string baselineXml)
    {
        XElement baseline = ParseCpu(baselineXml);
        XElement cpu = CpuXml.GetOrCreateCpuElement(domain);
        cpu.SetAttributeValue("mode", "custom");
        cpu.SetAttributeValue("match", (string?)baseline.Attribute("match") ?? "exact");
        cpu.Attribute("migratable")?.Remove();
        cpu.Elements("cache").Where(c => (string?)c.Attribute("mode") == "passthrough").Remove();
        cpu.Elements().Where(e => e.Name.LocalName is "model" or "vendor" or "feature").Remove();
        foreach (XElement e in baseline.Elements().Where(e => e.Name.LocalName is "model" or "vendor" or "feature"))
        {
            var copy = new XElement(e);
            if (copy.Name.LocalName == "feature" && copy.Attribute("policy") is null)
            {
                // The host-CPU form lists features without a policy; in a guest CPU they are required.
                copy.SetAttributeValue("policy", "require");
            }
            CpuXml.AddInOrder(cpu, copy);
        }
    }

    /// <summary>The model a baseline names (for messages).</summary>
    public static string ModelOf(string baselineXml) => ((string?)ParseCpu(baselineXml).Element("model"))!.Trim();

    private static XElement ParseCpu(string xml)
    {
        XElement cpu;
        try
        {
            cpu = SafeXml.Parse(xml);
        }
        catch (XmlException e)
        {
            throw TuningException.Invalid("InvalidCpuBaseline", $"The CPU baseline is not XML: {e.Message}");
        }
        if (cpu.Name.LocalName != "cpu")
        {
            throw TuningException.Invalid("InvalidCpuBaseline",
                $"A CPU baseline is a <cpu> element (as Get-KvmHostCpuBaseline or virsh cpu-baseline give), not <{cpu.Name.LocalName}>.");
        }
        if ((string?)cpu.Attribute("mode") is string mode && mode != "custom")
        {
            throw TuningException.Invalid("InvalidCpuBaseline",
                $"A CPU baseline names a model (mode custom); this <cpu> has mode '{mode}'.");
        }
        if (string.IsNullOrWhiteSpace((string?)cpu.Element("model")))
        {
            throw TuningException.Invalid("InvalidCpuBaseline", "The CPU baseline names no <model>.");
        }
        return cpu;
    }
}
