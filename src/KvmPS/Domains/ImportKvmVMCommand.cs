using System.Management.Automation;
using System.Xml;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Devices;
using KvmPS.Engine.Domains;

namespace KvmPS.Commands;

/// <summary>Defines a VM from domain XML (a file or text), like virsh define.</summary>
[Cmdlet(VerbsData.Import, "KvmVM", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class ImportKvmVMCommand : KvmCmdlet
{
    /// <summary>Path of a domain XML file.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path", ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = "";

    /// <summary>Domain XML text (also from the pipeline, e.g. Export-KvmVM output).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Xml", ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string Xml { get; set; } = "";

    /// <summary>
    /// Imports a copy under this name: a new UUID, new MAC addresses, and no ownership of the
    /// original's storage (its disks are shared, never deleted with the copy).
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty, ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Name { get; set; }

    /// <summary>Replaces the definition of an existing VM with the same name and UUID, and uses MAC addresses other VMs of the host have.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Accepted for compatibility and not needed: Import-KvmVM always returns the VM it defined.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private string? _name;

    protected override object? ErrorTarget => _name ?? (ParameterSetName == "Path" ? Path : null);

    protected override void ProcessRecordCore()
    {
        _name = null;
        string text;
        if (ParameterSetName == "Path")
        {
            string file = GetUnresolvedProviderPathFromPSPath(Path);
            if (!File.Exists(file))
            {
                WriteError(ErrorHelper.Create(new FileNotFoundException($"'{file}' does not exist.", file),
                    "FileNotFound", ErrorCategory.ObjectNotFound, Path));
                return;
            }
            try
            {
                text = File.ReadAllText(file);
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
            doc = SafeXml.Parse(text);
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
        using var h = DomainService.Define(conn, text, validate: true);
        WriteObject(DomainService.Get(conn, h));
    }
}
