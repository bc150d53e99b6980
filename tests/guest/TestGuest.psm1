# Functions for system tests that boot the tiny test guest (tests/guest) under QEMU and read what
# the guest saw from its serial console. See tests/guest/README.md.

Set-StrictMode -Version Latest

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:Builder = Join-Path $PSScriptRoot 'Build-TestGuest.ps1'
$script:Image = $null

# Report keys that occur once per item; their values are comma-separated fields.
$script:ListKeys = @{
    nic       = 'Name', 'Mac', 'Driver', 'Mtu', 'Bus', 'State'
    disk      = 'Name', 'Sectors', 'Driver', 'ReadOnly', 'Serial'
    cpu       = 'Id', 'Package', 'Die', 'Core', 'Node'
    node      = 'Id', 'Cpus', 'MemTotalKiB'
    hugepages = 'SizeKiB', 'Total', 'Free'
}

function Get-TestGuestImage {
    <#
    .SYNOPSIS
    Returns the kernel and initramfs of the test guest, building them the first time.
    .DESCRIPTION
    The files live in -Directory (default: $env:KVMPS_TEST_GUEST_DIR, else out/test-guest in the
    repository) and are reused while their inputs are unchanged. The result is cached for the
    life of the module, so calling this in every test costs nothing.
    #>
    [CmdletBinding()]
    [OutputType('KvmPS.TestGuestImage')]
    param(
        [string] $Directory,
        [switch] $Force
    )
    if (-not $Directory) {
        $Directory = if ($env:KVMPS_TEST_GUEST_DIR) { $env:KVMPS_TEST_GUEST_DIR } else { Join-Path $script:RepoRoot 'out/test-guest' }
    }
    $Directory = [IO.Path]::GetFullPath($Directory)
    if ($Force -or -not $script:Image -or $script:Image.Directory -ne $Directory) {
        # A child scope of its own: the build script sets StrictMode and ErrorActionPreference.
        $image = & $script:Builder -OutputDirectory $Directory -Force:$Force
        $image | Add-Member -NotePropertyName Directory -NotePropertyValue $Directory -Force
        $script:Image = $image
    }
    $script:Image
}

function New-TestGuestWorkDirectory {
    <#
    .SYNOPSIS
    Creates an empty directory for serial logs and disk images that QEMU can use.
    .DESCRIPTION
    QEMU runs as its own user (libvirt-qemu on Debian). libvirt hands it the files named in the
    domain XML with their ownership changed, but QEMU must be able to reach them: every parent
    directory needs search permission for others, as under /tmp or /var/lib/libvirt/images.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [string] $Prefix = 'kvmps-guest-',
        [string] $Parent = [IO.Path]::GetTempPath()
    )
    $path = Join-Path $Parent ($Prefix + [IO.Path]::GetRandomFileName().Replace('.', ''))
    $dir = New-Item -ItemType Directory -Path $path
    [IO.File]::SetUnixFileMode($dir.FullName, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute')
    $dir.FullName
}

function Get-TestGuestKernelCmdline {
    <#
    .SYNOPSIS
    Returns the kernel command line the test guest needs, for domains built by other means.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [switch] $Hold,
        [string] $Extra
    )
    $options = @(
        'console=ttyS0', 'quiet',
        # SCSI disks are scanned before /init runs, so the report sees every disk.
        'scsi_mod.scan=sync',
        # Hot-added memory comes up usable without udev.
        'memhp_default_state=online'
    )
    if ($Hold) { $options += 'kvmps.hold=1' }
    if ($Extra) { $options += $Extra }
    $options -join ' '
}

