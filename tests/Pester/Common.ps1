# Dot-sourced by every Pester file: imports the built module (never the sources) and offers helpers.
$script:ModulePath = $env:KVMPS_MODULE_PATH
if (-not $script:ModulePath) {
    $script:ModulePath = Join-Path $PSScriptRoot '../../out/KvmPS/KvmPS.psd1'
}
Import-Module $script:ModulePath -Force
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:SystemTier = [bool]$env:KVMPS_SYSTEM

function Reset-KvmSession {
    # Closes every connection of this runspace so the next test sees a fresh test driver.
    Get-KvmConnection | ForEach-Object { Disconnect-KvmHost -Uri $_.RequestedUri -ErrorAction SilentlyContinue }
}
