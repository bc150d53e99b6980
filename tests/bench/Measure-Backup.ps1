<#
.SYNOPSIS
Benchmark: Backup-KvmVM of a 1 GiB disk against qemu-img convert of the same image, and an
incremental backup after 10 MiB of changes (the bytes it copies).

.DESCRIPTION
Needs a real libvirtd with QEMU: -Uri, else $env:KVMPS_SYSTEM_URI, else qemu:///system. A small
domain without an OS (QEMU runs it paused; a backup needs only a running QEMU) gets a 1 GiB qcow2
disk filled with data; the full backup is timed against `qemu-img convert -O qcow2` of that disk
(taken while the domain is shut off, so both read the same bytes), then 10 MiB are written through
QEMU (qemu-io monitor command) and the incremental backup's copied bytes are printed.
Everything it makes is removed at the end.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/KvmPS/KvmPS.psd1'),
    [string] $Uri = $(if ($env:KVMPS_SYSTEM_URI) { $env:KVMPS_SYSTEM_URI } else { 'qemu:///system' }),
    [int] $SizeMiB = 1024
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
& virsh -c $Uri version *> $null
if ($LASTEXITCODE -ne 0) { Write-Warning "No libvirtd at ${Uri}: the backup benchmark is skipped."; return }

$dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-bench-backup-$PID"
$null = New-Item -ItemType Directory $dir
& chmod 755 $dir
$name = "kvmps-bench-backup-$PID"
$disk = Join-Path $dir 'disk.qcow2'
try {
    & qemu-img create -q -f qcow2 -o compat=1.1 $disk "$($SizeMiB)M"
    & qemu-io -f qcow2 -c "write -P 0x5a 0 $($SizeMiB)M" $disk | Out-Null
    $xml = Join-Path $dir 'domain.xml'
    "<domain type='qemu'><name>$name</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>" +
    "<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$disk'/><target dev='vda' bus='virtio'/></disk></devices></domain>" | Set-Content $xml
    & virsh -c $Uri define $xml | Out-Null

    $convert = Join-Path $dir 'convert.qcow2'
    $sw = [Diagnostics.Stopwatch]::StartNew()
    & qemu-img convert -O qcow2 $disk $convert
    $convertMs = $sw.Elapsed.TotalMilliseconds
    Remove-Item $convert

    & virsh -c $Uri start $name --paused | Out-Null
    $sw.Restart()
    $full = Backup-KvmVM -Name $name -Destination (Join-Path $dir 'backup') -Uri $Uri
    $fullMs = $sw.Elapsed.TotalMilliseconds

    & virsh -c $Uri qemu-monitor-command $name --hmp "qemu-io -d virtio-disk0/virtio-backend `"write -P 0xcd 100M 10M`"" | Out-Null
    $sw.Restart()
    $inc = Backup-KvmVM -Name $name -Destination (Join-Path $dir 'backup') -Incremental -Uri $Uri
    $incMs = $sw.Elapsed.TotalMilliseconds

    '{0,-44} {1,10:N0} ms' -f "qemu-img convert of a $SizeMiB MiB qcow2 disk", $convertMs
    '{0,-44} {1,10:N0} ms   ratio {2:N2} (includes SHA-256 of the file)' -f "Backup-KvmVM full ($SizeMiB MiB)", $fullMs, ($fullMs / $convertMs)
    '{0,-44} {1,10:N0} ms   copied {2:N1} MiB (of {3} MiB)' -f 'Backup-KvmVM -Incremental after 10 MiB', $incMs, ($inc.BytesCopied / 1MB), $SizeMiB
    '{0,-44} {1,10:N1} MiB' -f 'full backup: bytes copied', ($full.BytesCopied / 1MB)
} finally {
    & virsh -c $Uri destroy $name *> $null
    foreach ($cp in @(& virsh -c $Uri checkpoint-list $name --name 2>$null | Where-Object { $_ })) { & virsh -c $Uri checkpoint-delete $name $cp --metadata *> $null }
    & virsh -c $Uri undefine $name --checkpoints-metadata *> $null
    Remove-Item -Recurse -Force $dir -ErrorAction Ignore
}