function New-TestGuestDomainXml {
    <#
    .SYNOPSIS
    Returns the XML of a minimal domain (type qemu, direct kernel boot) that runs the test guest.
    .DESCRIPTION
    The guest writes its report to the first serial port, which goes to -SerialLog (a file that
    QEMU creates; its directory must be reachable, see New-TestGuestWorkDirectory). Without
    -SerialLog the domain has no serial port. ACPI and APIC are always on: without ACPI the guest
    sees one CPU, one NUMA node, and cannot power the domain off.
    .PARAMETER NumaNodes
    Splits the vCPUs (in contiguous blocks) and the memory evenly into this many guest NUMA cells.
    .PARAMETER ExtraDevicesXml
    Device elements (e.g. "<interface type='network'>...</interface>") added to <devices>.
    .PARAMETER Hold
    The guest stays up after its report until an ACPI power button press (virsh shutdown), and
    prints a new report after a hotplug changes its CPUs, memory, NICs or disks.
    .PARAMETER Agent
    Adds the guest agent's channel (org.qemu.guest_agent.0) and kvmps.agent=1: the guest runs
    qemu-ga on it (when the image has it: (Get-TestGuestImage).HasAgent). Implies -Hold.
    .PARAMETER Shell
    kvmps.shell=1: a root shell on the first serial port after the report (prompt 'kvmps# ').
    Implies -Hold and -ConsolePty.
    .PARAMETER Counter
    kvmps.counter=1: the guest prints 'kvmps-counter N' once a second on its console. Implies -Hold.
    .PARAMETER ConsolePty
    The first serial port is a pty (so virsh console and virDomainOpenConsole reach it) that
    libvirt also logs to -SerialLog.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Name,

        [ValidateRange(64, 1048576)]
        [int] $MemoryMiB = 256,

        [ValidateRange(1, 64)]
        [int] $VCpu = 1,

        # Maximum vCPUs for CPU hotplug; -VCpu are online at boot.
        [int] $MaxVCpu,

        [int] $NumaNodes,

        [int] $Sockets,
        [int] $Cores,
        [int] $Threads,

        [string] $SerialLog,

        [switch] $Hold,

        [string[]] $ExtraDevicesXml = @(),

        # Appended to the kernel command line.
        [string] $ExtraCmdline,

        [guid] $Uuid,

        # e.g. 'q35'; by default libvirt picks the emulator's default machine.
        [string] $Machine,

        [string] $Kernel,
        [string] $Initrd,

        [switch] $Agent,
        [switch] $Shell,
        [switch] $Counter,
        [switch] $ConsolePty
    )
    if ($Shell) { $ConsolePty = [switch]::Present }
    if ($Agent -or $Shell -or $Counter) { $Hold = [switch]::Present }
    $flags = @(if ($Agent) { 'kvmps.agent=1' }; if ($Shell) { 'kvmps.shell=1' }; if ($Counter) { 'kvmps.counter=1' })
    if ($flags) { $ExtraCmdline = (@($flags) + @($ExtraCmdline | Where-Object { $_ })) -join ' ' }
    if (-not $Kernel -or -not $Initrd) {
        $image = Get-TestGuestImage
        if (-not $Kernel) { $Kernel = $image.Kernel }
        if (-not $Initrd) { $Initrd = $image.Initrd }
    }
    if (-not $MaxVCpu) { $MaxVCpu = $VCpu }
    if ($MaxVCpu -lt $VCpu) { throw "MaxVCpu ($MaxVCpu) is less than VCpu ($VCpu)." }
    if ($NumaNodes -and ($NumaNodes -gt $MaxVCpu)) { throw "NumaNodes ($NumaNodes) exceeds the vCPU count ($MaxVCpu)." }
    $topology = $Sockets -or $Cores -or $Threads
    if ($topology) {
        $s = [Math]::Max($Sockets, 1); $c = [Math]::Max($Cores, 1); $t = [Math]::Max($Threads, 1)
        if ($s * $c * $t -ne $MaxVCpu) { throw "Sockets*Cores*Threads ($($s * $c * $t)) must equal the vCPU count ($MaxVCpu)." }
    }

    $cmdline = Get-TestGuestKernelCmdline -Hold:$Hold -Extra $ExtraCmdline

    $X = { param([string] $n, [object[]] $content) [System.Xml.Linq.XElement]::new([System.Xml.Linq.XName]$n, $content) }
    $A = { param([string] $n, $v) [System.Xml.Linq.XAttribute]::new([System.Xml.Linq.XName]$n, "$v") }

    $type = & $X 'type' @((& $A 'arch' 'x86_64'), 'hvm')
    if ($Machine) { $type.Add((& $A 'machine' $Machine)) }
    $os = & $X 'os' @($type, (& $X 'kernel' $Kernel), (& $X 'initrd' $Initrd), (& $X 'cmdline' $cmdline))

    $vcpuElement = & $X 'vcpu' @([string]$MaxVCpu)
    if ($MaxVCpu -ne $VCpu) { $vcpuElement.Add((& $A 'current' $VCpu)) }

    $memKiB = [long]$MemoryMiB * 1024
    $cpu = & $X 'cpu' @()
    if ($topology) {
        $cpu.Add((& $X 'topology' @((& $A 'sockets' $s), (& $A 'dies' 1), (& $A 'cores' $c), (& $A 'threads' $t))))
    }
    if ($NumaNodes) {
        $numa = & $X 'numa' @()
        $first = 0
        for ($i = 0; $i -lt $NumaNodes; $i++) {
            # Cells take contiguous vCPU blocks; the first cells get one more when it does not divide.
            $count = [Math]::Floor($MaxVCpu / $NumaNodes) + [int]($i -lt ($MaxVCpu % $NumaNodes))
            $cpus = if ($count -eq 1) { "$first" } else { "$first-$($first + $count - 1)" }
            $first += $count
            $cellKiB = [Math]::Floor($memKiB / $NumaNodes / 1024) * 1024
            if ($i -eq $NumaNodes - 1) { $cellKiB = $memKiB - $cellKiB * ($NumaNodes - 1) }
            $numa.Add((& $X 'cell' @((& $A 'id' $i), (& $A 'cpus' $cpus), (& $A 'memory' $cellKiB), (& $A 'unit' 'KiB'))))
        }
        $cpu.Add($numa)
    }

    $devices = & $X 'devices' @()
    if ($ConsolePty) {
        $serial = & $X 'serial' @((& $A 'type' 'pty'), (& $X 'target' @(& $A 'port' 0)))
        if ($SerialLog) { $serial.Add((& $X 'log' @((& $A 'file' $SerialLog), (& $A 'append' 'off')))) }
        $devices.Add($serial)
    } elseif ($SerialLog) {
        $devices.Add((& $X 'serial' @((& $A 'type' 'file'),
                    (& $X 'source' @((& $A 'path' $SerialLog), (& $A 'append' 'off'))),
                    (& $X 'target' @(& $A 'port' 0)))))
    }
    if ($Agent) {
        $devices.Add((& $X 'channel' @((& $A 'type' 'unix'),
                    (& $X 'target' @((& $A 'type' 'virtio'), (& $A 'name' 'org.qemu.guest_agent.0'))))))
    }
    foreach ($fragment in $ExtraDevicesXml) {
        try { $devices.Add([System.Xml.Linq.XElement]::Parse($fragment)) }
        catch { throw "ExtraDevicesXml is not one XML element: $fragment ($($_.Exception.Message))" }
    }
    # Not needed by the guest; one device less to emulate.
    $devices.Add((& $X 'memballoon' @(& $A 'model' 'none')))

    $domain = & $X 'domain' @(
        (& $A 'type' 'qemu'),
        (& $X 'name' $Name),
        (& $X 'memory' @((& $A 'unit' 'KiB'), [string]$memKiB)),
        $vcpuElement,
        $os,
        (& $X 'features' @((& $X 'acpi' @()), (& $X 'apic' @())))
    )
    if ($Uuid) { $domain.Element('name').AddAfterSelf((& $X 'uuid' $Uuid.ToString())) }
    if ($cpu.HasElements) { $domain.Add($cpu) }
    $domain.Add((& $X 'clock' @(& $A 'offset' 'utc')))
    $domain.Add((& $X 'on_poweroff' 'destroy'))
    $domain.Add($devices)
    $domain.ToString()
}

