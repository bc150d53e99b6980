# One fresh process's first-use figures, printed as JSON: Import-Module, then the first call of a
# few cmdlets on the test driver. Run by Measure-Startup.ps1, once per fresh pwsh.
param([Parameter(Mandatory)][string] $ModulePath)
$ErrorActionPreference = 'Stop'
$sw = [Diagnostics.Stopwatch]::new()
# Methods the JIT compiled during the steps (ReadyToRun code needs none): a count that does not
# depend on how busy the machine is, unlike the times.
$script:jitMethods = 0
function Time([scriptblock] $Block) {
    $before = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
    $sw.Restart(); $null = & $Block; $sw.Stop()
    $script:jitMethods += [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $before
    [math]::Round($sw.Elapsed.TotalMilliseconds, 1)
}
# The same kind of work without KvmPS: a first pipeline through a core cmdlet and a table.
$bare = Time { Get-Date | Format-Table | Out-String }
$bareJit = $script:jitMethods; $script:jitMethods = 0
$import = Time { Import-Module $ModulePath }
$connect = Time { Connect-KvmHost -Uri test:///default }
$getVm = Time { Get-KvmVM }
$table = Time { Get-KvmVM | Format-Table | Out-String }
$newVm = Time { New-KvmVM -Name "startup-probe-$PID" -Memory 64MB -Confirm:$false }
$secondNew = Time { New-KvmVM -Name "startup-probe2-$PID" -Memory 64MB -Confirm:$false }
$getNet = Time { Get-KvmNetwork }
# The 14 checks that read the host; KvmGuestRuns starts a guest (up to its 10 s timeout where KVM
# cannot run one), which is not start-up cost.
$checks = 'CpuVirtualization', 'KvmModules', 'KvmDevice', 'UserGroups', 'LibvirtDaemon', 'QemuEmulator', 'KvmDomainType',
    'NestedVirtualization', 'HugePages', 'Iommu', 'VhostNet', 'Tun', 'Cgroups', 'SecurityDriver'
$testHost = Time { Test-KvmHost -Uri test:///default -Check $checks }
[pscustomobject]@{
    BareFirstTable = $bare; Import = $import; FirstConnect = $connect; FirstGetVM = $getVm
    FirstGetVMTable = $table; FirstNewVM = $newVm; SecondNewVM = $secondNew; FirstGetNetwork = $getNet
    FirstTestHost = $testHost; BareJitMethods = $bareJit; KvmPSJitMethods = $script:jitMethods
} | ConvertTo-Json -Compress
