using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Lists the snapshots of virtual machines, with their tree (parent, children, current), state and disks.</summary>
[Cmdlet(VerbsCommon.Get, "KvmSnapshot", DefaultParameterSetName = "Name")]
[OutputType(typeof(KvmSnapshot))]
public sealed class GetKvmSnapshotCommand : KvmCmdlet
{
    /// <summary>Names of the VMs: wildcards are case-insensitive, a literal name matches exactly. All VMs when omitted.</summary>
    [Parameter(Position = 0, ParameterSetName = "Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(VMNameCompleter))]
    public string[]? VMName { get; set; }

    /// <summary>VM objects, e.g. from Get-KvmVM, each found by UUID.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "VM", ValueFromPipeline = true)]
    [KvmKind(typeof(KvmVM))]
    public KvmVM[] VM { get; set; } = Array.Empty<KvmVM>();

    /// <summary>Names of the snapshots: wildcards are case-insensitive, a literal name matches exactly. All when omitted.</summary>
    [Parameter(Position = 1)]
    [Alias("SnapshotName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SnapshotNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecordCore()
    {
        var matches = (Name is { Length: > 0 } ? Name : new[] { "*" }).Select(NameMatch.For).ToList();
        var found = new HashSet<string>(StringComparer.Ordinal);
        var seen = new List<string>();
        foreach (var (conn, h) in Domains())
        {
            using (h)
            {
                var all = SnapshotReader.Read(conn, h);
                seen.AddRange(all.Select(s => s.Name));
                foreach (KvmSnapshot s in all.Where(s => matches.Any(m => m.Matches(s.Name))).OrderBy(s => s.CreationTime).ThenBy(s => s.Name, StringComparer.Ordinal))
                {
                    found.Add(s.Name);
                    WriteObject(s);
                }
            }
        }
        foreach (string n in matches.Where(m => !m.IsWildcard).Select(m => m.Typed).Where(n => !found.Contains(n)))
        {
            WriteError(ErrorHelper.NotFound("snapshot", n, "SnapshotNotFound", n, NameMatch.CaseHint(seen, n)));
        }
    }

    private IEnumerable<(LibvirtConnection, DomainHandle)> Domains()
    {
        if (ParameterSetName == "VM")
        {
            foreach (KvmVM vm in VM)
            {
                LibvirtConnection c = GetConnection(vm.Uri);
                yield return (c, c.LookupDomain(vm.Uuid));
            }
            yield break;
        }
        LibvirtConnection conn = GetConnection();
        var vmMatches = (VMName is { Length: > 0 } ? VMName : new[] { "*" }).Select(NameMatch.For).ToList();
        var handles = conn.ListAllDomains();
        var names = handles.Select(LibvirtConnection.GetName).ToList();
        foreach (string n in vmMatches.Where(m => !m.IsWildcard).Select(m => m.Typed).Where(n => !names.Contains(n)))
        {
            WriteError(ErrorHelper.NotFound("VM", n, "VMNotFound", n, NameMatch.CaseHint(names, n)));
        }
        for (int i = 0; i < handles.Count; i++)
        {
            if (vmMatches.Any(m => m.Matches(names[i])))
            {
                yield return (conn, handles[i]);
            }
            else
            {
                handles[i].Dispose();
            }
        }
    }
}
