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
Show 'Errors are ErrorRecords with libvirt''s message and a category' {
    Connect-KvmHost -Uri bogus:///x -ErrorAction SilentlyContinue -ErrorVariable err
    $err | Select-Object FullyQualifiedErrorId, CategoryInfo, @{ n = 'Message'; e = { $_.ErrorDetails.Message } } | Format-List
}
