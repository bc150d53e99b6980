# Snapshots and clones on a real libvirtd with QEMU and the test guest. The guest itself writes a
# marker to its virtio data disk (through its agent: guest-exec by virsh qemu-agent-command, an
# independent tool), a snapshot is taken, the guest changes the marker, the snapshot is restored,
# and the guest reads the original marker back — for internal and external snapshots of a stopped
# VM and for a running VM's internal snapshot with memory; qemu-io on the image files (offline)
# cross-checks what the guest wrote. An external snapshot of a running VM merges back with a block
# commit, which Ctrl+C cancels cleanly. A linked clone is an overlay on its base, boots, and
# removing it keeps the base. Each Describe boots its guests once and reuses them.
BeforeDiscovery {
    $script:HaveTools = [bool](Get-Command qemu-io -ErrorAction SilentlyContinue) -and [bool](Get-Command qemu-img -ErrorAction SilentlyContinue)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Uri = $SystemUri
    $script:Dir = New-TestGuestWorkDirectory -Prefix kvmps-snapsys-
    $script:Image = Get-TestGuestImage
    # Under TCG on a loaded machine a boot to the agent took up to two minutes (see Start-Guest).
    $script:BootTimeoutSec = 300

    # A guest with the agent and a data disk (serial kvmps-data, so the guest finds it whatever its name).
    function New-GuestVM([string] $Name, [string] $Format) {
        # A VM of this name left by a run that was killed before its AfterAll would fail the import.
        Remove-GuestVM $Name
        $data = Join-Path $script:Dir "$Name-data.$Format"
        & qemu-img create -q -f $Format $data 64M
        $disk = "<disk type='file' device='disk'><driver name='qemu' type='$Format'/><source file='$data'/><target dev='vdb' bus='virtio'/><serial>kvmps-data</serial></disk>"
        $xml = New-TestGuestDomainXml -Name $Name -Agent -SerialLog (Join-Path $script:Dir "$Name.log") -ExtraDevicesXml $disk
        $xml | Import-KvmVM -Uri $script:Uri | Out-Null
        $data
    }
    # Starts the VM and waits for its agent; a failure says how far the guest came.
    function Start-Guest([string] $Name) {
        Start-KvmVM $Name -Uri $script:Uri
        if (-not (Wait-TestGuestAgent -Uri $script:Uri -Domain $Name -TimeoutSec $script:BootTimeoutSec)) {
            $log = Join-Path $script:Dir "$Name.log"
            $tail = if (Test-Path $log) { (Get-Content $log -Tail 15) -join "`n" } else { '(no console log)' }
            throw "The agent of VM '$Name' did not answer within $($script:BootTimeoutSec) s of its start. Console:`n$tail"
        }
    }
    # The guest powers off on the ACPI button (it syncs first).
    function Stop-Guest([string] $Name) {
        virsh -c $script:Uri shutdown $Name *> $null
        if (-not (Wait-Until { (Get-KvmVM $Name -Uri $script:Uri).State -eq 'ShutOff' } -TimeoutSec 120)) {
            throw "VM '$Name' did not power off within 120 s of the power button."
        }
    }
    function Invoke-Guest([string] $Name, [string] $Script) {
        $r = Invoke-TestGuestCommand -Uri $script:Uri -Domain $Name -Script $Script -TimeoutSec 120
        if ($r.ExitCode -ne 0) { throw "In VM '$Name', '$Script' ended with $($r.ExitCode): $($r.StdErr)" }
        $r.StdOut.Trim()
    }
    $script:FindDisk = 'dev=; for b in /sys/block/vd*; do [ "$(cat $b/serial 2>/dev/null)" = kvmps-data ] && dev=/dev/${b##*/}; done; [ -n "$dev" ] || { echo no data disk >&2; exit 3; }; '
    # Inside the guest: 64 KiB of one byte (given as the hex of qemu-io's pattern) at the start of
    # the data disk, flushed to the device. From a file, not a pipe: dd's one read from a pipe may
    # return less than a block.
    function Write-GuestMarker([string] $Name, [string] $Pattern) {
        $octal = [Convert]::ToString([Convert]::ToInt32($Pattern, 16), 8)
        $null = Invoke-Guest $Name "$($script:FindDisk) head -c 65536 /dev/zero | tr '\000' '\$octal' > /tmp/kvmps-marker && dd if=/tmp/kvmps-marker of=`$dev bs=65536 count=1 conv=fsync 2>/dev/null && sync"
    }
    # Inside the guest: whether those 64 KiB are all that byte (read past the guest's page cache).
    function Test-GuestMarker([string] $Name, [string] $Pattern) {
        $octal = [Convert]::ToString([Convert]::ToInt32($Pattern, 16), 8)
        $out = Invoke-Guest $Name "$($script:FindDisk) echo 3 > /proc/sys/vm/drop_caches; dd if=`$dev bs=65536 count=1 2>/dev/null | tr -d '\$octal' | wc -c; dd if=`$dev bs=65536 count=1 2>/dev/null | wc -c"
        $n = @($out -split "\s+")
        $n[0] -eq '0' -and $n[1] -eq '65536'
    }
    function Get-DataDisk([string] $Name) {
        [xml] $x = virsh -c $script:Uri dumpxml $Name
        $d = $x.domain.devices.disk | Where-Object { $_.target.dev -eq 'vdb' }
        [pscustomobject]@{ Path = $d.source.file; Format = $d.driver.type }
    }
    # Offline cross-check with qemu-io, through the whole backing chain of the disk's active layer.
    function Test-Marker([string] $Name, [string] $Pattern) {
        $d = Get-DataDisk $Name
        $out = & qemu-io -f $d.Format -c "read -P $Pattern 0 64k" $d.Path 2>&1
        ($out -join "`n") -notmatch 'Pattern verification failed' -and ($out -join "`n") -match 'read 65536/65536'
    }
    function Remove-GuestVM([string] $Name) {
        virsh -c $script:Uri destroy $Name *> $null
        virsh -c $script:Uri undefine $Name --snapshots-metadata *> $null
    }
}

