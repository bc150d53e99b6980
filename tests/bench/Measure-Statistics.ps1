<#
.SYNOPSIS
Benchmark: Get-KvmVMStatistics over many domains against libvirt-python's getAllDomainStats (the
same bulk call) and against per-domain loops, side by side, printing the ratios.

.DESCRIPTION
Runs on libvirt's test driver with a generated host of -Count domains, and on a real daemon
(-SystemUri, by default $env:KVMPS_SYSTEM_URI, else qemu:///system, when it answers) with
-SystemCount small domains defined for the run and removed afterwards. The targets: at most 1.5x
getAllDomainStats, at least 20x faster than a per-domain loop. The loop the 20x is measured
against is a monitoring script's ("admin loop", stats_vms.py): per domain info(), and for a
running domain its XML for the disks and NICs, blockStats per disk, interfaceStats per NIC,
memoryStats and vcpus. Also shown: the bulk call asked one domain at a time (domainListGetStats),
and the two loops an administrator without a bulk call writes in a script: the module asked per
VM in a PowerShell loop (Get-KvmVM, then Get-KvmVMStatistics -Name per VM) and, on the real
daemon, `virsh domstats <name>` per domain (a virsh-wrapping script; a process per domain).

The real daemon is measured twice: directly (a round trip of about 0.1-0.2 ms) and as a host on
a link with -RoundTripMs of latency (delay_proxy.py relays its socket and delays each direction by
half of it; this kernel has no netem), where the per-domain loops pay a round trip per call as
they do against a remote host. The measured round trip is printed with each row.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/KvmPS/KvmPS.psd1'),
    [int] $Count = 1000,
    [int] $SystemCount = 200,
    # How many of the real daemon's domains run (started paused: QEMU processes with statistics, no guest CPU use).
    [int] $SystemRunning = 10,
    [int] $Runs = 7,
    # The round trip of the simulated link to a remote host, in milliseconds (0: not measured).
    [double] $RoundTripMs = 1,
    [string] $SystemUri = $(if ($env:KVMPS_SYSTEM_URI) { $env:KVMPS_SYSTEM_URI } else { 'qemu:///system' }),
    [switch] $SkipSystem
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

function Get-Median([double[]] $Values) {
    $s = $Values | Sort-Object
    $s[[int][math]::Floor($s.Count / 2)]
}

function Measure-Stats([string] $Uri, [string] $Label) {
    $null = Get-KvmVMStatistics -Uri $Uri   # warm up: connection, JIT
    $n = 0
    $ours = foreach ($i in 1..$Runs) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $n = @(Get-KvmVMStatistics -Uri $Uri).Count
        $sw.Elapsed.TotalMilliseconds
    }
    $py = (& /usr/bin/python3 (Join-Path $PSScriptRoot 'stats_vms.py') $Uri $Runs) -split ' '
    $oursMs = Get-Median $ours
    # The module asked per VM: what a PowerShell loop over Get-KvmVM costs without the bulk call.
    $perVm = foreach ($i in 1..[math]::Min($Runs, 3)) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        foreach ($vmName in @(Get-KvmVM -Uri $Uri | ForEach-Object Name)) { $null = Get-KvmVMStatistics -Name $vmName -Uri $Uri }
        $sw.Elapsed.TotalMilliseconds
    }
    # virsh domstats per domain (a shell loop of a virsh-wrapping script), on a daemon only: the test
    # driver of a host file would be read again by every virsh process.
    $virshMs = $null
    if ($Uri -notlike 'test:*') {
        $virshMs = Get-Median @(foreach ($i in 1..[math]::Min($Runs, 3)) {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            & bash -c 'for d in $(virsh -c "$1" list --all --name); do virsh -c "$1" domstats "$d" >/dev/null; done' bench $Uri
            $sw.Elapsed.TotalMilliseconds
        })
    }
    $running = @(Get-KvmVM -Uri $Uri | Where-Object State -in 'Running', 'Paused').Count
    [pscustomobject]@{
        Host              = $Label
        Domains           = $n
        Running           = $running
        RoundTripMs       = [math]::Round([double]$py[5], 3)
        KvmPSMs           = [math]::Round($oursMs, 1)
        PythonBulkMs      = [math]::Round([double]$py[0], 1)
        AdminLoopMs       = [math]::Round([double]$py[1], 1)
        OneByOneMs        = [math]::Round([double]$py[2], 1)
        RatioToBulk       = [math]::Round($oursMs / [double]$py[0], 2)
        SpeedupOverAdminLoop = [math]::Round([double]$py[1] / $oursMs, 1)
        SpeedupOverOneByOne  = [math]::Round([double]$py[2] / $oursMs, 1)
        PerVmCmdletLoopMs = [math]::Round((Get-Median $perVm), 1)
        SpeedupOverPerVmCmdletLoop = [math]::Round((Get-Median $perVm) / $oursMs, 1)
        VirshLoopMs       = if ($null -ne $virshMs) { [math]::Round($virshMs, 1) } else { $null }
        SpeedupOverVirshLoop = if ($null -ne $virshMs) { [math]::Round($virshMs / $oursMs, 1) } else { $null }
    }
}

