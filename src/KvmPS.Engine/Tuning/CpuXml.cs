using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace KvmPS.Engine.Tuning;

/// <summary>Reads and edits the domain XML's &lt;cpu&gt; (mode, model, topology, cache, features). Pure.</summary>
public static partial class CpuXml
{
    private static readonly string[] Policies = { "require", "disable", "force", "optional", "forbid" };

    [GeneratedRegex("^[a-z0-9][a-z0-9_.\\-]*$")]
    private static partial Regex FeatureName();

    public static string ModeName(KvmCpuMode mode) => mode switch
    {
        KvmCpuMode.HostPassthrough => "host-passthrough",
        KvmCpuMode.HostModel => "host-model",
        KvmCpuMode.Custom => "custom",
        _ => "maximum",
    };

    public static KvmCpuMode? ParseMode(string? mode) => mode switch
    {
        "host-passthrough" => KvmCpuMode.HostPassthrough,
        "host-model" => KvmCpuMode.HostModel,
        "custom" => KvmCpuMode.Custom,
        "maximum" => KvmCpuMode.Maximum,
        _ => null,
    };

    /// <summary>The CPU flag that gives a guest hardware virtualization on this vendor's CPUs.</summary>
    public static string? NestedFlag(string? vendor) => vendor?.Trim().ToLowerInvariant() switch
    {
        "intel" or "genuineintel" => "vmx",
        "amd" or "authenticamd" or "hygon" => "svm",
        _ => null,
    };

    /// <summary>Parses '+x2apic', '-svm', 'x2apic' or 'disable:svm' into (name, policy).</summary>
    public static (string Name, string Policy) ParseFeature(string spec)
    {
        string s = spec.Trim();
        string policy = "require";
        if (s.StartsWith('+'))
        {
            s = s[1..];
        }
        else if (s.StartsWith('-'))
        {
            policy = "disable";
            s = s[1..];
        }
        else if (s.IndexOf(':') is int colon and > 0)
        {
            policy = s[..colon].ToLowerInvariant();
            s = s[(colon + 1)..];
            if (!Policies.Contains(policy))
            {
                throw TuningException.Invalid("InvalidCpuFeature",
                    $"'{spec}': unknown feature policy '{policy}' (use {string.Join(", ", Policies)}, or +name / -name).");
            }
        }
        s = s.ToLowerInvariant();
        if (!FeatureName().IsMatch(s))
        {
            throw TuningException.Invalid("InvalidCpuFeature", $"'{spec}' is not a CPU feature: write +name, -name or policy:name.");
        }
        return (s, policy);
    }

