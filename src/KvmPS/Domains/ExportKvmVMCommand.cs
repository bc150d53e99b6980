using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Exports a VM's persistent definition (domain XML), like virsh dumpxml --inactive; with
/// -IncludeStorage the whole VM (definition, disk images, UEFI variables, manifest) into a
/// directory of its own, like Hyper-V's Export-VM.
/// </summary>
[Cmdlet(VerbsData.Export, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(string), typeof(FileInfo), typeof(KvmVMExport))]
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

    /// <summary>
    /// Exports the whole VM into the directory &lt;Path&gt;/&lt;VM name&gt;: the definition, every
    /// writable disk image (read through libvirt's volume API, so the host may be remote), the UEFI
    /// variables when readable here, and manifest.json with lengths, formats and SHA-256. The VM must
    /// be shut off or paused (or give -Suspend).
    /// </summary>
    [Parameter]
    public SwitchParameter IncludeStorage { get; set; }

    /// <summary>With -IncludeStorage: pauses a running VM while its disks are copied and resumes it afterwards (without it a running VM is refused).</summary>
    [Parameter]
    public SwitchParameter Suspend { get; set; }

    private static int s_activity = 41_000;

    // The files this run wrote, and for which VM: a second VM never overwrites the first's export.
    private readonly Dictionary<string, string> _written = new(StringComparer.Ordinal);

    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        if (IncludeStorage)
        {
            ExportWhole(conn, h, name);
            return;
        }
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

    private void ExportWhole(LibvirtConnection conn, DomainHandle h, string name)
    {
        if (Path is null)
        {
            WriteError(ErrorHelper.InvalidArgument("-IncludeStorage exports into a directory: give -Path.", "PathRequired", name));
            return;
        }
        VmExportPlan plan;
        try
        {
            plan = VmExporter.Plan(conn, h, GetUnresolvedProviderPathFromPSPath(Path), Suspend);
        }
        catch (VmRequestException e)
        {
            WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, e.Target));
            return;
        }
        foreach (string note in plan.Notes)
        {
            WriteWarning(note);
        }
        if (!ShouldProcess(name, plan.Describe()))
        {
            return;
        }
        var progress = new TransferProgress(this, Interlocked.Increment(ref s_activity), $"Exporting VM '{name}' to '{plan.Directory}'");
        KvmVMExport export;
        try
        {
            export = VmExporter.Run(conn, h, plan, IncludeSecrets, progress.Report, progress.Verbose, CancelToken);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            progress.Complete();
        }
        WriteVerbose($"Exported '{name}' ({export.SizeBytes} bytes) in {progress.Elapsed.TotalSeconds:0.0} s.");
        WriteObject(export);
    }
}
