# Root module of KvmPS. It loads the public object types (KvmPS.Shared) into the default load
# context, then imports the cmdlet assembly from the module's own AssemblyLoadContext so that the
# engine's dependencies never clash with another module's copies.

# The engine's own Import-Module (a lookup far cheaper than Get-Command at import time).
$importModule = $ExecutionContext.InvokeCommand.GetCmdlet('Microsoft.PowerShell.Core\Import-Module')
# One build per .NET major version (ReadyToRun code is used only on the version it was compiled
# for): .NET 10 and later take the net10.0 build, .NET 8 and 9 (pwsh 7.4, 7.5) the net8.0 one.
$framework = if ([Environment]::Version.Major -ge 10) { 'net10.0' } else { 'net8.0' }
$binDir = [System.IO.Path]::Combine($PSScriptRoot, 'bin', $framework)

$isReload = $true
if (-not ('KvmPS.LoadContext' -as [type])) {
    $isReload = $false
    $null = [System.Runtime.Loader.AssemblyLoadContext]::Default.LoadFromAssemblyPath([System.IO.Path]::Combine($binDir, 'KvmPS.Shared.dll'))
}

$mainAssembly = [KvmPS.LoadContext]::Initialize()
$innerModule = & $importModule -Assembly $mainAssembly -PassThru:$isReload

if ($innerModule) {
    # Import-Module -Force: the assembly is already loaded, so its cmdlets must be re-exported
    # through this module by hand.
    $addExported = [System.Management.Automation.PSModuleInfo].GetMethod(
        'AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
    foreach ($cmd in $innerModule.ExportedCommands.Values) {
        $addExported.Invoke($ExecutionContext.SessionState.Module, @(, $cmd))
    }
}

# Cleanup belongs to the cmdlet assembly (KvmPS.Commands.ModuleLifecycle, an
# IModuleAssemblyCleanup) and closes the connections of the runspace that removes the module only.
# PowerShell calls it on Remove-Module, but not when Import-Module -Force replaces this module, so
# the root module hands its own removal to the same cleanup. A second call is harmless.
# A script block written here belongs to this module, so $script: resolves here when it runs.
$script:KvmPSMainAssembly = $mainAssembly
$ExecutionContext.SessionState.Module.OnRemove = {
    param($module)
    $type = $script:KvmPSMainAssembly.GetType('KvmPS.Commands.ModuleLifecycle', $true)
    ([System.Management.Automation.IModuleAssemblyCleanup][Activator]::CreateInstance($type)).OnRemove($module)
}
