# Dot-sourced by every Pester file: imports the built module (never the sources) and offers helpers.
$script:ModulePath = $env:KVMPS_MODULE_PATH
if (-not $script:ModulePath) {
    $script:ModulePath = Join-Path $PSScriptRoot '../../out/KvmPS/KvmPS.psd1'
}
Import-Module $script:ModulePath -Force
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:SystemTier = [bool]$env:KVMPS_SYSTEM
# The real daemon of the System tier: the one build.ps1 starts, or (for a local loop) a private one
# given by KVMPS_SYSTEM_URI (tests/dev/PrivateSystemDaemon.ps1 starts such a daemon).
$script:SystemUri = if ($env:KVMPS_SYSTEM_URI) { $env:KVMPS_SYSTEM_URI } else { 'qemu:///system' }

function Reset-KvmSession {
    # Closes every connection of this runspace so the next test sees a fresh test driver.
    Get-KvmConnection | ForEach-Object { Disconnect-KvmHost -Uri $_.RequestedUri -ErrorAction SilentlyContinue }
}

function Wait-Until([scriptblock] $Condition, [int] $TimeoutSec = 30) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (& $Condition) { return $true }
        Start-Sleep -Milliseconds 200
    }
    return $false
}

function Stop-TestDaemon {
    # Stops the libvirtd this test run started (never one it found running), by its pid file.
    $id = [int](Get-Content /run/libvirtd.pid)
    Stop-Process -Id $id
    $null = Wait-Until { -not (Get-Process -Id $id -ErrorAction Ignore) }
}

function Start-TestDaemon {
    & ip netns exec $env:KVMPS_DAEMON_OWNED libvirtd -d
    $null = Wait-Until { & virsh -c qemu:///system version *> $null; $LASTEXITCODE -eq 0 }
}

function New-IsolatedTestNetwork([string] $Name, [string] $Uri = 'qemu:///system', [switch] $Start) {
    # No forward, no address, no DHCP: guests on it have a NIC that reaches nothing. The bridge
    # lives in the test daemon's network namespace.
    $bridge = 'kvi' + ([Math]::Abs($Name.GetHashCode()) % 1000000)
    $file = [IO.Path]::GetTempFileName()
    try {
        "<network><name>$Name</name><bridge name='$bridge' stp='on' delay='0'/></network>" | Set-Content $file
        virsh -c $Uri net-define $file | Out-Null
        if ($Start) { virsh -c $Uri net-start $Name | Out-Null }
    } finally {
        Remove-Item $file
    }
}

function Remove-IsolatedTestNetwork([string] $Name, [string] $Uri = 'qemu:///system') {
    virsh -c $Uri net-destroy $Name *> $null
    virsh -c $Uri net-undefine $Name *> $null
}

function Import-DiskVM([string] $Name, [string] $Path) {
    # A test-driver VM with one disk at a path, defined from XML as another tool would.
    "<domain type='test'><name>$Name</name><memory>262144</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices><disk type='file' device='disk'><source file='$Path'/><target dev='vda' bus='virtio'/></disk></devices></domain>" |
        Import-KvmVM
}

function Get-RawSha([string] $Image, [Parameter(Mandatory)][string] $WorkDirectory) {
    # The SHA-256 of a disk image's guest-visible bytes (converted to raw in $WorkDirectory first),
    # so images of different formats or layouts compare by content.
    $raw = Join-Path $WorkDirectory ("raw-" + [guid]::NewGuid() + '.img')
    try {
        & qemu-img convert -U -O raw $Image $raw
        if ($LASTEXITCODE -ne 0) { throw "qemu-img convert $Image failed" }
        (& sha256sum $raw).Split(' ')[0]
    } finally {
        Remove-Item -Force $raw -ErrorAction Ignore
    }
}

function Get-PwshCommand {
    # How to start a fresh pwsh like this one: the program and the arguments before the script's
    # own (`dotnet pwsh.dll` when this pwsh runs as a .NET tool, else this process's executable).
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if (Test-Path $dll) { 'dotnet', @($dll) } else { (Get-Process -Id $PID).Path, @() }
}
