<#
.SYNOPSIS
Builds the tiny test guest (a Debian cloud kernel and a busybox initramfs) for the system tests.

.DESCRIPTION
Writes vmlinuz and initrd.gz into -OutputDirectory and returns an object with their paths. The
kernel comes from Debian's linux-image-cloud-amd64 (the versioned package it depends on, fetched
with apt-get download and unpacked with dpkg-deb -x, never installed); the initramfs holds the
static busybox of busybox-static, the kernel modules listed in -Module with their dependencies,
and tests/guest/init as /init.

The build is cached: when both files exist and the inputs (kernel package and version, busybox,
the init script, the module list, this script) are unchanged, nothing is done. The kernel .deb
is kept in the output directory so a changed init script does not download it again.

Needs: apt-get, apt-cache, dpkg-deb (Debian or Ubuntu), cpio, gzip, and busybox-static.

.EXAMPLE
dotnet pwsh tests/guest/Build-TestGuest.ps1 -OutputDirectory out/test-guest
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $OutputDirectory,

    # The metapackage whose dependency names the kernel image package.
    [string] $KernelMetaPackage = 'linux-image-cloud-amd64',

    # Modules to load at boot (their dependencies are added). Built-in drivers need no entry.
    [string[]] $Module = @(
        'virtio_pci', 'virtio_net', 'virtio_blk', 'virtio_scsi', 'virtio_balloon', 'virtio_console',
        'sd_mod', 'sr_mod', 'isofs', 'ata_piix', 'button', 'evdev'
    ),

    # The QEMU guest agent (Debian package qemu-guest-agent) copied in with the shared libraries
    # ldd lists, when it is installed; the guest starts it with kvmps.agent=1.
    [string] $GuestAgent = '/usr/sbin/qemu-ga',

    # Rebuild even when the cached files match.
    [switch] $Force
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$InitScript = Join-Path $PSScriptRoot 'init'
$Busybox = '/bin/busybox'

