<#
.SYNOPSIS
Benchmark: Get-KvmConfigurationPlan of a 200-VM lab against a host that already matches it — its
time, against Get-KvmVM listing the same VMs in the same process, and the libvirt calls it makes
(read calls only: libvirt's own debug log lists every public API entered; writes must be 0).

.DESCRIPTION
Runs on libvirt's test driver (in-process) and, unless -SkipSystem, on $env:KVMPS_SYSTEM_URI or
qemu:///system when it answers, with VMs defined for the run (no disks) and removed afterwards.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/KvmPS/KvmPS.psd1'),
    [int] $Count = 200,
    [int] $Runs = 5,
    [switch] $SkipSystem
)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path

function Get-Median([double[]] $Values) {
    $s = @($Values | Sort-Object)
    $s[[int][math]::Floor($s.Count / 2)]
}

function New-BenchLab([string] $Uri, [int] $N) {
    @{
        Uri      = $Uri
        Networks = @(@{ Name = 'bench-cfg-net'; Mode = 'Isolated'; Subnet = '10.203.0.0/24' })
        VMs      = @(foreach ($i in 1..$N) {
                @{ Name = "bench-cfg-$i"; Memory = 128MB; VCpuCount = 2; Network = 'bench-cfg-net'; OSVariant = 'ubuntu22.04'
                    VirtType = 'Qemu'; Graphics = 'None'; Cpu = @{ Sockets = 1; Cores = 2; Threads = 1 }; MemoryBacking = @{ NoBalloon = $true } }
            })
    }
}

# Runs in a child process: makes the lab, marks the log, plans it; prints the plan's timings.
$child = {
    param($ModulePath, $Uri, $Count, $Runs, $LabFile)
    Import-Module $ModulePath
    $lab = Import-PowerShellDataFile $LabFile
    $made = @(Invoke-KvmConfiguration -Configuration $lab -Confirm:$false)
    $failed = @($made | Where-Object Status -eq 'Failed')
    if ($failed) { throw "making the lab failed: $($failed[0].Message)" }
    $null = Start-KvmVM -Name 'kvmps-plan-marker' -Uri $Uri -ErrorAction SilentlyContinue
    $plan = foreach ($i in 1..$Runs) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $items = @(Get-KvmConfigurationPlan -Configuration $lab)
        $sw.Elapsed.TotalMilliseconds
    }
    $null = Start-KvmVM -Name 'kvmps-plan-marker-end' -Uri $Uri -ErrorAction SilentlyContinue
    $list = foreach ($i in 1..$Runs) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $null = @(Get-KvmVM -Uri $Uri)
        $sw.Elapsed.TotalMilliseconds
    }
    [pscustomobject]@{ Plan = $plan; List = $list; NoChange = @($items | Where-Object Action -eq 'NoChange').Count; Items = $items.Count } | ConvertTo-Json -Compress
}

function Measure-Plan([string] $Uri, [string] $Label) {
    $work = Join-Path ([IO.Path]::GetTempPath()) "kvmps-bench-cfg-$PID"
    $null = New-Item -ItemType Directory -Force -Path $work
    $log = Join-Path $work 'libvirt.log'
    $labFile = Join-Path $work 'lab.psd1'
    $lab = New-BenchLab $Uri $Count
    # The lab as a data file the child reads back.
    $vmText = ($lab.VMs | ForEach-Object { "@{ Name = '$($_.Name)'; Memory = 128MB; VCpuCount = 2; Network = 'bench-cfg-net'; OSVariant = 'ubuntu22.04'; VirtType = 'Qemu'; Graphics = 'None'; Cpu = @{ Sockets = 1; Cores = 2; Threads = 1 }; MemoryBacking = @{ NoBalloon = `$true } }" }) -join ",`n"
    Set-Content $labFile "@{ Uri = '$Uri'; Networks = @(@{ Name = 'bench-cfg-net'; Mode = 'Isolated'; Subnet = '10.203.0.0/24' }); VMs = @(`n$vmText`n) }"
    $script = Join-Path $work 'child.ps1'
    Set-Content $script $child.ToString()
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    $pwsh = if (Test-Path $pwshDll) { @('dotnet', $pwshDll) } else { @((Get-Process -Id $PID).Path) }
    $env:LIBVIRT_LOG_FILTERS = '1:libvirt 4:util 4:rpc 4:conf 4:test 4:security 4:qemu'
    $env:LIBVIRT_LOG_OUTPUTS = "1:file:$log"
    try {
        $json = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script $ModulePath $Uri $Count $Runs $labFile
        if ($LASTEXITCODE -ne 0) { throw "the benchmark process failed: $json" }
    } finally {
        Remove-Item Env:LIBVIRT_LOG_FILTERS, Env:LIBVIRT_LOG_OUTPUTS -ErrorAction Ignore
    }
    $r = ($json | Select-Object -Last 1) | ConvertFrom-Json
    $lines = [IO.File]::ReadAllLines($log)
    $start = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l -match 'name=kvmps-plan-marker$' })
    $end = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l -match 'name=kvmps-plan-marker-end$' })
    $calls = @($lines[($start + 1)..($end - 1)] | ForEach-Object { if ($_ -match ' : (vir[A-Z][A-Za-z]+):\d+ : ') { $Matches[1] } })
    $writes = @($calls | Where-Object { $_ -match 'Define|Create|Undefine|Destroy|Shutdown|Reboot|Reset|Suspend|Resume|Set[A-Z]|Attach|Detach|Update|Resize|Delete|Build|Pin[A-Z]|Upload|Wipe|Migrate|Abort' })
    $planMs = Get-Median $r.Plan
    $listMs = Get-Median $r.List
    [pscustomobject]@{
        Host            = $Label
        VMs             = $Count
        NoChange        = "$($r.NoChange)/$($r.Items)"
        PlanMs          = [math]::Round($planMs, 1)
        GetKvmVMMs      = [math]::Round($listMs, 1)
        PlanToListing   = [math]::Round($planMs / $listMs, 2)
        LibvirtCalls    = [math]::Round($calls.Count / $Runs)
        WriteCalls      = $writes.Count
    }
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

$results = @(Measure-Plan 'test:///default' 'test driver (in-process)')

if (-not $SkipSystem) {
    $uri = if ($env:KVMPS_SYSTEM_URI) { $env:KVMPS_SYSTEM_URI } else { 'qemu:///system' }
    & virsh -c $uri version *> $null
    if ($LASTEXITCODE -eq 0) {
        try {
            $results += Measure-Plan $uri $uri
        } finally {
            foreach ($i in 1..$Count) { & virsh -c $uri undefine "bench-cfg-$i" *> $null }
            & virsh -c $uri net-undefine bench-cfg-net *> $null
        }
    } else {
        Write-Information "SKIPPED: $uri does not answer" -InformationAction Continue
    }
}
$results | Format-Table -AutoSize | Out-String -Width 200
if ($results | Where-Object WriteCalls -gt 0) { throw 'A plan made write calls to libvirt.' }
