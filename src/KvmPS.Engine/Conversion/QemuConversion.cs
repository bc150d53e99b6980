namespace KvmPS.Engine.Conversion;

/// <summary>ConvertFrom-KvmQemuCommandLine's work: parse, then write the domain XML.</summary>
public static class QemuConversion
{
    /// <summary>A VM definition from a command line (one text of shell words, or words already split).</summary>
    public static KvmQemuVMDefinition FromCommandLine(IReadOnlyList<string> words, string? name)
    {
        QemuVmModel vm = QemuCommandLineParser.Parse(words.Count == 1 ? QemuWords.Split(words[0]) : words);
        string finalName = name ?? vm.Name ?? "qemu-vm";
        var xml = QemuDomainXmlWriter.Write(vm, finalName);
        return new KvmQemuVMDefinition
        {
            Name = finalName,
            Xml = xml.ToString(),
            DomainType = vm.Kvm ? "kvm" : "qemu",
            VCpuCount = vm.MaxVCpus ?? vm.VCpus,
            MemoryBytes = vm.MemoryBytes,
            MachineType = vm.Machine,
            Unknown = vm.Unknown.ToArray(),
            Mapped = vm.Mapped.ToArray(),
        };
    }

    /// <summary>Splits libvirt's domain-XML-to-native output into its environment assignments and its words.</summary>
    public static (string[] Environment, string[] Arguments) SplitNative(string native)
    {
        var words = QemuWords.Split(native);
        int i = 0;
        while (i < words.Count && System.Text.RegularExpressions.Regex.IsMatch(words[i], "^[A-Za-z_][A-Za-z0-9_]*="))
        {
            i++;
        }
        return (words.Take(i).ToArray(), words.Skip(i).ToArray());
    }
}