function Invoke-Tool {
    # Runs a program with an argument list; returns its output lines, throws on a non-zero exit.
    param([string] $FilePath, [string[]] $ArgumentList)
    $out = & $FilePath @ArgumentList 2>&1
    if ($LASTEXITCODE -ne 0) {
        throw "$FilePath $($ArgumentList -join ' ') exited with $LASTEXITCODE`n$($out -join "`n")"
    }
    $out | ForEach-Object { "$_" }
}

function Assert-Prerequisite {
    $missing = @('apt-get', 'apt-cache', 'dpkg-deb', 'dpkg-query', 'cpio', 'gzip', 'sh', 'find', 'sort') |
        Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }
    if ($missing) {
        throw "Building the test guest needs $($missing -join ', ') (Debian packages apt, dpkg, cpio, gzip, findutils, coreutils; './build.ps1 -Task Bootstrap' installs cpio)."
    }
    # The dynamically linked busybox of the 'busybox' package would not run inside the initramfs.
    $status = & dpkg-query -W -f '${Status}' busybox-static 2>$null
    if ($status -notmatch 'install ok installed' -or -not (Test-Path $Busybox)) {
        throw "Building the test guest needs the static busybox of Debian package busybox-static (./build.ps1 -Task Bootstrap installs it)."
    }
}

function Get-KernelPackage {
    # The candidate version of the metapackage depends on exactly one versioned image package.
    $show = Invoke-Tool apt-cache @('show', '--no-all-versions', $KernelMetaPackage)
    $depends = ($show | Where-Object { $_ -match '^Depends:' } | Select-Object -First 1)
    if ($depends -notmatch '(linux-image-[0-9][^ ,(]*)\s*\(=\s*([^)\s]+)\)') {
        throw "Cannot find the kernel image package in '$depends' of $KernelMetaPackage (run apt-get update?)."
    }
    [pscustomobject]@{ Name = $Matches[1]; Version = $Matches[2]; Release = $Matches[1] -replace '^linux-image-', '' }
}

function Get-FileHashText([string] $Path) { (Get-FileHash -Algorithm SHA256 -LiteralPath $Path).Hash }

function Get-ModuleClosure {
    # Module file paths (relative to lib/modules/<release>) for $Module and everything they
    # depend on, dependencies first, read from the modules.dep that busybox depmod wrote.
    param([string] $ModulesDep)
    $deps = @{}
    $byName = @{}
    foreach ($line in [IO.File]::ReadAllLines($ModulesDep)) {
        $path, $rest = $line -split ':', 2
        $deps[$path] = @(($rest ?? '').Trim() -split '\s+' | Where-Object { $_ })
        $byName[([IO.Path]::GetFileName($path) -replace '\.ko(\..*)?$' -replace '-', '_')] = $path
    }
    $ordered = [Collections.Generic.List[string]]::new()
    $visit = {
        param($p)
        if ($ordered.Contains($p)) { return }
        foreach ($d in $deps[$p]) { & $visit $d }
        $ordered.Add($p)
    }
    foreach ($m in $Module) {
        $p = $byName[$m -replace '-', '_']
        if (-not $p) { throw "Kernel module '$m' is not in the kernel package (built in, or misspelt?)." }
        & $visit $p
    }
    @{ Files = $ordered; Deps = $deps }
}

function Set-ReadableMode([string] $Path) {
    # QEMU runs as its own user: it must read the files (libvirt relabels them, but a stray
    # restrictive umask should not matter).
    [IO.File]::SetUnixFileMode($Path, [IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead')
}

function Copy-GuestAgent([string] $Root) {
    # The binary and every library the dynamic loader resolves for it, at the same paths (the
    # files themselves, not their symbolic links).
    $files = @($GuestAgent) + @(Invoke-Tool ldd @($GuestAgent) | ForEach-Object {
            if ($_ -match '=>\s*(/\S+)') { $Matches[1] } elseif ($_ -match '^\s*(/\S+)') { $Matches[1] }
        })
    foreach ($f in $files) {
        $target = Join-Path $Root $f.TrimStart('/')
        $null = New-Item -ItemType Directory -Force -Path (Split-Path $target)
        $null = Invoke-Tool cp @('-L', $f, $target)
    }
}

Assert-Prerequisite
$null = New-Item -ItemType Directory -Force -Path $OutputDirectory
$OutputDirectory = (Resolve-Path -LiteralPath $OutputDirectory).Path
$kernelPath = Join-Path $OutputDirectory 'vmlinuz'
$initrdPath = Join-Path $OutputDirectory 'initrd.gz'
$stampPath = Join-Path $OutputDirectory 'inputs.json'

# Two test runs that share the directory must not build at once: .NET takes an flock for
# FileShare.None on Unix, so this open waits for the other build.
$lockPath = Join-Path $OutputDirectory '.lock'
$lock = $null
$deadline = [DateTime]::UtcNow.AddMinutes(10)
while (-not $lock) {
    try { $lock = [IO.File]::Open($lockPath, 'OpenOrCreate', 'ReadWrite', 'None') }
    catch [IO.IOException] {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Another build holds $lockPath." }
        Start-Sleep -Milliseconds 500
    }
}
try {
    $kernel = Get-KernelPackage
    $inputs = [ordered]@{
        KernelPackage = $kernel.Name
        KernelVersion = $kernel.Version
        Busybox       = Get-FileHashText $Busybox
        Init          = Get-FileHashText $InitScript
        Builder       = Get-FileHashText $PSCommandPath
        Modules       = $Module -join ','
        GuestAgent    = if (Test-Path $GuestAgent) { Get-FileHashText $GuestAgent } else { '' }
    }
    $inputsJson = $inputs | ConvertTo-Json -Compress
    $result = [pscustomobject]@{
        PSTypeName    = 'KvmPS.TestGuestImage'
        Kernel        = $kernelPath
        Initrd        = $initrdPath
        KernelRelease = $kernel.Release
        HasAgent      = [bool]$inputs.GuestAgent
        Cached        = $true
    }
    if (-not $Force -and (Test-Path $kernelPath) -and (Test-Path $initrdPath) -and (Test-Path $stampPath) -and
        (Get-Content -Raw $stampPath).Trim() -eq $inputsJson) {
        Write-Verbose "Test guest is up to date in $OutputDirectory"
        return $result
    }
    $result.Cached = $false

    $debName = "$($kernel.Name)_$($kernel.Version -replace ':', '%3a')_amd64.deb"
    $deb = Join-Path $OutputDirectory $debName
    if (-not (Test-Path $deb)) {
        Write-Verbose "Downloading $($kernel.Name)=$($kernel.Version)"
        Get-ChildItem $OutputDirectory -Filter 'linux-image-*.deb' | Remove-Item -Force
        Push-Location $OutputDirectory
        try {
            # As root apt drops to user _apt for the download, which cannot write here.
            $sandbox = if ((id -u) -eq '0') { @('-o', 'APT::Sandbox::User=root') } else { @() }
            $null = Invoke-Tool apt-get (@('download', '-q') + $sandbox + "$($kernel.Name)=$($kernel.Version)")
        } finally { Pop-Location }
        if (-not (Test-Path $deb)) {
            $deb = Get-ChildItem $OutputDirectory -Filter "$($kernel.Name)_*.deb" | Select-Object -First 1 -ExpandProperty FullName
            if (-not $deb) { throw "apt-get download left no $($kernel.Name) package in $OutputDirectory." }
        }
    }

    $work = Join-Path $OutputDirectory ".build-$PID"
    if (Test-Path $work) { Remove-Item $work -Recurse -Force }
    $extract = Join-Path $work 'deb'
    $root = Join-Path $work 'root'
    $null = New-Item -ItemType Directory -Force -Path $extract, $root
    try {
        Write-Verbose "Unpacking $deb"
        $null = Invoke-Tool dpkg-deb @('-x', $deb, $extract)
        $release = $kernel.Release
        $modDir = Join-Path $extract "lib/modules/$release"
        $vmlinuz = Join-Path $extract "boot/vmlinuz-$release"
        if (-not (Test-Path $vmlinuz)) { throw "The package has no boot/vmlinuz-$release." }
        # The package ships no modules.dep (its postinst runs depmod); busybox's depmod writes it.
        $null = Invoke-Tool $Busybox @('depmod', '-b', $extract, $release)
        $closure = Get-ModuleClosure (Join-Path $modDir 'modules.dep')

        foreach ($d in 'bin', 'sbin', 'usr/bin', 'usr/sbin', 'dev', 'proc', 'sys', 'tmp', 'run', 'etc/kvmps', "lib/modules/$release") {
            $null = New-Item -ItemType Directory -Force -Path (Join-Path $root $d)
        }
        Copy-Item $Busybox (Join-Path $root 'bin/busybox')
        Copy-Item $InitScript (Join-Path $root 'init')
        [IO.File]::SetUnixFileMode((Join-Path $root 'init'), [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute')
        foreach ($f in $closure.Files) {
            $target = Join-Path $root "lib/modules/$release/$f"
            $null = New-Item -ItemType Directory -Force -Path (Split-Path $target)
            Copy-Item (Join-Path $modDir $f) $target
        }
        $depLines = foreach ($f in $closure.Files) { "${f}: $($closure.Deps[$f] -join ' ')".TrimEnd() }
        [IO.File]::WriteAllLines((Join-Path $root "lib/modules/$release/modules.dep"), [string[]]$depLines)
        [IO.File]::WriteAllLines((Join-Path $root 'etc/kvmps/modules'), [string[]]$Module)
        if ($inputs.GuestAgent) { Copy-GuestAgent $root }

        Write-Verbose 'Packing the initramfs'
        $newInitrd = "$initrdPath.new"
        # A byte pipeline between native tools; the paths are arguments, not script text. Fixed
        # times, owners and inode numbers make the same inputs give the same bytes.
        $null = Invoke-Tool sh @('-c', 'cd "$1" && find . -exec touch -h -d @0 {} + && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet | gzip -n -9 > "$2"', 'sh', $root, $newInitrd)
        $newKernel = "$kernelPath.new"
        Copy-Item $vmlinuz $newKernel
        Set-ReadableMode $newKernel
        Set-ReadableMode $newInitrd
        Move-Item $newKernel $kernelPath -Force
        Move-Item $newInitrd $initrdPath -Force
        Set-Content -Path $stampPath -Value $inputsJson
    } finally {
        if (Test-Path $work) { Remove-Item $work -Recurse -Force }
    }
    $result
} finally {
    $lock.Dispose()
}
