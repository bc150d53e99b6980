using System.Runtime.InteropServices;
using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Engine.Tuning;

/// <summary>
/// Whether libvirt knows a CPU feature name, asked of the host's libvirt (its CPU map) through
/// virConnectBaselineCPU: a baseline of a CPU that names an unknown feature fails. libvirt has no
/// call that lists feature names, so the hint for a misspelt one comes from the features of every
/// CPU model the host knows (expanded by the same call) and of the host CPU. x86 only: for other
/// architectures libvirt's baseline drops names it does not know without a word.
/// </summary>
public static class CpuFeatureCatalog
{
    /// <summary>
    /// Throws TuningException (InvalidArgument, UnknownCpuFeature) for the first names libvirt does
    /// not know, with the closest known name; does nothing when the host cannot tell.
    /// </summary>
    public static void Check(LibvirtConnection conn, string arch, IReadOnlyCollection<string> names, IEnumerable<string> hostFeatures)
    {
        if (names.Count == 0 || Unknown(conn, arch, names) is not { Count: > 0 } unknown)
        {
            return;
        }
        var known = KnownNames(conn, arch, hostFeatures);
        var parts = unknown.Select(n => Closest(n, known) is string near ? $"'{n}' (did you mean '{near}'?)" : $"'{n}'");
        throw TuningException.Invalid("UnknownCpuFeature",
            $"Not a CPU feature libvirt knows for {arch}: {string.Join(", ", parts)}. Nothing was changed (see /usr/share/libvirt/cpu_map on the host for the names).");
    }

    /// <summary>The names libvirt does not know; null when it cannot tell (not x86, no CPU models, baseline unsupported).</summary>
    public static IReadOnlyList<string>? Unknown(LibvirtConnection conn, string arch, IReadOnlyCollection<string> names)
    {
        if (!IsX86(arch) || TuningService.CpuModelNames(conn, arch) is not { Count: > 0 } models)
        {
            return null;
        }
        string model = models.Contains("qemu64") ? "qemu64" : models.Order(StringComparer.Ordinal).First();
        if (TryBaseline(conn, Cpu(arch, model, names), 0, out _))
        {
            return Array.Empty<string>();
        }
        if (!TryBaseline(conn, Cpu(arch, model, Array.Empty<string>()), 0, out _))
        {
            return null;
        }
        return names.Where(n => !TryBaseline(conn, Cpu(arch, model, new[] { n }), 0, out _)).ToList();
    }

    /// <summary>Feature names of every CPU model the host knows for the architecture, and of the host CPU.</summary>
    public static HashSet<string> KnownNames(LibvirtConnection conn, string arch, IEnumerable<string> hostFeatures)
    {
        var known = new HashSet<string>(hostFeatures, StringComparer.Ordinal);
        foreach (string model in TuningService.CpuModelNames(conn, arch) ?? new HashSet<string>())
        {
            if (TryBaseline(conn, Cpu(arch, model, Array.Empty<string>()), Libvirt.VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES, out string? xml))
            {
                known.UnionWith(SafeXml.Parse(xml!).Elements("feature").Select(f => (string?)f.Attribute("name")).OfType<string>());
            }
        }
        return known;
    }

    /// <summary>The known name nearest to <paramref name="name"/> by edit distance, when near enough to be a slip.</summary>
    public static string? Closest(string name, IEnumerable<string> known)
    {
        int limit = Math.Max(1, name.Length / 3);
        return known.Select(k => (Name: k, Distance: OsInfoDatabase.Distance(name, k)))
            .Where(x => x.Distance <= limit)
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => x.Name).FirstOrDefault();
    }

    private static bool IsX86(string arch) => arch is "x86_64" or "i686" or "i386" or "i586";

    private static string Cpu(string arch, string model, IEnumerable<string> features) =>
        new XElement("cpu", new XElement("arch", arch), new XElement("model", model),
            features.Select(f => new XElement("feature", new XAttribute("name", f)))).ToString(SaveOptions.DisableFormatting);

    private static unsafe bool TryBaseline(LibvirtConnection conn, string cpuXml, uint flags, out string? result)
    {
        IntPtr text = Marshal.StringToCoTaskMemUTF8(cpuXml);
        try
        {
            IntPtr* list = stackalloc IntPtr[1];
            list[0] = text;
            IntPtr p = Libvirt.virConnectBaselineCPU(conn.Handle, list, 1, flags);
            if (p == IntPtr.Zero)
            {
                Libvirt.virResetLastError();
                result = null;
                return false;
            }
            result = Libvirt.TakeString(p);
            return result is not null;
        }
        finally
        {
            Marshal.FreeCoTaskMem(text);
        }
    }
}
