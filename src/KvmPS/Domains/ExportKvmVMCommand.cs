using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Exports a VM's persistent definition (domain XML), like virsh dumpxml --inactive.</summary>
[Cmdlet(VerbsData.Export, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(string), typeof(FileInfo))]
public sealed class ExportKvmVMCommand : KvmVMCmdlet
{
    /// <summary>
    /// File to write the XML to, or an existing directory to write &lt;name&gt;.xml in; the XML is
    /// returned as text when omitted. With several VMs, a directory.
    /// </summary>
    [Parameter]
    public string? Path { get; set; }

    /// <summary>Overwrites an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// Includes secrets that libvirt shows only on request (graphics passwords), so that an import
    /// of the export keeps them. Without it they are left out, as virsh dumpxml does.
    /// </summary>
    [Parameter]
    public SwitchParameter IncludeSecrets { get; set; }

    // The files this run wrote, and for which VM: a second VM never overwrites the first's export.
    private readonly Dictionary<string, string> _written = new(StringComparer.Ordinal);

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        string xml = DomainService.GetXmlForExport(h, IncludeSecrets);
        if (Path is null)
        {
            WriteObject(xml);
            return;
        }
        string target = GetUnresolvedProviderPathFromPSPath(Path);
        if (Directory.Exists(target))
        {
            target = System.IO.Path.Combine(target, name + ".xml");
        }
        else if (Path.EndsWith('/') || Path.EndsWith(System.IO.Path.DirectorySeparatorChar))
        {
            WriteError(ErrorHelper.Create(new DirectoryNotFoundException($"The directory '{target}' does not exist."),
                "DirectoryNotFound", ErrorCategory.ObjectNotFound, target));
            return;
        }
        if (_written.TryGetValue(target, out string? first))
        {
            WriteError(ErrorHelper.Create(
                new IOException($"VM '{name}' was not exported: '{target}' already holds the export of VM '{first}' from this command. Give a directory as -Path to export several VMs."),
                "ExportPathReused", ErrorCategory.ResourceExists, name));
            return;
        }
        if (File.Exists(target) && !Force)
        {
            WriteError(ErrorHelper.Create(new IOException($"'{target}' exists; use -Force to overwrite it."),
                "FileExists", ErrorCategory.ResourceExists, target));
            return;
        }
        if (ShouldProcess(target, $"Export VM '{name}'"))
        {
            File.WriteAllText(target, xml);
            _written[target] = name;
            WriteObject(new FileInfo(target));
        }
    }
}