AfterAll {
    foreach ($n in 'kvmps-snapsys-int', 'kvmps-snapsys-ext', 'kvmps-snapsys-commit', 'kvmps-snapsys-base', 'kvmps-snapsys-clone') {
        Remove-GuestVM $n
    }
    virsh -c $script:Uri pool-destroy kvmps-snapsys-pool *> $null
    virsh -c $script:Uri pool-undefine kvmps-snapsys-pool *> $null
    Remove-Item -Recurse -Force $script:Dir -ErrorAction SilentlyContinue
}

Describe 'Internal snapshots: the guest writes, changes and reads its marker' -Tag System -Skip:(-not $HaveTools) {
    BeforeAll {
        $null = New-GuestVM kvmps-snapsys-int qcow2
        Start-Guest kvmps-snapsys-int
    }

    It 'of the stopped VM: restored, the guest reads its original marker after the next boot' {
        Write-GuestMarker kvmps-snapsys-int 0xa1
        Stop-Guest kvmps-snapsys-int
        Test-Marker kvmps-snapsys-int 0xa1 | Should -BeTrue
        $s = Checkpoint-KvmVM kvmps-snapsys-int -SnapshotName stopped -Uri $script:Uri
        $s.Kind | Should -Be Internal
        $s.IncludesMemory | Should -BeFalse
        Start-Guest kvmps-snapsys-int
        Test-GuestMarker kvmps-snapsys-int 0xa1 | Should -BeTrue
        Write-GuestMarker kvmps-snapsys-int 0xb2
        Test-GuestMarker kvmps-snapsys-int 0xb2 | Should -BeTrue
        # The VM runs; the snapshot is of a stopped VM, so the restore leaves it off.
        Restore-KvmSnapshot -VMName kvmps-snapsys-int -Name stopped -Force -Uri $script:Uri
        (Get-KvmVM kvmps-snapsys-int -Uri $script:Uri).State | Should -Be ShutOff
        Test-Marker kvmps-snapsys-int 0xa1 | Should -BeTrue
        Start-Guest kvmps-snapsys-int
        Test-GuestMarker kvmps-snapsys-int 0xa1 | Should -BeTrue
        Test-GuestMarker kvmps-snapsys-int 0xb2 | Should -BeFalse
    }

    It 'of the running VM, with its memory: restored, the guest runs on and reads its original marker' {
        Write-GuestMarker kvmps-snapsys-int 0xc3
        Invoke-Guest kvmps-snapsys-int 'echo running-snapshot > /tmp/kvmps-state'
        $s = Checkpoint-KvmVM kvmps-snapsys-int -SnapshotName running -Uri $script:Uri
        $s.Kind | Should -Be Internal
        $s.IncludesMemory | Should -BeTrue
        $s.State | Should -Be Running
        Write-GuestMarker kvmps-snapsys-int 0xd4
        Invoke-Guest kvmps-snapsys-int 'echo changed > /tmp/kvmps-state'
        Restore-KvmSnapshot -VMName kvmps-snapsys-int -Name running -Force -Uri $script:Uri
        (Get-KvmVM kvmps-snapsys-int -Uri $script:Uri).State | Should -Be Running
        Wait-TestGuestAgent -Uri $script:Uri -Domain kvmps-snapsys-int -TimeoutSec 60 | Should -BeTrue
        Invoke-Guest kvmps-snapsys-int 'cat /tmp/kvmps-state' | Should -Be 'running-snapshot'
        Test-GuestMarker kvmps-snapsys-int 0xc3 | Should -BeTrue
        Stop-Guest kvmps-snapsys-int
        Test-Marker kvmps-snapsys-int 0xc3 | Should -BeTrue
        Remove-KvmSnapshot kvmps-snapsys-int running -Force -Uri $script:Uri
        Remove-KvmSnapshot kvmps-snapsys-int stopped -Force -Uri $script:Uri
        @(Get-KvmSnapshot kvmps-snapsys-int -Uri $script:Uri).Count | Should -Be 0
        & qemu-img check (Get-DataDisk kvmps-snapsys-int).Path | Out-String | Should -Match 'No errors'
    }
}

