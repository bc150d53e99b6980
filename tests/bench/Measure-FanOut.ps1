<#
.SYNOPSIS
Benchmark: Get-KvmVM over N hosts at once against the same hosts one after another, printing
the ratio of the fan-out to the slowest single host and to the sum.

.DESCRIPTION
Each host is a test-driver host file of its own with -Count domains (test:///path.xml): opening
one parses its XML and listing it reads every domain, so the work per host is real CPU work of
this process. On a machine with fewer cores than hosts the fan-out cannot reach the slowest host
alone; the printed core count says what to expect.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/KvmPS/KvmPS.psd1'),
    [int] $Hosts = 4,
    [int] $Count = 300,
    [int] $Runs = 5
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

function Get-Median([double[]] $Values) { $s = $Values | Sort-Object; $s[[int][Math]::Floor($s.Count / 2)] }

$dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-bench-fanout-$PID"
$null = New-Item -ItemType Directory -Path $dir -Force
try {
    $uris = foreach ($h in 1..$Hosts) {
        $domains = foreach ($i in 1..$Count) { "<domain type='test'><name>h$h-vm$i</name><memory>65536</memory><os><type>hvm</type></os></domain>" }
        Set-Content (Join-Path $dir "h$h.xml") "<node>$($domains -join '')</node>"
        "test://$dir/h$h.xml"
    }
    # Fresh connections each run (Disconnect), so each run pays the connect as a fleet query does.
    $reset = { foreach ($c in @(Get-KvmConnection)) { Disconnect-KvmHost -Uri $c.RequestedUri } }
    $single = @{}; $seq = @(); $fan = @()
    foreach ($r in 1..$Runs) {
        foreach ($u in $uris) {
            & $reset
            $single[$u] += , (Measure-Command { $null = Get-KvmVM -Uri $u }).TotalMilliseconds
        }
        & $reset
        $seq += (Measure-Command { foreach ($u in $uris) { $null = Get-KvmVM -Uri $u } }).TotalMilliseconds
        & $reset
        $n = 0
        $fan += (Measure-Command { $n = @(Get-KvmVM -Uri $uris).Count }).TotalMilliseconds
        if ($n -ne $Hosts * $Count) { throw "fan-out returned $n VMs, expected $($Hosts * $Count)" }
    }
    $slowest = ($uris | ForEach-Object { Get-Median $single[$_] } | Measure-Object -Maximum).Maximum
    $sum = Get-Median $seq
    $f = Get-Median $fan
    '{0} hosts x {1} VMs, {2} cores, median of {3} runs' -f $Hosts, $Count, [Environment]::ProcessorCount, $Runs
    '  slowest single host : {0,8:0.0} ms' -f $slowest
    '  one after another   : {0,8:0.0} ms' -f $sum
    '  fan-out (-Uri h1..) : {0,8:0.0} ms' -f $f
    '  fan-out / slowest   : {0,8:0.00}' -f ($f / $slowest)
    '  fan-out / sum       : {0,8:0.00}' -f ($f / $sum)
}
finally {
    Remove-Item -Recurse -Force $dir -ErrorAction Ignore
}
