# Restoring an external snapshot with memory, which libvirt before 9.9 cannot revert, so KvmPS does
# it in steps. The running test guest has a raw data disk (so its snapshot must be external); it is
# snapshotted with -Memory, changes what it holds in RAM (a file in its initramfs root, its uptime,
# the counter on its console) and on the data disk, and Restore-KvmSnapshot must bring back the
# running guest of the snapshot's moment. Checked inside the guest through its agent (virsh
# qemu-agent-command), on its console log, and on the image files with qemu-img — all independent
# of KvmPS. Then the same snapshot is restored a second time, and a restore that fails half-way
# (a damaged memory file) must leave the running VM as it was.
BeforeDiscovery {
    $script:HaveTools = [bool](Get-Command qemu-img -ErrorAction SilentlyContinue) -and [bool](Get-Command truncate -ErrorAction SilentlyContinue)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Uri = $SystemUri
    $script:Dir = New-TestGuestWorkDirectory -Prefix kvmps-snapmem-
    $script:Image = Get-TestGuestImage
    $script:VM = 'kvmps-snapmem-guest'
    $script:Data = Join-Path $script:Dir 'data.raw'
    $script:Log = Join-Path $script:Dir 'console.log'

    function Invoke-Guest([string] $Script) {
        $r = Invoke-TestGuestCommand -Uri $script:Uri -Domain $script:VM -Script $Script -TimeoutSec 60
        if ($r.ExitCode -ne 0) { throw "In the guest, '$Script' ended with $($r.ExitCode): $($r.StdErr)" }
        $r.StdOut.Trim()
    }
    # The guest's own view: the RAM file, the first bytes of its data disk, seconds since boot.
    function Get-GuestState {
        $out = Invoke-Guest 'cat /tmp/kvmps-state; dd if=/dev/vda bs=12 count=1 2>/dev/null; echo; cut -d" " -f1 /proc/uptime'
        $l = @($out -split "`n" | ForEach-Object Trim)
        [pscustomobject]@{ Ram = $l[0]; Disk = $l[1]; Uptime = [double]$l[2] }
    }
    function Set-GuestState([string] $Value) {
        Invoke-Guest "echo $Value > /tmp/kvmps-state && printf %-12s $Value | dd of=/dev/vda bs=512 count=1 conv=sync 2>/dev/null && sync && cut -d' ' -f1 /proc/uptime"
    }
    # The counter values on the console log, in order (the log is appended to across restores).
    function Get-Counter {
        $stream = [IO.FileStream]::new($script:Log, 'Open', 'Read', 'ReadWrite')
        try { $text = [IO.StreamReader]::new($stream).ReadToEnd() } finally { $stream.Dispose() }
        @([regex]::Matches($text, '(?m)^kvmps-counter (\d+)\r?$') | ForEach-Object { [long]$_.Groups[1].Value })
    }
    function Get-DataDiskPath {
        [xml] $x = virsh -c $script:Uri dumpxml $script:VM
        ($x.domain.devices.disk | Where-Object { $_.target.dev -eq 'vdb' }).source.file
    }
    # Restores the snapshot and checks that the guest is the one of the snapshot's moment again.
    function Test-RestoredGuest([string] $Changed) {
        $s0 = Get-KvmSnapshot -VMName $script:VM -Name running -Uri $script:Uri
        $oldOverlay = ($s0.Disks | Where-Object Target -eq vdb).File
        $logCount = (Get-Counter).Count
        $peak = (Get-Counter)[-1]
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $verbose = Restore-KvmSnapshot -VMName $script:VM -Name running -Force -Uri $script:Uri -Verbose 4>&1 | Out-String
        $script:RestoreSeconds += , $clock.Elapsed.TotalSeconds
        if ($script:OldLibvirt) { $verbose | Should -Match 'resume the guest from the memory file' }
        (Get-KvmVM $script:VM -Uri $script:Uri).State | Should -Be Running
        Wait-TestGuestAgent -Uri $script:Uri -Domain $script:VM -TimeoutSec 120 | Should -BeTrue
        $g = Get-GuestState
        $wall = $clock.Elapsed.TotalSeconds
        $g.Ram | Should -Be 'snapshotted'
        $g.Disk | Should -Be 'snapshotted'
        # Its clock went back to the snapshot's and went on from there, not from the changed guest's.
        $g.Uptime | Should -BeGreaterOrEqual $script:SnapUptime
        $g.Uptime | Should -BeLessOrEqual ($script:SnapUptime + $script:SnapWindow + $wall + 2)
        $g.Uptime | Should -BeLessThan ($script:ChangedUptime + $wall)
        # The console: the count drops back to the snapshot's and goes on from there (the lines
        # before the drop are the changed guest's last ones, printed until it stopped).
        $restart = { $c = @(Get-Counter); for ($i = [math]::Max($logCount, 1); $i -lt $c.Count; $i++) { if ($c[$i] -lt $c[$i - 1]) { return $c[$i] } } }
        (Wait-Until { $null -ne (& $restart) } -TimeoutSec 30) | Should -BeTrue
        $next = & $restart
        $next | Should -BeLessOrEqual ($script:SnapCounter + 2)
        $next | Should -BeGreaterOrEqual $script:CounterBefore
        $next | Should -BeLessThan $peak
        # Disks: a new overlay on the raw image the snapshot froze, the old one gone, both images sound.
        $top = Get-DataDiskPath
        $top | Should -Not -Be $oldOverlay
        Test-Path $oldOverlay | Should -BeFalse
        $chain = & qemu-img info -U --backing-chain --output=json $top | ConvertFrom-Json
        $chain.filename | Should -Be @($top, $script:Data)
        & qemu-img check -U $top | Out-String | Should -Match 'No errors'
        $s = Get-KvmSnapshot -VMName $script:VM -Name running -Uri $script:Uri
        $s.IsCurrent | Should -BeTrue
        ($s.Disks | Where-Object Target -eq vdb).File | Should -Be $top
        ($s.Disks | Where-Object Target -eq vdb).OwnedByVM | Should -BeTrue
        Test-Path $s.MemoryFile | Should -BeTrue
        @(Get-ChildItem $script:Dir -Filter '*.save').Count | Should -Be 0
    }
}