Describe 'External snapshot of a stopped VM with a raw disk: the guest writes, changes and reads its marker' -Tag System -Skip:(-not $HaveTools) {
    BeforeAll {
        $script:ExtRaw = New-GuestVM kvmps-snapsys-ext raw
        Start-Guest kvmps-snapsys-ext
    }

    It 'is restored by KvmPS on libvirt 9.0, and then merged by libvirt' {
        Write-GuestMarker kvmps-snapsys-ext 0xa1
        Stop-Guest kvmps-snapsys-ext
        Test-Marker kvmps-snapsys-ext 0xa1 | Should -BeTrue
        $s = Checkpoint-KvmVM kvmps-snapsys-ext -SnapshotName before -Uri $script:Uri
        $s.Kind | Should -Be External
        $s.Reason | Should -Match 'raw'
        $overlay = ($s.Disks | Where-Object Target -eq vdb).File
        (Get-DataDisk kvmps-snapsys-ext).Path | Should -Be $overlay
        ($s.Disks | Where-Object Target -eq vdb).OwnedByVM | Should -BeTrue
        Start-Guest kvmps-snapsys-ext
        Write-GuestMarker kvmps-snapsys-ext 0xb2
        Test-GuestMarker kvmps-snapsys-ext 0xb2 | Should -BeTrue
        # The VM runs: the restore turns it off first.
        $v = Restore-KvmSnapshot kvmps-snapsys-ext before -Force -Uri $script:Uri -Verbose 4>&1 | Out-String
        if ((Get-KvmHost -Uri $script:Uri).LibvirtVersion -lt [version]'9.9.0') { $v | Should -Match 'cannot revert external snapshots' }
        (Get-KvmVM kvmps-snapsys-ext -Uri $script:Uri).State | Should -Be ShutOff
        (Get-DataDisk kvmps-snapsys-ext).Path | Should -Be $overlay
        (& qemu-img info --output=json $overlay | ConvertFrom-Json).'backing-filename' | Should -Be $script:ExtRaw
        Test-Marker kvmps-snapsys-ext 0xa1 | Should -BeTrue
        (Get-KvmSnapshot kvmps-snapsys-ext -Uri $script:Uri).IsCurrent | Should -BeTrue
        Start-Guest kvmps-snapsys-ext
        Test-GuestMarker kvmps-snapsys-ext 0xa1 | Should -BeTrue
        Write-GuestMarker kvmps-snapsys-ext 0xc3
        Stop-Guest kvmps-snapsys-ext
        Remove-KvmSnapshot kvmps-snapsys-ext before -Force -Uri $script:Uri
        (Get-DataDisk kvmps-snapsys-ext).Path | Should -Be $script:ExtRaw
        Test-Path $overlay | Should -BeFalse
        Test-Marker kvmps-snapsys-ext 0xc3 | Should -BeTrue
    }
}