function ConvertFrom-TestGuestReportLine {
    # "KVMPS key=value" lines of one report -> one object; list keys become arrays of objects.
    param([string[]] $Line)
    $facts = [ordered]@{}
    foreach ($key in $script:ListKeys.Keys) { $facts[$key] = [Collections.Generic.List[object]]::new() }
    foreach ($l in $Line) {
        if ($l -notmatch '^KVMPS ([a-z_]+)=(.*)$') { continue }
        $key = $Matches[1]; $value = $Matches[2]
        if ($script:ListKeys.ContainsKey($key)) {
            $fields = $value -split ','
            $item = [ordered]@{}
            $names = $script:ListKeys[$key]
            for ($i = 0; $i -lt $names.Count; $i++) {
                $f = if ($i -lt $fields.Count) { $fields[$i] } else { '' }
                $item[$names[$i]] = if ($f -match '^\d{1,18}$') { [long]$f } else { $f }
            }
            $facts[$key].Add([pscustomobject]$item)
        } else {
            $facts[$key] = if ($value -match '^\d{1,18}$') { [long]$value } else { $value }
        }
    }
    foreach ($key in $script:ListKeys.Keys) { $facts[$key] = $facts[$key].ToArray() }
    $facts['Lines'] = $Line
    [pscustomobject]$facts
}

