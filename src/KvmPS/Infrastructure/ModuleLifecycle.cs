using System.Management.Automation;
using System.Management.Automation.Runspaces;
using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>
/// PowerShell calls these when the cmdlet assembly is imported into a runspace and when that
/// runspace removes the module (Remove-Module, or Import-Module -Force). Cleanup concerns the
/// calling runspace only: other runspaces of the process keep their connections and default host.
/// </summary>
public sealed class ModuleLifecycle : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    /// <inheritdoc />
    public void OnImport() => EngineStartup.Initialize();

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (Runspace.DefaultRunspace is Runspace calling)
        {
            SessionRegistry.Release(calling);
        }
    }
}
