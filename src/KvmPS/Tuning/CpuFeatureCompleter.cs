using System.Collections;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.Host;
using KvmPS.Engine.HostChecks;

namespace KvmPS.Commands;

/// <summary>
/// Completes CPU feature names, keeping what -Feature puts before the name: '+x2apic',
/// '-svm', 'disable:svm' complete as typed.
/// </summary>
public sealed class CpuFeatureCompleter : HostObjectCompleter
{
    private protected override List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters, CommandAst commandAst) =>
        HostNames.CpuFeatures(conn, HostFileSystem.FromEnvironment(), CpuCompletion.Architecture(conn, fakeBoundParameters, commandAst));

    private protected override string Prefix(string word)
    {
        int colon = word.IndexOf(':');
        if (colon >= 0)
        {
            return word[..(colon + 1)];
        }
        return word.StartsWith('+') || word.StartsWith('-') ? word[..1] : "";
    }
}