function Read-TestGuestReport {
    <#
    .SYNOPSIS
    Waits for the guest's report on its serial log and returns the facts as one object.
    .DESCRIPTION
    Scalars become properties named after their keys (cpus, nodes, memtotal_kib, cmdline, uptime,
    ...; numbers as [long]); nic, disk, cpu, node and hugepages are arrays of objects (e.g.
    $r.nic[0].Mac). -Occurrence picks a later report: a guest run with -Hold prints one more after
    each hotplug, and a rebooted guest starts again. Throws with the end of the log when the
    guest panics or the report does not come within -TimeoutSec.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [string] $SerialLog,

        [int] $TimeoutSec = 120,

        [ValidateRange(1, 1000)]
        [int] $Occurrence = 1
    )
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    $lines = @()
    while ($true) {
        if (Test-Path -LiteralPath $SerialLog) {
            # QEMU keeps the file open for writing; share it.
            $stream = [IO.FileStream]::new($SerialLog, 'Open', 'Read', 'ReadWrite')
            try { $text = [IO.StreamReader]::new($stream).ReadToEnd() } finally { $stream.Dispose() }
            $lines = @($text -split "`r?`n" | ForEach-Object { $_.TrimEnd("`r") })
            $ends = @(for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i] -ceq 'KVMPS done') { $i } })
            if ($ends.Count -ge $Occurrence) {
                $end = $ends[$Occurrence - 1]
                $begin = $end
                while ($begin -gt 0 -and $lines[$begin] -cne 'KVMPS begin') { $begin-- }
                return ConvertFrom-TestGuestReportLine -Line $lines[$begin..$end]
            }
            if ($text -match 'Kernel panic') { break }
        }
        if ([DateTime]::UtcNow -gt $deadline) { break }
        Start-Sleep -Milliseconds 200
    }
    $tail = ($lines | Select-Object -Last 30) -join "`n"
    throw "No report #$Occurrence from the test guest in $SerialLog within $TimeoutSec s. Last lines:`n$tail"
}

function Wait-TestGuestAgent {
    <#
    .SYNOPSIS
    Waits until the guest agent of a running domain answers guest-ping (through virsh, an
    independent tool); returns $true, or $false at the timeout.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory)] [string] $Uri,
        [Parameter(Mandatory)] [string] $Domain,
        [int] $TimeoutSec = 60
    )
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ([DateTime]::UtcNow -lt $deadline) {
        $null = & virsh -c $Uri qemu-agent-command $Domain '{"execute":"guest-ping"}' --timeout 2 2>$null
        if ($LASTEXITCODE -eq 0) { return $true }
        Start-Sleep -Milliseconds 500
    }
    $false
}

function Invoke-TestGuestCommand {
    <#
    .SYNOPSIS
    Runs a busybox sh script in the guest through the agent's guest-exec (virsh qemu-agent-command)
    and returns { ExitCode, StdOut, StdErr }.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Uri,
        [Parameter(Mandatory)] [string] $Domain,
        [Parameter(Mandatory)] [string] $Script,
        [int] $TimeoutSec = 60
    )
    $request = @{ execute = 'guest-exec'; arguments = @{ path = '/bin/sh'; arg = @('-c', $Script); 'capture-output' = $true } } |
        ConvertTo-Json -Compress -Depth 5
    $started = & virsh -c $Uri qemu-agent-command $Domain $request 2>&1
    if ($LASTEXITCODE -ne 0) { throw "guest-exec failed: $started" }
    $execPid = (($started -join '') | ConvertFrom-Json).return.pid
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ($true) {
        $status = & virsh -c $Uri qemu-agent-command $Domain (@{ execute = 'guest-exec-status'; arguments = @{ pid = $execPid } } | ConvertTo-Json -Compress) 2>&1
        if ($LASTEXITCODE -ne 0) { throw "guest-exec-status failed: $status" }
        $r = (($status -join '') | ConvertFrom-Json).return
        if ($r.exited) {
            $decode = { param($b) if ($b) { [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($b)) } else { '' } }
            return [pscustomobject]@{
                ExitCode = $r.exitcode
                StdOut   = & $decode ($r.PSObject.Properties['out-data']?.Value)
                StdErr   = & $decode ($r.PSObject.Properties['err-data']?.Value)
            }
        }
        if ([DateTime]::UtcNow -gt $deadline) { throw "guest-exec pid $execPid did not end within $TimeoutSec s" }
        Start-Sleep -Milliseconds 200
    }
}

Export-ModuleMember -Function Wait-TestGuestAgent, Invoke-TestGuestCommand, Get-TestGuestImage, Get-TestGuestKernelCmdline, New-TestGuestWorkDirectory, New-TestGuestDomainXml, Read-TestGuestReport