AfterAll {
    virsh -c $script:Uri destroy $script:VM *> $null
    virsh -c $script:Uri undefine $script:VM --snapshots-metadata *> $null
    Remove-Item -Recurse -Force $script:Dir -ErrorAction SilentlyContinue
    if ($script:RestoreSeconds) { Write-Information "Restore-KvmSnapshot of an external memory snapshot: $(($script:RestoreSeconds | ForEach-Object { '{0:n1} s' -f $_ }) -join ', ')" -InformationAction Continue }
}

Describe 'Restoring an external snapshot with memory of a running guest' -Tag System -Skip:(-not $HaveTools) {
    BeforeAll {
        $script:RestoreSeconds = @()
        $script:OldLibvirt = (Get-KvmHost -Uri $script:Uri).LibvirtVersion -lt [version]'9.9.0'
        & qemu-img create -q -f raw $script:Data 64M
        $disk = "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$($script:Data)'/><target dev='vdb' bus='virtio'/></disk>"
        $xml = New-TestGuestDomainXml -Name $script:VM -Agent -Counter -SerialLog $script:Log -ExtraDevicesXml $disk
        # A restore starts a new QEMU, which would empty the log: append to it instead.
        $xml = $xml -replace 'append="off"', 'append="on"' -replace "append='off'", "append='on'"
        $xml | Import-KvmVM -Uri $script:Uri | Out-Null
        Start-KvmVM $script:VM -Uri $script:Uri
        if (-not (Wait-TestGuestAgent -Uri $script:Uri -Domain $script:VM -TimeoutSec 240)) {
            throw "The guest's agent did not answer within 240 s. Console:`n$((Get-Content $script:Log -Tail 20) -join "`n")"
        }
    }

    It 'takes an external snapshot with memory, because the data disk is raw' {
        $script:SnapUptime = [double](Set-GuestState 'snapshotted')
        $script:CounterBefore = (Get-Counter)[-1]
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $s = Checkpoint-KvmVM $script:VM -SnapshotName running -Memory -Uri $script:Uri
        # The guest was saved somewhere in this window after SnapUptime.
        $script:SnapWindow = $clock.Elapsed.TotalSeconds
        $script:SnapCounter = (Get-Counter)[-1]
        $script:SnapCounter | Should -BeGreaterOrEqual $script:CounterBefore
        $s.Kind | Should -Be External
        $s.IncludesMemory | Should -BeTrue
        $s.State | Should -Be Running
        $s.Reason | Should -Match 'raw'
        Test-Path $s.MemoryFile | Should -BeTrue
        (Get-DataDiskPath) | Should -Be ($s.Disks | Where-Object Target -eq vdb).File
    }

    It 'brings back the running guest of the snapshot: its RAM, clock, console counter and disk' {
        $script:ChangedUptime = [double](Set-GuestState 'changed')
        (Get-GuestState).Ram | Should -Be 'changed'
        $target = $script:SnapCounter + 10
        (Wait-Until { (Get-Counter)[-1] -ge $target } -TimeoutSec 60) | Should -BeTrue
        $script:ChangedUptime = [double](Invoke-Guest "cut -d' ' -f1 /proc/uptime")
        Test-RestoredGuest
    }

    It 'restores the same snapshot a second time' {
        $null = Set-GuestState 'changedagain'
        $target = $script:SnapCounter + 10
        (Wait-Until { (Get-Counter)[-1] -ge $target } -TimeoutSec 60) | Should -BeTrue
        $script:ChangedUptime = [double](Invoke-Guest "cut -d' ' -f1 /proc/uptime")
        Test-RestoredGuest
    }

    It 'leaves the running VM as it was when the restore fails half-way (a damaged memory file)' {
        $null = Set-GuestState 'keptalive'
        $uptime = [double](Invoke-Guest "cut -d' ' -f1 /proc/uptime")
        $s = Get-KvmSnapshot -VMName $script:VM -Name running -Uri $script:Uri
        $overlay = ($s.Disks | Where-Object Target -eq vdb).File
        $files = @(Get-ChildItem $script:Dir -Name | Sort-Object)
        # The header and the saved definition stay readable; the guest's memory after them is cut.
        & truncate -s 2M $s.MemoryFile
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Restore-KvmSnapshot -VMName $script:VM -Name running -Force -Uri $script:Uri -ErrorAction SilentlyContinue -ErrorVariable err -WarningVariable warn
        $err.Count | Should -Be 1
        $err[0].ToString() | Should -Match 'virDomainRestoreFlags|restore'
        $warn.Count | Should -Be 0
        (Get-KvmVM $script:VM -Uri $script:Uri).State | Should -Be Running
        Wait-TestGuestAgent -Uri $script:Uri -Domain $script:VM -TimeoutSec 120 | Should -BeTrue
        $g = Get-GuestState
        $g.Ram | Should -Be 'keptalive'
        $g.Disk | Should -Be 'keptalive'
        $g.Uptime | Should -BeGreaterOrEqual $uptime
        (Get-DataDiskPath) | Should -Be $overlay
        @(Get-ChildItem $script:Dir -Name | Sort-Object) | Should -Be $files
        $after = Get-KvmSnapshot -VMName $script:VM -Name running -Uri $script:Uri
        ($after.Disks | Where-Object Target -eq vdb).File | Should -Be $overlay
        $after.IsCurrent | Should -BeTrue
        [xml] $inactive = virsh -c $script:Uri dumpxml $script:VM --inactive
        ($inactive.domain.devices.disk | Where-Object { $_.target.dev -eq 'vdb' }).source.file | Should -Be $overlay
        & qemu-img check -U $overlay | Out-String | Should -Match 'No errors'
    }

    It 'refuses, before changing anything, a snapshot whose memory file is gone (MemoryFileUnreadable)' {
        $s = Get-KvmSnapshot -VMName $script:VM -Name running -Uri $script:Uri
        $overlay = ($s.Disks | Where-Object Target -eq vdb).File
        Remove-Item $s.MemoryFile
        Restore-KvmSnapshot -VMName $script:VM -Name running -Force -Uri $script:Uri -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'MemoryFileUnreadable,KvmPS.Commands.RestoreKvmSnapshotCommand'
        $err[0].CategoryInfo.Category | Should -Be ReadError
        (Get-KvmVM $script:VM -Uri $script:Uri).State | Should -Be Running
        (Get-DataDiskPath) | Should -Be $overlay
        (Get-GuestState).Ram | Should -Be 'keptalive'
    }

    It 'Remove-KvmSnapshot then merges the overlay a restore made back into the raw image and deletes it' {
        $s = Get-KvmSnapshot -VMName $script:VM -Name running -Uri $script:Uri
        $overlay = ($s.Disks | Where-Object Target -eq vdb).File
        Remove-KvmSnapshot -VMName $script:VM -Name running -Force -Uri $script:Uri
        (Get-DataDiskPath) | Should -Be $script:Data
        Test-Path $overlay | Should -BeFalse
        @(Get-KvmSnapshot -VMName $script:VM -Uri $script:Uri).Count | Should -Be 0
        (Get-GuestState).Disk | Should -Be 'keptalive'
    }
}