Describe 'Removing an external snapshot of a running VM' -Tag System -Skip:(-not $HaveTools) {
    BeforeAll {
        $script:Raw = New-GuestVM kvmps-snapsys-commit raw
        Start-Guest kvmps-snapsys-commit
    }

    It 'takes a disk-only snapshot, and Ctrl+C during the block commit aborts the job and keeps the VM on its overlay' {
        Write-GuestMarker kvmps-snapsys-commit 0xa1
        $s = Checkpoint-KvmVM kvmps-snapsys-commit -SnapshotName disks -DiskOnly -Uri $script:Uri
        $s.Kind | Should -Be External
        $script:Overlay = ($s.Disks | Where-Object Target -eq vdb).File
        (Get-DataDisk kvmps-snapsys-commit).Path | Should -Be $script:Overlay
        # 32 MiB written by the guest after the snapshot: at 1 MiB/s the commit lasts long enough to be stopped.
        $null = Invoke-Guest kvmps-snapsys-commit "$($script:FindDisk) head -c 33554432 /dev/zero | tr '\000' '\262' | dd of=`$dev bs=1048576 conv=fsync 2>/dev/null && sync"

        $ps = [PowerShell]::Create()
        $null = $ps.AddScript({
            param($m, $u)
            Import-Module $m
            Remove-KvmSnapshot -VMName kvmps-snapsys-commit -Name disks -Force -Bandwidth 1MB -Uri $u
        }).AddArgument($env:KVMPS_MODULE_PATH).AddArgument($script:Uri)
        $async = $ps.BeginInvoke()
        (Wait-Until { (virsh -c $script:Uri blockjob kvmps-snapsys-commit vdb --info 2>&1) -match 'Commit' } -TimeoutSec 60) | Should -BeTrue
        Start-Sleep -Seconds 2
        $ps.Stop()
        $async.IsCompleted | Should -BeTrue
        $ps.Dispose()
        (virsh -c $script:Uri blockjob kvmps-snapsys-commit vdb --info 2>&1) -join ' ' | Should -Not -Match 'Commit'
        (Get-DataDisk kvmps-snapsys-commit).Path | Should -Be $script:Overlay
        (Get-KvmSnapshot kvmps-snapsys-commit -Name disks -Uri $script:Uri).Name | Should -Be disks
        (Get-KvmVM kvmps-snapsys-commit -Uri $script:Uri).State | Should -Be Running
        Test-GuestMarker kvmps-snapsys-commit 0xb2 | Should -BeTrue
    }

    It 'merges the overlay back (active commit and pivot) and deletes it' {
        Remove-KvmSnapshot -VMName kvmps-snapsys-commit -Name disks -Force -Uri $script:Uri
        (Get-DataDisk kvmps-snapsys-commit).Path | Should -Be $script:Raw
        Test-Path $script:Overlay | Should -BeFalse
        (Get-KvmVM kvmps-snapsys-commit -Uri $script:Uri).State | Should -Be Running
        @(Get-KvmSnapshot kvmps-snapsys-commit -Uri $script:Uri).Count | Should -Be 0
        # The guest goes on on the raw image, which now holds what it wrote after the snapshot.
        Test-GuestMarker kvmps-snapsys-commit 0xb2 | Should -BeTrue
        Stop-Guest kvmps-snapsys-commit
        Test-Marker kvmps-snapsys-commit 0xb2 | Should -BeTrue
    }
}

