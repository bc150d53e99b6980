using System.Collections;
using System.Management.Automation;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Configuration;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Lists the properties in which a VM differs: its running definition from its persistent one
/// (changes waiting for a restart, or made behind the module's back), its persistent definition
/// from another VM's, or from a desired state written as a configuration's VM entry.
/// </summary>
[Cmdlet(VerbsData.Compare, "KvmVM")]
[OutputType(typeof(KvmVMDifference))]
public sealed class CompareKvmVMCommand : KvmVMCmdlet
{
    /// <summary>Another VM to compare the persistent definitions with.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(VMNameCompleter))]
    public string? DifferenceVM { get; set; }

    /// <summary>The host of -DifferenceVM, when it is not the VM's own.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(UriCompleter))]
    public string? DifferenceUri { get; set; }

    /// <summary>A desired state: the keys of a configuration's VM entry (New-KvmVM parameters and the Cpu, CpuPin, Numa, MemoryBacking tables).</summary>
    [Parameter]
    public IDictionary? Desired { get; set; }

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle domain, string name)
    {
        if (Desired is not null && DifferenceVM is not null)
        {
            WriteError(ErrorHelper.InvalidArgument("Give -DifferenceVM or -Desired, not both.", "CompareTargetConflict", name));
            return;
        }
        if (Desired is not null)
        {
            CompareDesired(conn, name);
            return;
        }
        XElement persistent = XElement.Parse(DomainService.GetInactiveXml(domain));
        if (DifferenceVM is not null)
        {
            LibvirtConnection other = DifferenceUri is null ? conn : GetConnection(DifferenceUri);
            using DomainHandle h = other.LookupDomain(DifferenceVM);
            XElement theirs = XElement.Parse(DomainService.GetInactiveXml(h));
            Write(DomainProperties.Diff(name, DomainProperties.Read(persistent, conn.Uri), DomainProperties.Read(theirs, other.Uri), "VMToVM", DifferenceVM));
            return;
        }
        if (!DomainService.IsActive(domain))
        {
            WriteVerbose($"VM '{name}' is not running: its live definition is its persistent one.");
            return;
        }
        XElement live = XElement.Parse(LibvirtConnection.GetXml(domain));
        Write(DomainProperties.Diff(name, DomainProperties.Read(live, conn.Uri), DomainProperties.Read(persistent, conn.Uri), "LiveToPersistent", "persistent definition"));
    }

    private void CompareDesired(LibvirtConnection conn, string name)
    {
        var entry = (IDictionary)ConfigurationSource.Plain(Desired)!;
        entry["Name"] = name;
        LabDocument doc;
        try
        {
            doc = LabDocumentReader.FromTree(new Hashtable { ["VMs"] = new object[] { entry } }, ConfigurationKeys.For(InvokeCommand), conn.Uri);
        }
        catch (ConfigurationException e)
        {
            WriteError(KvmConfigurationCmdlet.ToError(e));
            return;
        }
        KvmConfigurationPlanItem item = ConfigurationPlanner.Plan(doc, _ => HostState.Read(conn))[0];
        foreach (KvmPropertyChange c in item.Changes)
        {
            WriteObject(new KvmVMDifference
            {
                VMName = name, Property = c.Property, ReferenceValue = c.Current, DifferenceValue = c.Desired,
                Comparison = "VMToDesired", DifferenceName = "desired state",
            });
        }
        if (item.Action == KvmConfigurationAction.Replace)
        {
            WriteWarning($"VM '{name}': {item.Reason}");
        }
    }

    private void Write(IEnumerable<KvmVMDifference> differences)
    {
        foreach (KvmVMDifference d in differences)
        {
            WriteObject(d);
        }
    }
}
