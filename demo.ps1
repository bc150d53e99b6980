<#
.SYNOPSIS
The KvmPS demo on libvirt's built-in test driver (no daemon; nothing on this machine changes):
check the host, make a network, a pool and a VM, tune it, run it, clean up.
#>
param([string] $ModulePath = (Join-Path $PSScriptRoot 'out/KvmPS/KvmPS.psd1'))
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

function Show([string] $Title, [scriptblock] $Script) {
    "`n### $Title"
    "PS> $($Script.ToString().Trim())"
    & $Script | Out-String -Width 160
}

Show 'Connect to the test driver and make it the default host' {
    Connect-KvmHost -Uri test:///default -PassThru
}
Show 'The host: CPUs, sockets/cores/threads, NUMA, memory, KVM support' {
    Get-KvmHost
}
Show 'Its NUMA cells (what CPU pinning plans from)' {
    (Get-KvmHost).NumaCells
}
Show 'Is this machine ready for KVM? (files of this machine, libvirt side from the test driver)' {
    Test-KvmHost | Select-Object -ExpandProperty Checks | Format-Table Name, Status, Message -Wrap
}
Show 'A NAT network: gateway .1, DHCP .2 to .254' {
    New-KvmNetwork -Name lab -Mode Nat -Subnet 10.77.0.0/24 -Autostart -Start
}
Show 'Running it again converges instead of failing' {
    New-KvmNetwork -Name lab -Mode Nat -Subnet 10.77.0.0/24 -Autostart -Start -Verbose 4>&1
}
Show 'A directory storage pool' {
    New-KvmStoragePool -Name images -Type Dir -Path /var/lib/libvirt/images -Autostart -Start
}
Show 'A VM as virt-install would make it, tuned in the pipeline, then started' {
    New-KvmVM -Name web1 -Memory 2GB -VCpuCount 2 -DiskSize 20GB -Pool images -Network lab `
        -OSVariant ubuntu22.04 |
        Set-KvmCpu -Sockets 1 -Cores 2 -Threads 1 -PassThru |
        Set-KvmCpuPin -Auto -PassThru |
        Set-KvmMemory -HugePageSize 2MB -PassThru -WarningAction SilentlyContinue |
        Start-KvmVM -PassThru
}
Show 'Where its vCPUs run' {
    Get-KvmCpuPin web1
}
Show 'Its disk, made in the pool and owned by the VM' {
    (Get-KvmVM web1).Disks
    Get-KvmVolume -Pool images
}
Show 'Stop every running web VM, then remove it with the storage it owns' {
    Get-KvmVM web* | Where-Object State -eq Running | Stop-KvmVM
    Remove-KvmVM web1 -DeleteStorage -Confirm:$false -Verbose 4>&1
}
Show 'Errors are ErrorRecords with libvirt''s message and a category' {
    Connect-KvmHost -Uri bogus:///x -ErrorAction SilentlyContinue -ErrorVariable err
    New-KvmNetwork -Name lab2 -Subnet 10.77.0.0/25 -ErrorAction SilentlyContinue -ErrorVariable +err
    $err | Select-Object FullyQualifiedErrorId, @{ n = 'Category'; e = { $_.CategoryInfo.Category } }, @{ n = 'Message'; e = { if ($_.ErrorDetails) { $_.ErrorDetails.Message } else { $_.Exception.Message } } } | Format-List
}
