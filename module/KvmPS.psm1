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

# DSC resources (class-based: Invoke-DscResource, and DSC v3 through its PowerShell adapter). They
# run on the same engine as configuration files: Test is Get-KvmConfigurationPlan of a one-entry
# configuration, Set is Invoke-KvmConfiguration of it, so a DSC run and a runbook agree.
enum KvmEnsure { Present; Absent }

function ConvertTo-KvmDscEntry([object] $Resource, [string[]] $Skip = @()) {
    # The resource's configurable properties that are set, as a configuration entry.
    $entry = @{}
    foreach ($p in $Resource.GetType().GetProperties()) {
        $attr = $p.GetCustomAttributes([System.Management.Automation.DscPropertyAttribute], $false) | Select-Object -First 1
        if (-not $attr -or $attr.NotConfigurable -or $p.Name -in (@('Uri', 'AllowRestart') + $Skip)) { continue }
        $v = $p.GetValue($Resource)
        if ($null -eq $v -or ($v -is [string] -and $v -eq '') -or ($v -is [array] -and $v.Count -eq 0)) { continue }
        $entry[$p.Name] = if ($v -is [enum]) { "$v" } else { $v }
    }
    $entry
}

function Test-KvmDscEntry([string] $Section, [hashtable] $Entry, [string] $Uri) {
    $plan = Get-KvmConfigurationPlan -Configuration @{ $Section = @($Entry) } -Uri $Uri -ErrorAction Stop
    -not @($plan | Where-Object Action -ne 'NoChange')
}

function Set-KvmDscEntry([string] $Section, [hashtable] $Entry, [string] $Uri, [bool] $AllowRestart) {
    $r = @(Invoke-KvmConfiguration -Configuration @{ $Section = @($Entry) } -Uri $Uri -AllowRestart:$AllowRestart -Confirm:$false -ErrorAction Stop)
    $bad = @($r | Where-Object Status -in 'Failed', 'Skipped')
    if ($bad) { throw ($bad | ForEach-Object { "$($_.Kind) '$($_.Name)': $($_.Status): $($_.Message)" }) -join ' ' }
}

function Get-KvmDscUri([string] $Uri) { if ($Uri) { $Uri } else { $null } }

[DscResource()]
class KvmNetwork {
    [DscProperty(Key)] [string] $Name
    [DscProperty()] [string] $Uri
    [DscProperty()] [KvmEnsure] $Ensure = [KvmEnsure]::Present
    [DscProperty()] [string] $Mode
    [DscProperty()] [string[]] $Subnet
    [DscProperty()] [string] $BridgeName
    [DscProperty()] [string] $HostBridge
    [DscProperty()] [Nullable[bool]] $Autostart
    [DscProperty()] [Nullable[bool]] $Start
    [DscProperty(NotConfigurable)] [Nullable[bool]] $IsActive

    [KvmNetwork] Get() {
        $now = [KvmNetwork]@{ Name = $this.Name; Uri = $this.Uri; Ensure = 'Absent' }
        $n = Get-KvmNetwork -Name $this.Name -Uri (Get-KvmDscUri $this.Uri) -ErrorAction SilentlyContinue
        if ($n) {
            $now.Ensure = 'Present'; $now.Mode = "$($n.Mode)"; $now.Subnet = @($n.Subnet, $n.Subnet6 | Where-Object { $_ })
            $now.BridgeName = $n.BridgeName; $now.HostBridge = $n.HostBridge; $now.Autostart = $n.Autostart; $now.IsActive = $n.IsActive
        }
        return $now
    }
    [bool] Test() { return Test-KvmDscEntry 'Networks' (ConvertTo-KvmDscEntry $this) (Get-KvmDscUri $this.Uri) }
    [void] Set() { Set-KvmDscEntry 'Networks' (ConvertTo-KvmDscEntry $this) (Get-KvmDscUri $this.Uri) $false }
}

[DscResource()]
class KvmStoragePool {
    [DscProperty(Key)] [string] $Name
    [DscProperty()] [string] $Uri
    [DscProperty()] [KvmEnsure] $Ensure = [KvmEnsure]::Present
    [DscProperty()] [string] $Type
    [DscProperty()] [string] $Path
    [DscProperty()] [Nullable[bool]] $Autostart
    [DscProperty()] [Nullable[bool]] $Start
    [DscProperty(NotConfigurable)] [string] $State

    [KvmStoragePool] Get() {
        $now = [KvmStoragePool]@{ Name = $this.Name; Uri = $this.Uri; Ensure = 'Absent' }
        $p = Get-KvmStoragePool -Name $this.Name -Uri (Get-KvmDscUri $this.Uri) -ErrorAction SilentlyContinue
        if ($p) { $now.Ensure = 'Present'; $now.Type = "$($p.Type)"; $now.Path = $p.Path; $now.Autostart = $p.Autostart; $now.State = "$($p.State)" }
        return $now
    }
    [bool] Test() { return Test-KvmDscEntry 'StoragePools' (ConvertTo-KvmDscEntry $this) (Get-KvmDscUri $this.Uri) }
    [void] Set() { Set-KvmDscEntry 'StoragePools' (ConvertTo-KvmDscEntry $this) (Get-KvmDscUri $this.Uri) $false }
}

