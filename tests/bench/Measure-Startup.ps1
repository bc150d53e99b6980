<#
.SYNOPSIS
Benchmark: what a user waits for before KvmPS answers — Import-Module and the first call of each
common cmdlet — in fresh pwsh processes, against a bare pwsh measured in the same run.

.DESCRIPTION
Each run starts a fresh pwsh twice: once bare (a first pipeline through Get-Date | Format-Table,
so PowerShell's own first-use costs are known), once with Startup-Probe.ps1, which times
Import-Module and the first Get-KvmVM, Get-KvmVM | Format-Table, New-KvmVM, Get-KvmNetwork and
Test-KvmHost on libvirt's test driver in-process. Prints medians; the ratio column compares the
whole process (start to exit) with KvmPS's import and first Get-KvmVM to the bare one.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/KvmPS/KvmPS.psd1'),
    [int] $Runs = 7
)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$pwsh = if (Test-Path $pwshDll) { @('dotnet', $pwshDll) } else { @((Get-Process -Id $PID).Path) }
$probe = Join-Path $PSScriptRoot 'Startup-Probe.ps1'

function Get-Median([double[]] $Values) {
    $s = @($Values | Sort-Object)
    $s[[int][math]::Floor($s.Count / 2)]
}

function Invoke-Fresh([string[]] $Arguments) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $out = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoLogo -NoProfile -NonInteractive @Arguments
    if ($LASTEXITCODE -ne 0) { throw "pwsh $Arguments exited with $LASTEXITCODE" }
    [pscustomobject]@{ WallMs = $sw.Elapsed.TotalMilliseconds; Output = $out }
}

$bare = @(); $ours = @(); $laps = @()
foreach ($i in 1..$Runs) {
    $bare += (Invoke-Fresh @('-Command', '$null = Get-Date | Format-Table | Out-String')).WallMs
    $r = Invoke-Fresh @('-File', $probe, '-ModulePath', $ModulePath)
    $ours += $r.WallMs
    $laps += ($r.Output | Select-Object -Last 1 | ConvertFrom-Json)
}

$rows = foreach ($name in $laps[0].PSObject.Properties.Name) {
    [pscustomobject]@{ Step = $name; MedianMs = [math]::Round((Get-Median @($laps.$name)), 1); MinMs = [math]::Round((($laps.$name | Measure-Object -Minimum).Minimum), 1) }
}
$rows | Format-Table -AutoSize | Out-String | Write-Output
$b = Get-Median $bare; $o = Get-Median $ours
[pscustomobject]@{
    BarePwshProcessMs  = [math]::Round($b)
    KvmPSProcessMs     = [math]::Round($o)
    Ratio              = [math]::Round($o / $b, 2)
    Runs               = $Runs
} | Format-Table -AutoSize | Out-String | Write-Output
