<#
.SYNOPSIS
Builds, tests and demonstrates KvmPS.

.DESCRIPTION
Tasks (run in the order given):
  Bootstrap  installs what is missing: Debian packages (as root, via apt-get) and Pester (from NuGet).
  Build      builds the importable module into out/KvmPS (manifest, assemblies, format data, MAML help).
  Docs       turns docs/en-US/*.md into MAML help (also part of Build).
  Test       runs every tier: xunit (engine), Pester on the test driver, Pester system tests against
             a real libvirtd (started here inside a network namespace when needed and possible).
  Demo       runs demo.ps1 against libvirt's test driver (test:///default).
  Bench      runs the benchmarks (Get-KvmVM and Get-KvmVMStatistics vs libvirt-python).

.EXAMPLE
./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Leave a libvirtd started by the Test task running afterwards.
    [switch] $KeepDaemon,

    # Pester tags to exclude (for a quicker loop), e.g. -ExcludeTag System.
    [string[]] $ExcludeTag = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
# 'A, B' from bash arrives as one string.
$Task = @($Task | ForEach-Object { $_ -split ',' } | ForEach-Object Trim | Where-Object { $_ })
$known = 'Bootstrap', 'Build', 'Docs', 'Test', 'Demo', 'Bench'

foreach ($t in $Task) { if ($t -notin $known) { throw "Unknown task '$t'. Tasks: $($known -join ', ')" } }

$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out/KvmPS'
$Manifest = Import-PowerShellDataFile (Join-Path $Root 'KvmPS.psd1')
$Version = $Manifest.ModuleVersion
$PesterVersion = '5.7.1'
# The frameworks the module is built for; module/KvmPS.psm1 loads the one of the running pwsh.
$Frameworks = 'net8.0', 'net10.0'
# A quicker local loop can build one of them: KVMPS_BUILD_FRAMEWORKS=net10.0 (what `dotnet pwsh` 7.6 runs).
if ($env:KVMPS_BUILD_FRAMEWORKS) { $Frameworks = @($env:KVMPS_BUILD_FRAMEWORKS -split '[,; ]+' | Where-Object { $_ }) }
$NetNs = 'kvmps-ci'

# Debian packages: what the tiers need (libvirt0 alone runs the test driver; the rest is the
# system tier: daemon, QEMU, validation tools, and the bits to build a tiny guest).
$AptPackages = @(
    'libvirt0', 'libvirt-daemon-system', 'libvirt-clients', 'qemu-system-x86', 'qemu-utils',
    'dnsmasq-base', 'ovmf', 'osinfo-db', 'libosinfo-bin', 'virtinst', 'libxml2-utils',
    'iproute2', 'cpio', 'busybox-static', 'xorriso', 'python3-libvirt',
    # the test guest's agent (copied into its initramfs)
    'qemu-guest-agent',
    # an independent PNG decoder (PIL) for the screenshot tests
    'python3-pil',
    # an emulated TPM for guests that need one (Windows 11)
    'swtpm', 'swtpm-tools',
    # the remote transports' hosts (RemoteTransports.System.Tests): an sshd and ssh keys, a SASL
    # user database and its DIGEST-MD5 plugin, certificates (certtool), a password hash (openssl)
    'openssh-server', 'openssh-client', 'sasl2-bin', 'libsasl2-modules', 'gnutls-bin', 'openssl'
)

function Write-Step([string] $Message) { Write-Information "==> $Message" -InformationAction Continue }

function Invoke-Native {
    # Runs a program with an argument list and fails on a non-zero exit code.
    param([string] $FilePath, [string[]] $ArgumentList)
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "$FilePath $($ArgumentList -join ' ') exited with $LASTEXITCODE" }
}

function Test-IsRoot { (id -u) -eq '0' }

function Get-PwshCommand {
    # The PowerShell running this script, as a command line for a fresh child process.
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if (Test-Path $dll) { return @('dotnet', $dll) }
    return @((Get-Process -Id $PID).Path)
}

function Get-PesterPath {
    $packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    Join-Path $packages.Trim() "pester/$PesterVersion/tools/Pester.psd1"
}

function Stop-NewSshService([string[]] $Installed) {
    # The tests start an sshd of their own in a network namespace. Where systemd runs, installing
    # openssh-server also starts and enables the machine's sshd on port 22: when this run installed
    # it, that service is new and is stopped and disabled again. (In a container apt's policy-rc.d
    # usually refuses to start it at all.) An sshd that ran before is never touched.
    if ($Installed -notcontains 'openssh-server' -or -not (Get-Command systemctl -ErrorAction Ignore)) { return }
    & systemctl is-active --quiet ssh.service 2>$null
    if ($LASTEXITCODE -eq 0) {
        Write-Step 'openssh-server started the machine''s sshd: stopping and disabling it (the tests run their own)'
        & systemctl disable --now ssh.service ssh.socket 2>$null
    }
}

function Invoke-Bootstrap {
    Write-Step 'Bootstrap'
    $osRelease = if (Test-Path /etc/os-release) { Get-Content /etc/os-release -Raw } else { '' }
    if ($osRelease -match '(?m)^ID(_LIKE)?=.*(debian|ubuntu)') {
        $missing = @($AptPackages | Where-Object {
                # A package dpkg does not know yields no output at all: compare as a string.
                $status = "$(& dpkg-query -W -f='${Status}' $_ 2>$null)"
                $status -notmatch 'install ok installed'
            })
        if ($missing) {
            if (Test-IsRoot) {
                Write-Step "apt-get install $($missing -join ' ')"
                $env:DEBIAN_FRONTEND = 'noninteractive'
                Invoke-Native apt-get @('update', '-qq')
                Invoke-Native apt-get (@('install', '-y', '-qq', '-o', 'Dpkg::Options::=--force-confnew') + $missing)
                Stop-NewSshService $missing
            } else {
                Write-Warning "Not root: cannot install $($missing -join ', '). Tiers that need them will be skipped."
            }
        }
    } else {
        Write-Warning 'Not a Debian/Ubuntu system: install libvirt and QEMU with your package manager.'
    }

    if (-not (Test-Path (Get-PesterPath))) {
        Write-Step "Pester $PesterVersion from NuGet"
        Invoke-Native dotnet @('restore', (Join-Path $Root 'tools/TestDeps/TestDeps.csproj'), '--verbosity', 'quiet')
    }
}

function Invoke-Docs {
    Write-Step 'Docs: docs/en-US/*.md -> MAML'
    $helpDir = Join-Path $OutDir 'en-US'
    $null = New-Item -ItemType Directory -Force -Path $helpDir
    $helpFile = Join-Path $helpDir 'KvmPS.Module.dll-Help.xml'
    if (Get-Module -ListAvailable -Name platyPS) {
        Import-Module platyPS
        $null = New-ExternalHelp -Path (Join-Path $Root 'docs/en-US') -OutputPath $helpDir -Force
        # PlatyPS names the file after the page front matter ("external help file").
    } else {
        Import-Module (Join-Path $Root 'tools/HelpMarkdown.psm1') -Force
        $pages = Get-ChildItem (Join-Path $Root 'docs/en-US') -Filter '*.md' | Where-Object Name -NotLike 'about_*' | ConvertFrom-HelpMarkdown
        ConvertTo-Maml -Page $pages -OutputPath $helpFile
    }
    # about_ topics: plain text beside the module (Get-Help about_KvmPS finds en-US/about_KvmPS.help.txt).
    Import-Module (Join-Path $Root 'tools/HelpMarkdown.psm1') -Force
    foreach ($about in Get-ChildItem (Join-Path $Root 'docs/en-US') -Filter 'about_*.md') {
        ConvertTo-AboutHelpText -Path $about.FullName -OutputPath (Join-Path $helpDir "$($about.BaseName).help.txt")
    }
    # The cmdlets come from bin/<framework>/KvmPS.Module.dll, so Get-Help looks beside it too.
    foreach ($framework in $Frameworks) {
        $binHelp = Join-Path $OutDir "bin/$framework/en-US"
        $null = New-Item -ItemType Directory -Force -Path $binHelp
        Copy-Item $helpFile $binHelp -Force
    }
}

function Invoke-Build {
    Write-Step "Build KvmPS $Version ($Configuration)"
    if (Test-Path $OutDir) { Remove-Item $OutDir -Recurse -Force }
    $null = New-Item -ItemType Directory -Force -Path $OutDir
    # One build per .NET the module runs on (pwsh 7.4 and 7.5: .NET 8 and 9; pwsh 7.6: .NET 10),
    # each compiled ReadyToRun for this machine's runtime identifier: precompiled code is used only
    # on the .NET major version it was compiled against, and saves the JIT at the first command.
    $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    foreach ($framework in $Frameworks) {
        Invoke-Native dotnet @('publish', (Join-Path $Root 'src/KvmPS/KvmPS.csproj'), '-c', $Configuration,
            '-f', $framework, '-r', $rid, '--self-contained', 'false', '-p:PublishReadyToRun=true',
            '-o', (Join-Path $OutDir "bin/$framework"), "-p:Version=$Version", '--nologo', '-v', 'quiet')
    }
    Copy-Item (Join-Path $Root 'KvmPS.psd1') $OutDir
    Copy-Item (Join-Path $Root 'module/KvmPS.psm1') $OutDir
    Get-ChildItem (Join-Path $Root 'src/KvmPS') -Recurse -Filter '*.Format.ps1xml' | Copy-Item -Destination $OutDir
    Invoke-Docs
}

function Start-SystemDaemon {
    # Returns an object describing the daemon for the system tier, or a reason it is unavailable.
    $result = [pscustomobject]@{ Available = $false; Reason = ''; StartedPids = @(); Mounted = $null } # pid files of daemons this run started
    if (-not (Get-Command libvirtd -ErrorAction Ignore)) {
        $result.Reason = 'libvirtd is not installed (run the Bootstrap task as root)'
        return $result
    }
    $probe = { & virsh -c qemu:///system version 2>$null | Out-Null; $LASTEXITCODE -eq 0 }
    if (& $probe) {
        $result.Available = $true
        $result.Reason = 'libvirtd was already running'
        return $result
    }
    if (-not (Test-IsRoot)) {
        $result.Reason = 'libvirtd is not running and starting it needs root'
        return $result
    }
    # libvirt networks put bridges and dnsmasq on the host; in a namespace of our own they touch
    # nothing outside this test run.
    if (-not ((& ip netns list) -match "^$NetNs\b")) { Invoke-Native ip @('netns', 'add', $NetNs) }
    Invoke-Native ip @('netns', 'exec', $NetNs, 'ip', 'link', 'set', 'lo', 'up')
    $null = New-Item -ItemType Directory -Force -Path /var/log/libvirt, /run/libvirt
    if (-not (Test-Path /run/virtlogd.pid) -or -not (Get-Process -Id ([int](Get-Content /run/virtlogd.pid)) -ErrorAction Ignore)) {
        Invoke-Native virtlogd @('-d')
        Start-Sleep -Milliseconds 300
        $result.StartedPids += '/run/virtlogd.pid' 
    }
    # libvirtd looks for a hugetlbfs mount only when it starts; systemd hosts have one at
    # /dev/hugepages, a bare container does not. Mount one first so huge-page guests can start.
    if (-not (Select-String -Path /proc/mounts -Pattern ' hugetlbfs ' -Quiet)) {
        $null = New-Item -ItemType Directory -Force -Path /dev/hugepages
        & mount -t hugetlbfs hugetlbfs /dev/hugepages 2>$null
        if ($LASTEXITCODE -eq 0) { $result.Mounted = '/dev/hugepages' }
    }
    Invoke-Native ip @('netns', 'exec', $NetNs, 'libvirtd', '-d')
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ([DateTime]::UtcNow -lt $deadline -and -not (& $probe)) { Start-Sleep -Milliseconds 250 }
    $result.StartedPids += '/run/libvirtd.pid' 
    if (& $probe) {
        $result.Available = $true
        $result.Reason = "libvirtd started in network namespace $NetNs"
    } else {
        $result.Reason = 'libvirtd was started but did not answer within 30 s'
    }
    $result
}

function Stop-SystemDaemon($Daemon) {
    # By pid file, read now: a system test may have restarted the daemon it was given.
    foreach ($pidFile in $Daemon.StartedPids) {
        if (-not (Test-Path $pidFile)) { continue }
        $id = [int](Get-Content $pidFile)
        Write-Step "Stopping $(Split-Path $pidFile -Leaf) ($id), started by this run"
        Stop-Process -Id $id -ErrorAction Ignore
    }
    if ($Daemon.Mounted) {
        & umount $Daemon.Mounted 2>$null
    }
}

function Invoke-Test {
    $passed = 0; $failed = 0; $skipped = 0
    $failedNames = [System.Collections.Generic.List[string]]::new()
    $resultsDir = Join-Path $Root 'out/test-results'
    $null = New-Item -ItemType Directory -Force -Path $resultsDir

    Write-Step 'Tier 1: engine unit tests and test-driver tests (xunit)'
    $trx = Join-Path $resultsDir 'engine.trx'
    if (Test-Path $trx) { Remove-Item $trx }
    & dotnet test (Join-Path $Root 'tests/KvmPS.Engine.Tests/KvmPS.Engine.Tests.csproj') -c $Configuration --nologo `
        --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal'
    if (Test-Path $trx) {
        [xml] $x = Get-Content $trx -Raw
        $c = $x.TestRun.ResultSummary.Counters
        $passed += [int]$c.passed
        $failed += [int]$c.failed + [int]$c.error + [int]$c.timeout
        $skipped += [int]$c.notExecuted
        foreach ($r in @($x.TestRun.Results.UnitTestResult)) {
            if ($r -and $r.outcome -ne 'Passed' -and $r.outcome -ne 'NotExecuted') { $failedNames.Add("xunit: $($r.testName)") }
        }
    } else {
        Write-Warning 'xunit produced no results file: counting the engine tier as one failure.'
        $failed++
    }

    Write-Step 'System tier: real libvirtd with QEMU'
    $daemon = Start-SystemDaemon
    $exclude = @($ExcludeTag)
    if ($daemon.Available) {
        Write-Step "System tier enabled: $($daemon.Reason)"
    } else {
        Write-Information "SKIPPED: system tests (tag System) - $($daemon.Reason)" -InformationAction Continue
        $exclude += 'System'
    }

    Write-Step 'Tier 2 and 3: Pester against the built module (fresh pwsh)'
    $pesterJson = Join-Path $resultsDir 'pester.json'
    if (Test-Path $pesterJson) { Remove-Item $pesterJson }
    $runner = Join-Path $Root 'tests/Invoke-PesterRun.ps1'
    $pwsh = @(Get-PwshCommand)
    $env:KVMPS_SYSTEM = if ($daemon.Available) { '1' } else { '' }
    # Tests may stop and restart a daemon only when this run started it.
    $env:KVMPS_DAEMON_OWNED = if ($daemon.Available -and $daemon.StartedPids) { $NetNs } else { '' }
    try {
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoLogo -NoProfile -NonInteractive -File $runner `
            -PesterPath (Get-PesterPath) -ModulePath (Join-Path $OutDir 'KvmPS.psd1') `
            -ExcludeTag ($exclude -join ',') -ResultPath $pesterJson
    } finally {
        if (-not $KeepDaemon) { Stop-SystemDaemon $daemon }
    }
    if (Test-Path $pesterJson) {
        $p = Get-Content $pesterJson -Raw | ConvertFrom-Json
        $passed += $p.Passed; $failed += $p.Failed; $skipped += $p.Skipped
        foreach ($n in @($p.FailedNames)) { if ($n) { $failedNames.Add("Pester: $n") } }
    } else {
        Write-Warning 'Pester produced no results: counting it as one failure.'
        $failed++
    }

    # What failed, named once more just before the summary line.
    foreach ($n in $failedNames) { Write-Output "FAILED $n" }
    # The one summary line CI reads.
    Write-Output "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Write-Step 'Demo on the test driver (test:///default)'
    $pwsh = @(Get-PwshCommand)
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoLogo -NoProfile -NonInteractive -File (Join-Path $Root 'demo.ps1') -ModulePath (Join-Path $OutDir 'KvmPS.psd1')
    if ($LASTEXITCODE -ne 0) { throw "demo failed ($LASTEXITCODE)" }
}

function Invoke-Bench {
    # Each benchmark prints its ratios against the alternative it measures in the same run.
    $pwsh = @(Get-PwshCommand)
    $benches = [ordered]@{
        'Measure-Startup.ps1'             = 'Startup: Import-Module and first commands in fresh processes, against a bare pwsh'
        'Measure-VMListing.ps1'           = 'Get-KvmVM against libvirt-python listing the same domains'
        'Measure-ConfigurationPlan.ps1'   = 'Configuration plan of a 200-VM lab that already matches: time against Get-KvmVM, and libvirt write calls (must be 0)'
        'Measure-FanOut.ps1'              = 'Fan-out: Get-KvmVM over several hosts at once against one after another'
        'Measure-VirtInstallParity.ps1'   = 'New-KvmVM against virt-install for the same requests (on KVMPS_SYSTEM_URI, else qemu:///system)'
        'Measure-Statistics.ps1'          = 'Statistics: Get-KvmVMStatistics vs getAllDomainStats and per-domain loops'
        'Measure-Backup.ps1'              = 'Backups: Backup-KvmVM against qemu-img convert; bytes an incremental backup copies'
        'Measure-Migration.ps1'           = 'Live migration of the test guest between two private daemons: Move-KvmVM against virsh migrate --live (time, downtime)'
    }
    foreach ($bench in $benches.GetEnumerator()) {
        Write-Step $bench.Value
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoLogo -NoProfile -NonInteractive -File (Join-Path $Root "tests/bench/$($bench.Key)") -ModulePath (Join-Path $OutDir 'KvmPS.psd1')
        if ($LASTEXITCODE -ne 0) { throw "$($bench.Key) failed ($LASTEXITCODE)" }
    }
}

foreach ($t in $Task) {
    switch ($t) {
        'Bootstrap' { Invoke-Bootstrap }
        'Build' { Invoke-Build }
        'Docs' { Invoke-Docs }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
    }
}