[DscResource()]
class KvmVolume {
    [DscProperty(Key)] [string] $Name
    [DscProperty(Key)] [string] $Pool
    [DscProperty()] [string] $Uri
    [DscProperty()] [KvmEnsure] $Ensure = [KvmEnsure]::Present
    [DscProperty()] [Nullable[UInt64]] $Size
    [DscProperty()] [string] $Format
    [DscProperty()] [string] $BackingPath
    [DscProperty(NotConfigurable)] [string] $Path

    [KvmVolume] Get() {
        $now = [KvmVolume]@{ Name = $this.Name; Pool = $this.Pool; Uri = $this.Uri; Ensure = 'Absent' }
        $v = Get-KvmVolume -Pool $this.Pool -Name $this.Name -Uri (Get-KvmDscUri $this.Uri) -ErrorAction SilentlyContinue
        if ($v) { $now.Ensure = 'Present'; $now.Size = $v.CapacityBytes; $now.Format = $v.Format; $now.BackingPath = $v.BackingPath; $now.Path = $v.Path }
        return $now
    }
    [bool] Test() { return Test-KvmDscEntry 'Volumes' (ConvertTo-KvmDscEntry $this) (Get-KvmDscUri $this.Uri) }
    [void] Set() { Set-KvmDscEntry 'Volumes' (ConvertTo-KvmDscEntry $this) (Get-KvmDscUri $this.Uri) $false }
}

[DscResource()]
class KvmVM {
    [DscProperty(Key)] [string] $Name
    [DscProperty()] [string] $Uri
    [DscProperty()] [KvmEnsure] $Ensure = [KvmEnsure]::Present
    [DscProperty()] [Nullable[UInt64]] $Memory
    [DscProperty()] [Nullable[int]] $VCpuCount
    [DscProperty()] [string[]] $Network
    [DscProperty()] [string[]] $MacAddress
    [DscProperty()] [string] $Pool
    [DscProperty()] [Nullable[UInt64]] $DiskSize
    [DscProperty()] [string] $OSVariant
    [DscProperty()] [Nullable[bool]] $Autostart
    [DscProperty()] [Nullable[bool]] $Start
    [DscProperty()] [Nullable[int]] $Sockets
    [DscProperty()] [Nullable[int]] $Cores
    [DscProperty()] [Nullable[int]] $Threads
    [DscProperty()] [string] $CpuPin
    [DscProperty()] [Nullable[UInt64]] $HugePageSize
    # Set may shut the VM down gracefully for a change that needs a boot.
    [DscProperty()] [bool] $AllowRestart
    [DscProperty(NotConfigurable)] [string] $Uuid
    [DscProperty(NotConfigurable)] [string] $State

    [KvmVM] Get() {
        $now = [KvmVM]@{ Name = $this.Name; Uri = $this.Uri; Ensure = 'Absent' }
        $vm = Get-KvmVM -Name $this.Name -Uri (Get-KvmDscUri $this.Uri) -ErrorAction SilentlyContinue
        if ($vm) {
            $now.Ensure = 'Present'; $now.Memory = $vm.MemoryBytes; $now.VCpuCount = $vm.VCpuCount
            $now.Network = @($vm.NetworkAdapters.Source); $now.MacAddress = @($vm.NetworkAdapters.MacAddress)
            $now.OSVariant = $vm.OSVariant; $now.Autostart = $vm.Autostart; $now.Uuid = "$($vm.Uuid)"; $now.State = "$($vm.State)"
            $cpu = Get-KvmCpu -Name $this.Name -Uri (Get-KvmDscUri $this.Uri)
            $now.Sockets = $cpu.Sockets; $now.Cores = $cpu.Cores; $now.Threads = $cpu.Threads
            $now.HugePageSize = (Get-KvmMemory -Name $this.Name -Uri (Get-KvmDscUri $this.Uri)).HugePageSizeBytes
        }
        return $now
    }
    [hashtable] Entry() {
        $e = ConvertTo-KvmDscEntry $this @('Sockets', 'Cores', 'Threads', 'HugePageSize')
        $cpu = @{}
        foreach ($k in 'Sockets', 'Cores', 'Threads') { if ($null -ne $this.$k) { $cpu[$k] = $this.$k } }
        if ($cpu.Count) { $e.Cpu = $cpu }
        if ($null -ne $this.HugePageSize) { $e.MemoryBacking = @{ HugePageSize = $this.HugePageSize } }
        return $e
    }
    [bool] Test() { return Test-KvmDscEntry 'VMs' $this.Entry() (Get-KvmDscUri $this.Uri) }
    [void] Set() { Set-KvmDscEntry 'VMs' $this.Entry() (Get-KvmDscUri $this.Uri) $this.AllowRestart }
}
