<#
.SYNOPSIS
Benchmark: New-KvmVM against virt-install 4.1 for the same requests (the parity suite's pairs), on
a real libvirt daemon.

.DESCRIPTION
For each request, virt-install runs as users run it, a fresh process each time, with --print-xml
--dry-run (it builds and prints the definition and creates nothing: less than New-KvmVM does);
New-KvmVM runs in this pwsh, the module loaded once, and defines the VM (its disk made in a scratch
pool), then the VM and its storage are removed again (not timed). Prints the medians and the ratio
virt-install / New-KvmVM per request, and New-KvmVM's first call in the session (which reads the
osinfo-db) separately. The target is a ratio of at least 30.

The daemon is -Uri, else KVMPS_SYSTEM_URI, else qemu:///system. Everything made (a pool in a
temporary directory, an isolated network, the VMs) is removed at the end.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/KvmPS/KvmPS.psd1'),
    [string] $Uri = ($env:KVMPS_SYSTEM_URI ? $env:KVMPS_SYSTEM_URI : 'qemu:///system'),
    [int] $Runs = 5,
    [string[]] $Request = @('win11-cd', 'win10-cd', 'rhel90-cd', 'ubuntu2204-sb', 'freebsd131-cd', 'generic-imp')
)
$ErrorActionPreference = 'Stop'
foreach ($tool in 'virt-install', 'virsh', 'qemu-img', 'xorriso') {
    if (-not (Get-Command $tool -ErrorAction Ignore)) { Write-Warning "Skipped: needs $tool."; return }
}
Import-Module (Resolve-Path $ModulePath).Path
. (Join-Path $PSScriptRoot '../Pester/VirtInstallParity.Common.ps1')

function Get-Median([double[]] $Values) {
    $s = @($Values | Sort-Object)
    $s[[int][math]::Floor($s.Count / 2)]
}

$dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-bench-vi-$PID"
$pool = "kvmps-bench-vi-$PID"
$net = "kvmps-bench-vi-$PID"
$null = New-Item -ItemType Directory -Force -Path "$dir/iso"
& chmod 755 $dir
Set-Content "$dir/iso/readme" 'bench'
& xorriso -as mkisofs -quiet -o "$dir/install.iso" "$dir/iso" 2>$null
& qemu-img create -q -f qcow2 "$dir/import.qcow2" 1G
$poolsBefore = @(virsh -c $Uri pool-list --all --name | Where-Object { $_ })
try {
    virsh -c $Uri pool-define-as $pool dir --target $dir *> $null
    virsh -c $Uri pool-start $pool *> $null
    $xml = Join-Path $dir 'net.xml'
    Set-Content $xml "<network><name>$net</name><bridge name='kvb$($PID % 100000)'/></network>"
    virsh -c $Uri net-define $xml *> $null
    $ctx = @{
        Dir = $dir; Pool = $pool; Net = $net; Iso = "$dir/install.iso"; Kernel = "$dir/vmlinuz"; Initrd = "$dir/initrd"
        Image = "$dir/import.qcow2"; UserData = "$dir/user-data"; Type = 'Qemu'
    }
    $pairs = @(Get-ParityPairs $ctx | Where-Object Id -in $Request)

    $first = $null
    $rows = foreach ($p in $pairs) {
        $vi = foreach ($i in 1..$Runs) {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $null = & virt-install --connect $Uri --print-xml --dry-run @($p.Vi) 2>&1
            if ($LASTEXITCODE -ne 0) { throw "virt-install failed for $($p.Id)" }
            $sw.Elapsed.TotalMilliseconds
        }
        $kvm = foreach ($i in 1..$Runs) {
            $k = $p.Kvm
            $sw = [Diagnostics.Stopwatch]::StartNew()
            New-KvmVM @k -Uri $Uri -WarningAction SilentlyContinue | Out-Null
            $ms = $sw.Elapsed.TotalMilliseconds
            Remove-KvmVM -Uri $Uri -Name $p.Name -DeleteStorage -Confirm:$false
            if ($null -eq $first) { $first = $ms } else { $ms }
        }
        $viMs = Get-Median $vi
        $kvmMs = Get-Median @($kvm)
        [pscustomobject]@{
            Request = $p.Id; VirtInstallMs = [math]::Round($viMs); NewKvmVMMs = [math]::Round($kvmMs, 1)
            Ratio = [math]::Round($viMs / $kvmMs, 1)
        }
    }
    $rows | Format-Table -AutoSize | Out-String | Write-Host
    $all = Get-Median @($rows.Ratio)
    Write-Host ("Median ratio virt-install / New-KvmVM: {0}x (target: at least 30x). New-KvmVM's first call in the session (reads osinfo-db): {1} ms." -f $all, [math]::Round($first))
} finally {
    virsh -c $Uri net-undefine $net *> $null
    foreach ($v in @(virsh -c $Uri vol-list $pool --name 2>$null | Where-Object { $_ -like 'kvmps-par-*' })) { virsh -c $Uri vol-delete --pool $pool $v *> $null }
    virsh -c $Uri pool-destroy $pool *> $null
    virsh -c $Uri pool-undefine $pool *> $null
    foreach ($extra in @(virsh -c $Uri pool-list --all --name | Where-Object { $_ -and $_ -notin $poolsBefore })) {
        virsh -c $Uri pool-destroy $extra *> $null
        virsh -c $Uri pool-undefine $extra *> $null
    }
    Remove-Item -Recurse -Force $dir -ErrorAction Ignore
}
