<#
.SYNOPSIS
The KvmPS demo on libvirt's built-in test driver (no daemon, nothing on the host changes).
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
Show 'Its NUMA cells with CPUs and huge pages' {
    (Get-KvmHost).NumaCells
}
Show 'The topology of cell 1 (what CPU pinning plans from)' {
    (Get-KvmHost).NumaCells[1].CpuList | Select-Object -First 4
}
Show 'Create a VM as virt-install would, start it, and list it' {
    New-KvmVM -Name web1 -Memory 2GB -VCpuCount 2 -DiskSize 20GB -Pool default-pool -Network default `
        -OSVariant ubuntu22.04 -PassThru | Start-KvmVM -PassThru
}
Show 'Its disks and network adapters' {
    $vm = Get-KvmVM web1
    $vm.Disks
    $vm.NetworkAdapters
}
Show 'Tune it while it runs: memory down live, more vCPUs at the next start' {
    Set-KvmVM web1 -Memory 1GB -Description 'front end' -PassThru -WarningAction SilentlyContinue | Format-List Name, State, MemoryBytes, CurrentMemoryBytes, Description
}
Show 'Stop every running web VM, then remove it with the storage it owns' {
    Get-KvmVM web* | Where-Object State -eq Running | Stop-KvmVM
    Remove-KvmVM web1 -DeleteStorage -Confirm:$false -Verbose 4>&1
}
Show 'Errors are ErrorRecords with libvirt''s message and a category' {
    Connect-KvmHost -Uri bogus:///x -ErrorAction SilentlyContinue -ErrorVariable err
    $err | Select-Object FullyQualifiedErrorId, CategoryInfo, @{ n = 'Message'; e = { $_.ErrorDetails.Message } } | Format-List
}
