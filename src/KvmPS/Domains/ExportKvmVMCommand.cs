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
    /// <summary>File to write the XML to; the XML is returned as text when omitted. With several VMs, a directory.</summary>
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
        if (File.Exists(target) && !Force)
        {
            WriteError(ErrorHelper.Create(new IOException($"'{target}' exists; use -Force to overwrite it."),
                "FileExists", ErrorCategory.ResourceExists, target));
            return;
        }
        if (ShouldProcess(target, $"Export VM '{name}'"))
        {
            File.WriteAllText(target, xml);
            WriteObject(new FileInfo(target));
        }
    }
}
