# Runs the Pester suites in this fresh process against the built module and writes the counts
# to a JSON file for build.ps1's summary line.
param(
    [Parameter(Mandatory)][string] $PesterPath,
    [Parameter(Mandatory)][string] $ModulePath,
    [Parameter(Mandatory)][string] $ResultPath,
    [string] $ExcludeTag = ''
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:KVMPS_MODULE_PATH = (Resolve-Path $ModulePath).Path

$config = New-PesterConfiguration
$config.Run.Path = Join-Path $PSScriptRoot 'Pester'
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Filter.ExcludeTag = @($ExcludeTag -split ',' | Where-Object { $_ })
$result = Invoke-Pester -Configuration $config

[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.NotRunCount
    # Named again at the end of the run, so a log cut to its tail still says what failed.
    FailedNames = @(
        @($result.Failed | ForEach-Object { $_.ExpandedPath })
        @($result.FailedBlocks | ForEach-Object { "BeforeAll/AfterAll of $($_.ExpandedPath)" })
        @($result.FailedContainers | ForEach-Object { "file $($_.Item)" })
    )
} | ConvertTo-Json | Set-Content -Path $ResultPath
