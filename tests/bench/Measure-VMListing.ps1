<#
.SYNOPSIS
Benchmark: Get-KvmVM over many domains against libvirt-python doing the same (list every domain,
read its XML and state), side by side, printing the ratio.

.DESCRIPTION
Runs on libvirt's test driver with a generated host of -Count domains, and on a real daemon
(-SystemUri: $env:KVMPS_SYSTEM_URI, else qemu:///system, when it answers) with -SystemCount small
domains defined for the run and removed afterwards (target: at most 0.35x libvirt-python).
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/KvmPS/KvmPS.psd1'),
    [int] $Count = 1000,
    [int] $SystemCount = 200,
    [int] $Runs = 7,
    [string] $SystemUri = $(if ($env:KVMPS_SYSTEM_URI) { $env:KVMPS_SYSTEM_URI } else { 'qemu:///system' }),
    [switch] $SkipSystem
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

function Get-Median([double[]] $Values) {
    $s = $Values | Sort-Object
    $s[[int][math]::Floor($s.Count / 2)]
}

function Measure-Pair([string] $Uri, [string] $Label) {
    Connect-KvmHost -Uri $Uri
    $null = Get-KvmVM  # warm up: connection, JIT
    $ours = foreach ($i in 1..$Runs) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $n = @(Get-KvmVM).Count
        $sw.Elapsed.TotalMilliseconds
    }
    $py = (& /usr/bin/python3 (Join-Path $PSScriptRoot 'list_vms.py') $Uri $Runs) -split ' '
    $oursMs = Get-Median $ours
    [pscustomobject]@{
        Host           = $Label
        Domains        = $n
        KvmPSMs        = [math]::Round($oursMs, 1)
        LibvirtPythonMs = [math]::Round([double]$py[0], 1)
        PythonDomains  = [int]$py[1]
        Ratio          = [math]::Round($oursMs / [double]$py[0], 2)
    }
}

$results = @()

# Test driver: a generated host file with $Count domains.
$file = Join-Path ([IO.Path]::GetTempPath()) "kvmps-bench-$Count.xml"
$sb = [Text.StringBuilder]::new('<node>')
foreach ($i in 1..$Count) {
    $null = $sb.Append("<domain type='test'><name>bench-$i</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>")
}
$null = $sb.Append('</node>')
[IO.File]::WriteAllText($file, $sb.ToString())
try {
    $results += Measure-Pair "test://$file" 'test driver (in-process)'
} finally {
    Remove-Item $file -ErrorAction Ignore
}

if (-not $SkipSystem) {
    & virsh -c $SystemUri version *> $null
    if ($LASTEXITCODE -eq 0) {
        $prefix = "kvmps-bench-$PID-"
        Connect-KvmHost $SystemUri
        $sw = [Diagnostics.Stopwatch]::StartNew()
        foreach ($i in 1..$SystemCount) {
            "<domain type='qemu'><name>$prefix$i</name><memory>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>" | Import-KvmVM
        }
        $defineMs = $sw.Elapsed.TotalMilliseconds
        try {
            $results += Measure-Pair $SystemUri "$SystemUri (libvirtd RPC)"
        } finally {
            Get-KvmVM "$prefix*" | Remove-KvmVM -Confirm:$false
        }
        Write-Information ("Defining {0} domains through Import-KvmVM took {1:N0} ms ({2:N2} ms each)." -f $SystemCount, $defineMs, ($defineMs / $SystemCount)) -InformationAction Continue
    } else {
        Write-Information "SKIPPED $SystemUri`: no libvirtd answers." -InformationAction Continue
    }
}

$results | Format-Table -AutoSize | Out-String -Width 200
foreach ($r in $results) {
    "Get-KvmVM / libvirt-python on {0}: {1} ({2} ms vs {3} ms for {4} domains)" -f $r.Host, $r.Ratio, $r.KvmPSMs, $r.LibvirtPythonMs, $r.Domains
}