Describe 'Linked clones' -Tag System -Skip:(-not $HaveTools) {
    BeforeAll {
        $script:PoolDir = Join-Path $script:Dir 'pool'
        $null = New-Item -ItemType Directory $script:PoolDir
        & chmod 0755 $script:PoolDir
        virsh -c $script:Uri pool-define-as kvmps-snapsys-pool dir --target $script:PoolDir | Out-Null
        virsh -c $script:Uri pool-start kvmps-snapsys-pool | Out-Null
        $script:Base = Join-Path $script:PoolDir 'base.qcow2'
        & qemu-img create -q -f qcow2 $script:Base 64M
        & qemu-io -f qcow2 -c 'write -P 0xa1 0 64k' $script:Base | Out-Null
        virsh -c $script:Uri pool-refresh kvmps-snapsys-pool | Out-Null
        $disk = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$($script:Base)'/><target dev='vdb' bus='virtio'/></disk>"
        New-TestGuestDomainXml -Name kvmps-snapsys-base -SerialLog (Join-Path $script:Dir 'base.log') -ExtraDevicesXml $disk | Import-KvmVM -Uri $script:Uri | Out-Null
    }

    It 'is an overlay on the base (qemu-img info --backing-chain), boots, and its removal keeps the base' {
        $clone = Copy-KvmVM kvmps-snapsys-base -NewName kvmps-snapsys-clone -Linked -Uri $script:Uri
        $clone.Uuid | Should -Not -Be (Get-KvmVM kvmps-snapsys-base -Uri $script:Uri).Uuid
        $top = (Get-DataDisk kvmps-snapsys-clone).Path
        $top | Should -Not -Be $script:Base
        $chain = & qemu-img info --backing-chain --output=json $top | ConvertFrom-Json
        $chain.filename | Should -Be @($top, $script:Base)
        Test-Marker kvmps-snapsys-clone 0xa1 | Should -BeTrue

        # The clone boots: its serial log (the copy's definition names the original's log file).
        [xml] $x = virsh -c $script:Uri dumpxml kvmps-snapsys-clone
        $log = $x.domain.devices.serial.log.file
        if (-not $log) { $log = $x.domain.devices.serial.source.path }
        Remove-Item $log -ErrorAction SilentlyContinue
        Start-KvmVM kvmps-snapsys-clone -Uri $script:Uri
        $r = Read-TestGuestReport -SerialLog $log -TimeoutSec 120
        $r.uuid | Should -Be "$($clone.Uuid)"
        ($r.disk | Where-Object Name -eq vda).Sectors | Should -Be (64MB / 512)
        virsh -c $script:Uri destroy kvmps-snapsys-clone *> $null

        # With the original gone (its disk kept), the clone alone still protects the image under its overlay.
        Remove-KvmVM kvmps-snapsys-base -Confirm:$false -Uri $script:Uri
        Remove-KvmVolume -Pool kvmps-snapsys-pool -Name base.qcow2 -Confirm:$false -Uri $script:Uri -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'StorageInUse,KvmPS.Commands.RemoveKvmVolumeCommand'
        $err[0].ToString() | Should -Match 'kvmps-snapsys-clone'
        Remove-KvmVM kvmps-snapsys-clone -DeleteStorage -Confirm:$false -Uri $script:Uri
        Test-Path $top | Should -BeFalse
        Test-Path $script:Base | Should -BeTrue
        & qemu-img check $script:Base | Out-String | Should -Match 'No errors'
    }
}
