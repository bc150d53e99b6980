# Root module of KvmPS. It loads the public object types (KvmPS.Shared) into the default load
# context, then imports the cmdlet assembly from the module's own AssemblyLoadContext so that the
# engine's dependencies never clash with another module's copies.

$importModule = Get-Command -Name Import-Module -Module Microsoft.PowerShell.Core
$binDir = [System.IO.Path]::Combine($PSScriptRoot, 'bin')

$isReload = $true
if (-not ('KvmPS.LoadContext' -as [type])) {
    $isReload = $false
    Add-Type -Path ([System.IO.Path]::Combine($binDir, 'KvmPS.Shared.dll'))
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

$ExecutionContext.SessionState.Module.OnRemove = {
    $mainAssembly.GetType('KvmPS.Commands.KvmSessionState').GetMethod('CloseAll').Invoke($null, @())
}.GetNewClosure()
