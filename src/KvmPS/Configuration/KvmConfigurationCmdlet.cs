using System.Collections;
using System.Management.Automation;
using KvmPS.Engine.Configuration;

namespace KvmPS.Commands;

/// <summary>
/// Base of the cmdlets that read a configuration: -Path to a .psd1 or .json file, or -Configuration
/// with the same table in memory; every key is checked against the cmdlets' parameters first.
/// </summary>
public abstract class KvmConfigurationCmdlet : KvmCmdlet
{
    /// <summary>A PowerShell data file (.psd1), JSON or YAML file with the keys Uri, Networks, StoragePools, Volumes and VMs.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The configuration as a table (the contents a .psd1 file would have).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Table")]
    public IDictionary? Configuration { get; set; }

    /// <summary>The name of the configuration, marked on the VMs it makes so -Prune finds them: by default the file's base name ('lab' for lab.psd1), or 'default' for -Configuration.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? ConfigurationName { get; set; }

    /// <summary>Also plan the removal of VMs this configuration made that it no longer lists (only those that carry its mark).</summary>
    [Parameter]
    public SwitchParameter Prune { get; set; }

    protected string EffectiveConfigurationName =>
        ConfigurationName ?? (ParameterSetName == "Path" ? System.IO.Path.GetFileNameWithoutExtension(Path) : "default");

    protected override object? ErrorTarget => ParameterSetName == "Path" ? Path : (object?)EffectiveUri;

    /// <summary>Reads and checks the configuration, or writes the error and returns null.</summary>
    protected LabDocument? ReadDocument()
    {
        try
        {
            IDictionary tree = ParameterSetName == "Path"
                ? ConfigurationSource.FromFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path))
                : (IDictionary)ConfigurationSource.Plain(Configuration)!;
            return LabDocumentReader.FromTree(tree, ConfigurationKeys.For(InvokeCommand), EffectiveUri);
        }
        catch (ConfigurationException e)
        {
            WriteError(ToError(e));
            return null;
        }
    }

    /// <summary>The plan of a checked configuration against its hosts (read calls only), or null after an error.</summary>
    protected List<KvmConfigurationPlanItem>? PlanOf(LabDocument doc)
    {
        try
        {
            return ConfigurationPlanner.Plan(doc, uri => HostState.Read(GetConnection(uri)), Prune ? EffectiveConfigurationName : null);
        }
        catch (ConfigurationException e)
        {
            WriteError(ToError(e));
            return null;
        }
    }

    internal static ErrorRecord ToError(ConfigurationException e) => ErrorHelper.Create(e, e.ErrorId, e.ErrorId switch
    {
        "ConfigurationFileNotFound" => ErrorCategory.ObjectNotFound,
        "ConfigurationReferenceMissing" => ErrorCategory.ObjectNotFound,
        "ConfigurationFileInvalid" => ErrorCategory.InvalidData,
        "ConfigurationNameDuplicate" => ErrorCategory.InvalidData,
        _ => ErrorCategory.InvalidArgument,
    }, e.Target, e.Message);
}