    /// <summary>The largest number of vCPUs the VM may have (&lt;vcpu&gt;).</summary>
    public static int MaxVCpus(XElement domain) =>
        int.TryParse(((string?)domain.Element("vcpu"))?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 1;

    /// <summary>
    /// Applies the change to a domain element (in place). Throws TuningException, before touching
    /// anything, when the request is inconsistent.
    /// </summary>
    public static void Apply(XElement domain, CpuChange change, string? hostVendor, Func<string, bool>? modelExists = null)
    {
        if (change.BaselineXml is string baseline)
        {
            ApplyBaseline(domain, change, baseline, hostVendor);
            return;
        }
        XElement? cpu = domain.Element("cpu");
        KvmCpuMode? oldMode = ParseMode((string?)cpu?.Attribute("mode"));
        // A <cpu> without a mode attribute but with a model is custom in libvirt's eyes.
        if (oldMode is null && cpu?.Element("model") is not null)
        {
            oldMode = KvmCpuMode.Custom;
        }
        KvmCpuMode? mode = change.Mode ?? (change.Model is not null && oldMode is null ? KvmCpuMode.Custom : oldMode);
        string? model = change.Model ?? (mode == KvmCpuMode.Custom ? (string?)cpu?.Element("model") : null);

        // 1. Validate everything.
        if (change.Model is not null && mode != KvmCpuMode.Custom)
        {
            throw TuningException.Invalid("ModelNeedsCustomMode", $"-Model names a CPU model for -Mode Custom; the mode is {mode?.ToString() ?? "the default"}.");
        }
        if (mode == KvmCpuMode.Custom && string.IsNullOrWhiteSpace(model))
        {
            throw TuningException.Invalid("ModelRequired", "-Mode Custom needs a CPU model: give -Model (e.g. Skylake-Server).");
        }
        if (change.Model is not null && modelExists is not null && !modelExists(change.Model))
        {
            throw TuningException.Invalid("UnknownCpuModel", $"'{change.Model}' is not a CPU model this host knows (see virsh cpu-models <arch>).");
        }
        XElement? oldTopo = cpu?.Element("topology");
        bool topoChange = change.Sockets is not null || change.Cores is not null || change.Threads is not null;
        int sockets = change.Sockets ?? Attr(oldTopo, "sockets") ?? 1;
        int dies = Attr(oldTopo, "dies") ?? 1;
        int cores = change.Cores ?? Attr(oldTopo, "cores") ?? 1;
        int threads = change.Threads ?? Attr(oldTopo, "threads") ?? 1;
        int vcpus = MaxVCpus(domain);
        if (topoChange && sockets * dies * cores * threads != vcpus)
        {
            string d = dies == 1 ? "" : $" x {dies} dies";
            throw TuningException.Invalid("TopologyMismatch",
                $"{sockets} sockets{d} x {cores} cores x {threads} threads = {sockets * dies * cores * threads} vCPUs, but the VM has {vcpus}; the topology must multiply up to the vCPU count.");
        }
        if (change.CachePassthrough == true && mode is not (KvmCpuMode.HostPassthrough or KvmCpuMode.Maximum))
        {
            throw TuningException.Invalid("CacheNeedsPassthroughMode", "-CachePassthrough needs -Mode HostPassthrough or Maximum.");
        }
        var features = change.Features.Select(ParseFeature).ToList();
        if (change.Nested is bool nested)
        {
            string flag = NestedFlag(hostVendor) ?? throw new TuningException("UnknownHostCpuVendor",
                $"-Nested needs the host CPU vendor (Intel: vmx, AMD: svm), and the host reports {(hostVendor is null ? "none" : $"'{hostVendor}'")}; give -Feature +vmx or +svm instead.",
                TuningErrorKind.ResourceUnavailable);
            features.Add((flag, nested ? "require" : "disable"));
        }
        var dup = features.GroupBy(f => f.Name).FirstOrDefault(g => g.Select(f => f.Policy).Distinct().Count() > 1);
        if (dup is not null)
        {
            throw TuningException.Invalid("ConflictingCpuFeature", $"Feature '{dup.Key}' is asked for with two policies ({string.Join(", ", dup.Select(f => f.Policy).Distinct())}).");
        }

        // 2. Edit.
        cpu = GetOrCreateCpuElement(domain);
        if (mode is KvmCpuMode m && (change.Mode is not null || change.Model is not null))
        {
            // The same mode again keeps what goes with it (check, match, migratable, vendor).
            bool modeChanges = m != oldMode;
            cpu.SetAttributeValue("mode", ModeName(m));
            if (modeChanges && m is not (KvmCpuMode.HostPassthrough or KvmCpuMode.Maximum))
            {
                // Only these two modes can be migratable or pass the host's caches through.
                cpu.Attribute("migratable")?.Remove();
                cpu.Elements("cache").Where(c => (string?)c.Attribute("mode") == "passthrough").Remove();
            }
            if (m == KvmCpuMode.Custom)
            {
                cpu.SetAttributeValue("match", (string?)cpu.Attribute("match") ?? "exact");
                XElement modelEl = cpu.Element("model") ?? AddInOrder(cpu, new XElement("model"));
                modelEl.Value = model!;
                if (modelEl.Attribute("fallback") is null)
                {
                    modelEl.SetAttributeValue("fallback", "allow");
                }
            }
            else if (modeChanges)
            {
                // Model, vendor and match describe a custom CPU: the other modes choose their own.
                cpu.Attribute("match")?.Remove();
                cpu.Attribute("check")?.Remove();
                cpu.Element("model")?.Remove();
                cpu.Element("vendor")?.Remove();
            }
        }
        if (topoChange)
        {
            XElement topo = cpu.Element("topology") ?? AddInOrder(cpu, new XElement("topology"));
            topo.ReplaceAttributes(
                new XAttribute("sockets", sockets), new XAttribute("dies", dies),
                new XAttribute("cores", cores), new XAttribute("threads", threads));
        }
        if (change.CachePassthrough is bool cache)
        {
            cpu.Element("cache")?.Remove();
            if (cache)
            {
                AddInOrder(cpu, new XElement("cache", new XAttribute("mode", "passthrough")));
            }
        }
        foreach (var (name, policy) in features)
        {
            XElement? f = cpu.Elements("feature").FirstOrDefault(e => (string?)e.Attribute("name") == name);
            if (f is null)
            {
                AddInOrder(cpu, new XElement("feature", new XAttribute("policy", policy), new XAttribute("name", name)));
            }
            else
            {
                f.SetAttributeValue("policy", policy);
            }
        }
    }

    /// <summary>A baseline sets mode and model itself: another mode, or a model, with it is refused (BaselineConflict).</summary>
    public static void CheckBaselineConflict(KvmCpuMode? mode, string? model)
    {
        if (model is not null || mode is not (null or KvmCpuMode.Custom))
        {
            throw TuningException.Invalid("BaselineConflict",
                "-Baseline sets the CPU model (mode Custom with the baseline's model and features): give it without -Mode or -Model.");
        }
    }

    /// <summary>The baseline first, then the rest of the change on top (topology, features); tried on a copy so a refusal changes nothing.</summary>
    private static void ApplyBaseline(XElement domain, CpuChange change, string baseline, string? hostVendor)
    {
        CheckBaselineConflict(change.Mode, change.Model);
        var rest = new CpuChange
        {
            Sockets = change.Sockets, Cores = change.Cores, Threads = change.Threads,
            CachePassthrough = change.CachePassthrough, Features = change.Features, Nested = change.Nested,
        };
        var trial = new XElement(domain);
        CpuBaselineXml.Apply(trial, baseline);
        Apply(trial, rest, hostVendor);
        CpuBaselineXml.Apply(domain, baseline);
        Apply(domain, rest, hostVendor);
    }

    // What libvirt writes after <cpu> in a domain: a new <cpu> goes before the first of these.
    private static readonly string[] AfterCpu = { "clock", "on_poweroff", "on_reboot", "on_crash", "pm", "perf", "devices", "seclabel" };

    /// <summary>
    /// The domain's &lt;cpu&gt;, created when missing at libvirt's place for it: after
    /// &lt;features&gt; (else &lt;os&gt;), else before &lt;clock&gt;, the lifecycle actions and
    /// &lt;devices&gt;, else at the end.
    /// </summary>
    internal static XElement GetOrCreateCpuElement(XElement domain)
    {
        if (domain.Element("cpu") is XElement existing)
        {
            return existing;
        }
        var cpu = new XElement("cpu");
        if ((domain.Element("features") ?? domain.Element("os")) is XElement anchor)
        {
            anchor.AddAfterSelf(cpu);
        }
        else if (domain.Elements().FirstOrDefault(e => Array.IndexOf(AfterCpu, e.Name.LocalName) >= 0) is XElement next)
        {
            next.AddBeforeSelf(cpu);
        }
        else
        {
            domain.Add(cpu);
        }
        return cpu;
    }

    // libvirt's own order inside <cpu>: model, vendor, topology, cache, features, numa.
    private static readonly string[] Order = { "model", "vendor", "topology", "cache", "feature", "numa" };

    /// <summary>Adds a child of &lt;cpu&gt; at libvirt's place for it and returns it.</summary>
    internal static XElement AddInOrder(XElement cpu, XElement child)
    {
        int rank = Array.IndexOf(Order, child.Name.LocalName);
        XElement? after = cpu.Elements().LastOrDefault(e => Array.IndexOf(Order, e.Name.LocalName) is int r && r >= 0 && r <= rank);
        XElement? before = cpu.Elements().FirstOrDefault(e => Array.IndexOf(Order, e.Name.LocalName) > rank);
        if (after is not null)
        {
            after.AddAfterSelf(child);
        }
        else if (before is not null)
        {
            before.AddBeforeSelf(child);
        }
        else
        {
            cpu.Add(child);
        }
        return child;
    }

    public static KvmCpu Read(XElement domain, string vmName, string uri, bool fromConfig, string? hostVendor = null)
    {
        XElement? cpu = domain.Element("cpu");
        XElement? topo = cpu?.Element("topology");
        var features = (cpu?.Elements("feature") ?? Enumerable.Empty<XElement>())
            .Select(f => new KvmCpuFeature { Name = (string?)f.Attribute("name") ?? "", Policy = (string?)f.Attribute("policy") ?? "require" })
            .ToArray();
        string? flag = NestedFlag(hostVendor);
        bool nested = features.Any(f => (flag is null ? f.Name is "vmx" or "svm" : f.Name == flag) && f.Policy is "require" or "force");
        KvmCpuMode? mode = ParseMode((string?)cpu?.Attribute("mode")) ?? (cpu?.Element("model") is not null ? KvmCpuMode.Custom : null);
        return new KvmCpu
        {
            VMName = vmName,
            Mode = mode,
            Model = (string?)cpu?.Element("model"),
            Sockets = Attr(topo, "sockets"),
            Dies = Attr(topo, "dies"),
            Cores = Attr(topo, "cores"),
            Threads = Attr(topo, "threads"),
            CacheMode = (string?)cpu?.Element("cache")?.Attribute("mode"),
            Features = features,
            Nested = nested,
            MaxVCpuCount = MaxVCpus(domain),
            FromConfig = fromConfig,
            Uri = uri,
        };
    }

    internal static int? Attr(XElement? e, string name) =>
        int.TryParse((string?)e?.Attribute(name), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : null;
}
