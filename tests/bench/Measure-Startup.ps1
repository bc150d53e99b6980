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

# The floor any module with format views pays: a module of one cmdlet-less manifest and one tiny
# table view. PowerShell rebuilds its whole format table when a module adds views.
$refDir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-startup-ref-$PID"
$null = New-Item -ItemType Directory -Force -Path $refDir
Set-Content -Path (Join-Path $refDir 'Ref.Format.ps1xml') -Value @'
<?xml version="1.0" encoding="utf-8"?>
<Configuration><ViewDefinitions><View><Name>Ref</Name><ViewSelectedBy><TypeName>Ref.Item</TypeName></ViewSelectedBy>
<TableControl><TableHeaders><TableColumnHeader/></TableHeaders><TableRowEntries><TableRowEntry><TableColumnItems>
<TableColumnItem><PropertyName>Name</PropertyName></TableColumnItem></TableColumnItems></TableRowEntry></TableRowEntries></TableControl>
</View></ViewDefinitions></Configuration>
'@
New-ModuleManifest -Path (Join-Path $refDir 'Ref.psd1') -FormatsToProcess 'Ref.Format.ps1xml' -CmdletsToExport @() -FunctionsToExport @() -AliasesToExport @() -VariablesToExport @()
$refScript = '$null = Get-Date | Format-Table | Out-String; $sw = [Diagnostics.Stopwatch]::StartNew(); Import-Module ''{0}''; $sw.Elapsed.TotalMilliseconds' -f (Join-Path $refDir 'Ref.psd1')

$bare = @(); $ours = @(); $laps = @(); $ref = @()
foreach ($i in 1..$Runs) {
    $bare += (Invoke-Fresh @('-Command', '$null = Get-Date | Format-Table | Out-String')).WallMs
    $r = Invoke-Fresh @('-File', $probe, '-ModulePath', $ModulePath)
    $ours += $r.WallMs
    $laps += ($r.Output | Select-Object -Last 1 | ConvertFrom-Json)
    $ref += [double]((Invoke-Fresh @('-Command', $refScript)).Output | Select-Object -Last 1)
}
Remove-Item -Recurse -Force $refDir

$rows = foreach ($name in $laps[0].PSObject.Properties.Name) {
    [pscustomobject]@{ Step = $name; MedianMs = [math]::Round((Get-Median @($laps.$name)), 1); MinMs = [math]::Round((($laps.$name | Measure-Object -Minimum).Minimum), 1) }
}
$rows | Format-Table -AutoSize | Out-String | Write-Output
$b = Get-Median $bare; $o = Get-Median $ours
[pscustomobject]@{
    BarePwshProcessMs  = [math]::Round($b)
    KvmPSProcessMs     = [math]::Round($o)
    Ratio              = [math]::Round($o / $b, 2)
    OneViewModuleImportMs = [math]::Round((Get-Median $ref), 1)
    KvmPSImportMs      = ($rows | Where-Object Step -eq 'Import').MedianMs
    Runs               = $Runs
} | Format-Table -AutoSize | Out-String | Write-Output