$results = @()
$file = Join-Path ([IO.Path]::GetTempPath()) "kvmps-statsbench-$PID.xml"
$sb = [Text.StringBuilder]::new('<node>')
foreach ($i in 1..$Count) {
    # The test driver runs the domains of its host file; each has a disk, so the admin loop asks blockStats.
    $null = $sb.Append("<domain type='test'><name>bench-$i</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices><disk type='file' device='disk'><source file='/var/lib/kvmps-bench/bench-$i.img'/><target dev='vda' bus='virtio'/></disk></devices></domain>")
}
$null = $sb.Append('</node>')
[IO.File]::WriteAllText($file, $sb.ToString())
try {
    $results += Measure-Stats "test://$file" 'test driver (in-process)'
} finally {
    Remove-Item $file -ErrorAction Ignore
}

if (-not $SkipSystem) {
    & virsh -c $SystemUri version *> $null
    if ($LASTEXITCODE -eq 0) {
        $prefix = "kvmps-statsbench-$PID-"
        foreach ($i in 1..$SystemCount) {
            $null = "<domain type='qemu'><name>$prefix$i</name><memory>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>" | Import-KvmVM -Uri $SystemUri
        }
        $started = @(1..$SystemCount | Select-Object -First ([math]::Max(0, $SystemRunning)) | ForEach-Object { "$prefix$_" })
        foreach ($n in $started) {
            & virsh -c $SystemUri start --paused $n *> $null
        }
        try {
            $results += Measure-Stats $SystemUri "$SystemUri (libvirtd RPC)"
            if ($RoundTripMs -gt 0) {
                # The same daemon behind a relay that delays each direction by half the round trip.
                $socket = if ($SystemUri -match '[?&]socket=([^&]+)') { $Matches[1] } else { '/var/run/libvirt/libvirt-sock' }
                $relaySocket = Join-Path ([IO.Path]::GetTempPath()) "kvmps-statsbench-relay-$PID.sock"
                $psi = [Diagnostics.ProcessStartInfo]::new('/usr/bin/python3')
                foreach ($a in (Join-Path $PSScriptRoot 'delay_proxy.py'), $relaySocket, $socket, [string]($RoundTripMs / 2)) { $psi.ArgumentList.Add($a) }
                $psi.RedirectStandardOutput = $true
                $relay = [Diagnostics.Process]::Start($psi)
                try {
                    if ($relay.StandardOutput.ReadLine() -ne 'ready') { throw 'the delaying relay did not start' }
                    $results += Measure-Stats "qemu+unix:///system?socket=$relaySocket" "same daemon, $RoundTripMs ms round trip"
                } finally {
                    & kill -TERM $relay.Id
                    $null = $relay.WaitForExit(10000)
                }
            }
        } finally {
            foreach ($n in $started) {
                & virsh -c $SystemUri destroy $n *> $null
            }
            Get-KvmVM "$prefix*" -Uri $SystemUri | Remove-KvmVM -Confirm:$false
        }
    } else {
        Write-Information "SKIPPED $SystemUri`: no libvirtd answers." -InformationAction Continue
    }
}

$results | Format-Table -AutoSize | Out-String -Width 220
'Admin loop: per domain info(); for an active one (running or paused) XMLDesc, blockStats per disk, interfaceStats per NIC, memoryStats, vcpus (libvirt-python).'
'One by one: domainListGetStats([domain]) per domain, the bulk call asked one domain at a time.'
'Per-VM cmdlet loop: Get-KvmVM, then Get-KvmVMStatistics -Name per VM. Virsh loop: virsh domstats per domain in a shell loop.'
foreach ($r in $results) {
    "{0} (round trip {8} ms), {1} domains ({2} active): Get-KvmVMStatistics / getAllDomainStats = {3} (target <= 1.5); admin loop / Get-KvmVMStatistics = {4}x (target >= 20); one by one / Get-KvmVMStatistics = {5}x; per-VM cmdlet loop / Get-KvmVMStatistics = {6}x; virsh loop / Get-KvmVMStatistics = {7}" -f $r.Host, $r.Domains, $r.Running, $r.RatioToBulk, $r.SpeedupOverAdminLoop, $r.SpeedupOverOneByOne, $r.SpeedupOverPerVmCmdletLoop, $(if ($null -ne $r.SpeedupOverVirshLoop) { "$($r.SpeedupOverVirshLoop)x" } else { 'not run (test driver)' }), $r.RoundTripMs
}
