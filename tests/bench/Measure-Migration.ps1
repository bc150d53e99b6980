<#
.SYNOPSIS
Benchmark: live migration of the running test guest between two private daemons, Move-KvmVM
against `virsh migrate --live` on the same pair, printing median migration time and downtime and
their ratios.

.DESCRIPTION
Two private libvirtd (tests/Pester/PrivateDaemon.ps1, own mount and network namespaces) joined by
a veth pair that carries the migration data, as the migration tests use (MigrationHosts.ps1). The
test guest runs with its console counter (a transient domain, 256 MiB, TCG) and moves back and
forth: each round one move by each tool, in the order Move-KvmVM, virsh, then virsh, Move-KvmVM,
so that both tools move the guest in both directions equally often. Migration time is the wall
time of the command (Move-KvmVM's checks before it moves included; virsh's process start
included) and libvirt's own time_elapsed; downtime is the downtime of the completed job
(virDomainGetJobStats with VIR_DOMAIN_JOB_STATS_COMPLETED, read on the destination with
`virsh domjobinfo --completed`, the same reading for both tools). Needs root, ip netns and QEMU;
otherwise it says why and is skipped. Everything it makes is removed at the end.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/KvmPS/KvmPS.psd1'),
    [int] $Rounds = 4,
    [int] $MemoryMiB = 256
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$pester = Join-Path $PSScriptRoot '../Pester'
. (Join-Path $pester 'PrivateDaemon.ps1')
. (Join-Path $pester 'MigrationHosts.ps1')
Import-Module (Join-Path $PSScriptRoot '../guest/TestGuest.psm1') -Force

