using System.Management.Automation;
using System.Xml;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Defines a VM from domain XML (a file or text), like virsh define; or imports a whole VM from
/// an export directory of Export-KvmVM -IncludeStorage, like Hyper-V's Import-VM.
/// </summary>
[Cmdlet(VerbsData.Import, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class ImportKvmVMCommand : KvmCmdlet
{
    /// <summary>Path of a domain XML file, or of an export directory (Export-KvmVM -IncludeStorage; holds manifest.json).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path", ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = "";

    /// <summary>Domain XML text (also from the pipeline, e.g. Export-KvmVM output).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Xml", ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string Xml { get; set; } = "";

    /// <summary>Imports a definition as a copy under this name: a new UUID, new MAC addresses, and no ownership of the original's storage (its disks are shared, never deleted with the copy).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Name { get; set; }

    /// <summary>Replaces the definition of an existing VM with the same name and UUID, and uses MAC addresses other VMs of the host have.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Defines the VM without libvirt's schema check (libvirt's own parser still checks it), for a definition libvirt accepts but its schema does not, such as a relative disk path.</summary>
    [Parameter]
    public SwitchParameter SkipValidation { get; set; }

    /// <summary>Keeps KvmPS's storage-ownership record in the metadata (which Remove-KvmVM -DeleteStorage acts on); without it the record is dropped.</summary>
    [Parameter]
    public SwitchParameter KeepOwnership { get; set; }

    /// <summary>Accepted for compatibility and not needed: Import-KvmVM always returns the VM it defined.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>For an export directory: copies the images into new volumes of a pool (remote hosts too), which the VM owns; without it the VM uses the export's files where they are (this machine only).</summary>
    [Parameter(ParameterSetName = "Path")]
    public SwitchParameter Copy { get; set; }

    /// <summary>For an export directory: a new UUID and new MAC addresses, so the VM can live beside the original.</summary>
    [Parameter(ParameterSetName = "Path")]
    public SwitchParameter GenerateNewId { get; set; }

    /// <summary>For an export directory: the name of the imported VM (the exported VM's by default).</summary>
    [Parameter(ParameterSetName = "Path")]
    [ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? NewName { get; set; }

    /// <summary>For an export directory with -Copy: the running pool for the volumes; by default the pool of the exported disks' name, else 'default'.</summary>
    [Parameter(ParameterSetName = "Path")]
    [ValidateNotNullOrEmpty, ArgumentCompleter(typeof(StoragePoolNameCompleter))]
    public string? Pool { get; set; }

    private string? _name;

    protected override object? ErrorTarget => _name ?? (ParameterSetName == "Path" ? Path : null);

    protected override void ProcessRecordCore()
    {
        _name = null;
        string text;
        if (ParameterSetName == "Path")
        {
            string file = GetUnresolvedProviderPathFromPSPath(Path);
            bool exportOptions = Copy || GenerateNewId || NewName is not null || Pool is not null;
            if (Directory.Exists(file) || (exportOptions && !File.Exists(file)))
            {
                _name = NewName;
                ExportDirectoryImport.Run(this, GetConnection, new VmImportRequest(file, Copy, GenerateNewId, NewName, Pool), Name, CancelToken);
                return;
            }
            if (exportOptions)
            {
                WriteError(ErrorHelper.InvalidArgument("-Copy, -GenerateNewId, -NewName and -Pool are for an export directory (Export-KvmVM -IncludeStorage), not a definition file.", "ExportDirectoryExpected", Path));
                return;
            }
            if (!File.Exists(file))
            {
                WriteError(ErrorHelper.Create(new FileNotFoundException($"'{file}' does not exist.", file),
                    "FileNotFound", ErrorCategory.ObjectNotFound, Path));
                return;
            }
            try
            {
                text = DomainXmlText.Decode(File.ReadAllBytes(file));
            }
            catch (DomainXmlTextException e)
            {
                WriteError(ErrorHelper.Create(new InvalidDataException(e.Message, e), e.ErrorId, ErrorCategory.InvalidData, Path, e.Message));
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteError(ErrorHelper.Create(e, "FileReadFailed", ErrorCategory.ReadError, Path, $"Could not read '{file}': {e.Message}"));
                return;
            }
        }
        else
        {
            text = Xml;
        }

        XElement doc;
        try
        {
            DomainXmlText.CheckDeclaration(text);
            doc = SafeXml.Parse(text);
        }
        catch (DomainXmlTextException e)
        {
            WriteError(ErrorHelper.Create(new InvalidDataException(e.Message, e), e.ErrorId, ErrorCategory.InvalidData, ErrorTarget, e.Message));
            return;
        }
        catch (XmlException e)
        {
            WriteError(ErrorHelper.InvalidArgument($"The text is not XML: {e.Message}", "InvalidDomainXml", ErrorTarget));
            return;
        }
        _name = (string?)doc.Element("name");
        if (doc.Name != "domain" || string.IsNullOrWhiteSpace(_name))
        {
            WriteError(ErrorHelper.InvalidArgument("The XML is not a libvirt domain definition with a <name>.", "InvalidDomainXml", ErrorTarget));
            return;
        }

        if (ObjectName.Validate("VM", Name ?? _name) is string badName)
        {
            WriteError(ErrorHelper.InvalidArgument(badName, "InvalidName", Name ?? _name));
            return;
        }
        var conn = GetConnection();
        HostDomains host = HostDomains.Read(conn);
        if (Name is not null)
        {
            string original = _name;
            _name = Name;
            foreach (string note in DomainImport.AsCopy(doc, Name, host))
            {
                WriteWarning(note);
            }
            text = doc.ToString();
            WriteVerbose($"Importing '{original}' as '{Name}' with a new UUID and new MAC address(es) {string.Join(", ", DomainImport.Macs(doc))}.");
        }
        else if (MacAddressCheck.Check(host, DomainImport.Macs(doc), except: _name, Force) is { } inUse)
        {
            WriteError(ErrorHelper.Refusal(inUse.Kind, $"VM '{_name}' was not imported: {inUse.Message}", inUse.ErrorId, _name));
            return;
        }
        using (var existing = DomainService.TryLookup(conn, _name))
        {
            if (existing is not null && !Force)
            {
                WriteError(ErrorHelper.Create(new InvalidOperationException($"A VM named '{_name}' already exists; use -Force to replace its definition."),
                    "VMExists", ErrorCategory.ResourceExists, _name));
                return;
            }
        }
        if (!ShouldProcess(_name, "Define VM from XML"))
        {
            return;
        }
        if (!KeepOwnership && DomainXmlText.DropOwnership(doc) is int dropped && dropped > 0)
        {
            // What is sent is the document checked here, less the ownership record.
            text = doc.ToString();
            WriteVerbose($"Dropped KvmPS's ownership record of {dropped} storage path(s) from '{_name}' (-KeepOwnership keeps it).");
        }
        DomainHandle h;
        try
        {
            h = DomainService.Define(conn, text, validate: !SkipValidation);
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.XmlInvalidSchema)
        {
            WriteError(ErrorHelper.Create(new InvalidDataException(e.LibvirtMessage, e), "DomainXmlFailsSchema", ErrorCategory.InvalidData, _name,
                $"libvirt's schema rejects the definition of '{_name}' ({DomainEditor.OneLine(e.LibvirtMessage)}). Nothing was defined. " +
                "libvirt itself may accept it (a relative disk path is one such case) and drops what it does not know; " +
                "to define it without the schema check, run Import-KvmVM again with -SkipValidation."));
            return;
        }
        using var _ = h;
        WriteObject(DomainService.Get(conn, h));
    }
}
