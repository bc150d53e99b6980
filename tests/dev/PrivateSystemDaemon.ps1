# Starts (or stops) a private libvirtd with QEMU for a local loop of System-tier tests, in a mount
# and network namespace of its own (tests/Pester/PrivateDaemon.ps1), so that it never meets the
# daemon build.ps1 starts or another developer's. Prints the daemon as JSON; then run Pester with
#   $env:KVMPS_SYSTEM = '1'; $env:KVMPS_SYSTEM_URI = <its Uri>
# and tests that use $SystemUri (Common.ps1) talk to it.
#   pwsh tests/dev/PrivateSystemDaemon.ps1 -Name mine            # start, prints {Name, Dir, Netns, Uri, Pool}
#   pwsh tests/dev/PrivateSystemDaemon.ps1 -Name mine -Remove    # stop it and its guests, remove its namespace
param([Parameter(Mandatory)] [string] $Name, [switch] $Remove)
$ErrorActionPreference = 'Stop'
function Wait-Until([scriptblock] $Condition, [int] $TimeoutSec = 30) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (& $Condition) { return $true }
        Start-Sleep -Milliseconds 200
    }
    return $false
}
. (Join-Path $PSScriptRoot '../Pester/PrivateDaemon.ps1')
$state = Join-Path ([IO.Path]::GetTempPath()) "kvmps-dev-daemon-$Name.json"
if ($Remove) {
    if (Test-Path $state) {
        $d = Get-Content $state -Raw | ConvertFrom-Json
        Remove-PrivateDaemon $d
        Remove-Item $state
    }
    return
}
if (Test-Path $state) { Get-Content $state -Raw; return }
$reason = Get-PrivateDaemonSkipReason
if ($reason) { throw $reason }
$d = New-PrivateDaemon $Name
& ip netns exec $d.Netns ip link set lo up
$d | ConvertTo-Json | Set-Content $state
$d | ConvertTo-Json