function Get-Median([double[]] $Values) {
    $s = @($Values | Sort-Object)
    if ($s.Count % 2) { $s[[int][Math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 }
}
function Wait-Until([scriptblock] $Condition, [int] $TimeoutSec = 60) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ([DateTime]::UtcNow -lt $deadline) { if (& $Condition) { return $true }; Start-Sleep -Milliseconds 200 }
    $false
}
function Get-Counter([string] $Log) {
    if (-not (Test-Path $Log)) { return 0 }
    $m = [regex]::Matches("$(Get-Content $Log -Raw)", 'kvmps-counter (\d+)')
    if ($m.Count -eq 0) { 0 } else { [int]$m[$m.Count - 1].Groups[1].Value }
}
function Get-CompletedJob([string] $Uri, [string] $Name) {
    # libvirt's statistics of the last completed job (virsh domjobinfo --completed): downtime, time elapsed.
    $text = virsh -c $Uri domjobinfo $Name --completed 2>&1 | Out-String
    $down = if ($text -match '(?m)^Total downtime:\s+(\d+)\s*ms') { [double]$Matches[1] } else { throw "no downtime in the completed job on ${Uri}:`n$text" }
    $elapsed = if ($text -match '(?m)^Time elapsed:\s+(\d+)\s*ms') { [double]$Matches[1] } else { $null }
    [pscustomobject]@{ DowntimeMs = $down; ElapsedMs = $elapsed }
}

$reason = Get-PrivateDaemonSkipReason
if ($reason) { Write-Warning "The migration benchmark is skipped: $reason"; return }

$pair = $null; $work = $null
$name = "kvmps-bench-mig-$PID"
try {
    $pair = New-MigrationPair 'kvmps-bmig'
    $work = New-TestGuestWorkDirectory -Prefix 'kvmps-bench-mig-'
    $hosts = @(
        [pscustomobject]@{ Uri = $pair.A.Uri; MigUri = "tcp://$($pair.AddressA)" }
        [pscustomobject]@{ Uri = $pair.B.Uri; MigUri = "tcp://$($pair.AddressB)" }
    )
    $log = Join-Path $work "$name.log"
    $file = Join-Path $work "$name.xml"
    Set-Content $file (New-TestGuestDomainXml -Name $name -Counter -SerialLog $log -MemoryMiB $MemoryMiB)
    virsh -c $hosts[0].Uri create $file | Out-Null
    if (-not (Wait-Until { (Get-Counter $log) -ge 3 } -TimeoutSec 120)) { throw 'the test guest did not start counting' }

    $tools = @{
        'Move-KvmVM' = { param($from, $to) Move-KvmVM -Uri $from.Uri -Name $name -DestinationUri $to.Uri -Live -MigrationUri $to.MigUri -Confirm:$false }
        'virsh'      = { param($from, $to) virsh -c $from.Uri migrate --live --abort-on-error $name $to.Uri --migrateuri $to.MigUri | Out-Null; if ($LASTEXITCODE) { throw 'virsh migrate failed' } }
    }
    $results = @{ 'Move-KvmVM' = [Collections.Generic.List[object]]::new(); 'virsh' = [Collections.Generic.List[object]]::new() }
    $at = 0
    foreach ($r in 1..$Rounds) {
        $order = if ($r % 2) { 'Move-KvmVM', 'virsh' } else { 'virsh', 'Move-KvmVM' }
        foreach ($tool in $order) {
            $from = $hosts[$at]; $to = $hosts[1 - $at]
            $before = Get-Counter $log
            $sw = [Diagnostics.Stopwatch]::StartNew()
            & $tools[$tool] $from $to
            $wall = $sw.Elapsed.TotalMilliseconds
            $job = Get-CompletedJob $to.Uri $name
            $at = 1 - $at
            # The guest goes on counting on the destination: it was not restarted.
            if (-not (Wait-Until { (Get-Counter $log) -gt $before + 1 } -TimeoutSec 30)) { throw "the guest stopped counting after the move by $tool" }
            if ((Get-Counter $log) -lt $before) { throw "the guest's counter restarted after the move by $tool" }
            $results[$tool].Add([pscustomobject]@{ WallMs = $wall; ElapsedMs = $job.ElapsedMs; DowntimeMs = $job.DowntimeMs })
            '  round {0} {1,-10} {2} -> {3}: {4,7:0} ms wall, {5,7:0} ms libvirt, downtime {6,4:0} ms' -f $r, $tool, ($(if ($at) { 'A' } else { 'B' })), ($(if ($at) { 'B' } else { 'A' })), $wall, $job.ElapsedMs, $job.DowntimeMs
        }
    }
    $m = @{}
    foreach ($tool in $results.Keys) {
        $m[$tool] = [pscustomobject]@{
            Wall = Get-Median @($results[$tool].WallMs)
            Elapsed = Get-Median @($results[$tool] | Where-Object ElapsedMs | ForEach-Object ElapsedMs)
            Downtime = Get-Median @($results[$tool].DowntimeMs)
        }
    }
    'Live migration of the test guest ({0} MiB, TCG) between two private daemons, {1} moves per tool, medians, {2} cores' -f $MemoryMiB, $Rounds, [Environment]::ProcessorCount
    '  Move-KvmVM           : {0,7:0} ms wall, {1,7:0} ms libvirt, downtime {2,4:0} ms' -f $m['Move-KvmVM'].Wall, $m['Move-KvmVM'].Elapsed, $m['Move-KvmVM'].Downtime
    '  virsh migrate --live : {0,7:0} ms wall, {1,7:0} ms libvirt, downtime {2,4:0} ms' -f $m['virsh'].Wall, $m['virsh'].Elapsed, $m['virsh'].Downtime
    '  ratio Move-KvmVM / virsh: time {0:0.00} (wall), {1:0.00} (libvirt), downtime {2:0.00}' -f ($m['Move-KvmVM'].Wall / $m['virsh'].Wall), ($m['Move-KvmVM'].Elapsed / $m['virsh'].Elapsed), ($m['Move-KvmVM'].Downtime / [Math]::Max($m['virsh'].Downtime, 1))
}
finally {
    if ($pair) {
        foreach ($h in $pair.A, $pair.B) { virsh -c $h.Uri destroy $name *> $null }
    }
    Remove-MigrationPair $pair
    if ($work) { Remove-Item -Recurse -Force $work -ErrorAction Ignore }
}
