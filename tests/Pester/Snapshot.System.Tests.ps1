# Snapshots and clones on a real libvirtd with QEMU and the test guest: a marker on a virtio data
# disk survives a snapshot, a change and a restore (internal, external, running VM); an external
# snapshot of a running VM merges back with a block commit, which Ctrl+C cancels cleanly; a linked
# clone is an overlay on its base, boots, and removing it keeps the base. Markers are written and
# read with qemu-io: offline on the image files, and in a running VM through QEMU's own qemu-io
# monitor command (virsh qemu-monitor-command), both tools independent of KvmPS.
BeforeDiscovery {
    $script:HaveTools = [bool](Get-Command qemu-io -ErrorAction SilentlyContinue) -and [bool](Get-Command qemu-img -ErrorAction SilentlyContinue)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Uri = $SystemUri
    $script:Dir = New-TestGuestWorkDirectory -Prefix kvmps-snapsys-
    $script:Image = Get-TestGuestImage

    function New-GuestVM([string] $Name, [string] $Format, [switch] $Hold) {
        $data = Join-Path $script:Dir "$Name-data.$Format"
        & qemu-img create -q -f $Format $data 64M
        $disk = "<disk type='file' device='disk'><driver name='qemu' type='$Format'/><source file='$data'/><target dev='vdb' bus='virtio'/></disk>"
        $xml = New-TestGuestDomainXml -Name $Name -SerialLog (Join-Path $script:Dir "$Name.log") -Hold:$Hold -ExtraDevicesXml $disk
        $xml | Import-KvmVM -Uri $script:Uri | Out-Null
        $data
    }
    function Get-DataDisk([string] $Name) {
        [xml] $x = virsh -c $script:Uri dumpxml $Name
        $d = $x.domain.devices.disk | Where-Object { $_.target.dev -eq 'vdb' }
        [pscustomobject]@{ Path = $d.source.file; Format = $d.driver.type }
    }
    # Offline: through the whole backing chain of the disk's active layer.
    function Write-Marker([string] $Name, [string] $Pattern) {
        $d = Get-DataDisk $Name
        & qemu-io -f $d.Format -c "write -P $Pattern 0 64k" $d.Path | Out-Null
    }
    function Test-Marker([string] $Name, [string] $Pattern) {
        $d = Get-DataDisk $Name
        $out = & qemu-io -f $d.Format -c "read -P $Pattern 0 64k" $d.Path 2>&1
        ($out -join "`n") -notmatch 'Pattern verification failed' -and ($out -join "`n") -match 'read 65536/65536'
    }
    # Running: QEMU's qemu-io on the disk's device backend (virtio-disk1 is libvirt's alias of
    # vdb). Its output goes to QEMU's own stdout, not to the monitor: what it wrote is read back
    # offline once the VM is off.
    function Invoke-LiveIO([string] $Name, [string] $Command) {
        $out = (virsh -c $script:Uri qemu-monitor-command $Name --hmp "qemu-io -d /machine/peripheral/virtio-disk1/virtio-backend `"$Command`"") -join "`n"
        if ($out -match 'Error|conflict') { throw "qemu-io in VM '$Name': $out" }
    }
    function Remove-GuestVM([string] $Name) {
        virsh -c $script:Uri destroy $Name *> $null
        virsh -c $script:Uri undefine $Name --snapshots-metadata *> $null
    }
}

AfterAll {
    foreach ($n in 'kvmps-snapsys-int', 'kvmps-snapsys-ext', 'kvmps-snapsys-live', 'kvmps-snapsys-commit', 'kvmps-snapsys-base', 'kvmps-snapsys-clone') {
        Remove-GuestVM $n
    }
    virsh -c $script:Uri pool-destroy kvmps-snapsys-pool *> $null
    virsh -c $script:Uri pool-undefine kvmps-snapsys-pool *> $null
    Remove-Item -Recurse -Force $script:Dir -ErrorAction SilentlyContinue
}

Describe 'Snapshot, change, restore: the original marker comes back' -Tag System -Skip:(-not $HaveTools) {
    It 'internal snapshot of a stopped VM with a qcow2 disk' {
        $null = New-GuestVM kvmps-snapsys-int qcow2
        Write-Marker kvmps-snapsys-int 0xa1
        $s = Checkpoint-KvmVM kvmps-snapsys-int -SnapshotName before -Uri $script:Uri
        $s.Kind | Should -Be Internal
        Write-Marker kvmps-snapsys-int 0xb2
        Test-Marker kvmps-snapsys-int 0xa1 | Should -BeFalse
        Restore-KvmSnapshot -VMName kvmps-snapsys-int -Name before -Force -Uri $script:Uri
        Test-Marker kvmps-snapsys-int 0xa1 | Should -BeTrue
        Remove-KvmSnapshot kvmps-snapsys-int before -Force -Uri $script:Uri
        @(Get-KvmSnapshot kvmps-snapsys-int -Uri $script:Uri).Count | Should -Be 0
    }

    It 'external snapshot of a stopped VM with a raw disk, restored by KvmPS on libvirt 9.0, then merged by libvirt' {
        $raw = New-GuestVM kvmps-snapsys-ext raw
        Write-Marker kvmps-snapsys-ext 0xa1
        $s = Checkpoint-KvmVM kvmps-snapsys-ext -SnapshotName before -Uri $script:Uri
        $s.Kind | Should -Be External
        $s.Reason | Should -Match 'raw'
        $overlay = ($s.Disks | Where-Object Target -eq vdb).File
        (Get-DataDisk kvmps-snapsys-ext).Path | Should -Be $overlay
        ($s.Disks | Where-Object Target -eq vdb).OwnedByVM | Should -BeTrue
        Write-Marker kvmps-snapsys-ext 0xb2
        Restore-KvmSnapshot kvmps-snapsys-ext before -Force -Uri $script:Uri -Verbose 4>&1 | Out-String | Should -Match 'cannot revert external snapshots'
        (Get-DataDisk kvmps-snapsys-ext).Path | Should -Be $overlay
        (& qemu-img info --output=json $overlay | ConvertFrom-Json).'backing-filename' | Should -Be $raw
        Test-Marker kvmps-snapsys-ext 0xa1 | Should -BeTrue
        (Get-KvmSnapshot kvmps-snapsys-ext -Uri $script:Uri).IsCurrent | Should -BeTrue
        Write-Marker kvmps-snapsys-ext 0xc3
        Remove-KvmSnapshot kvmps-snapsys-ext before -Force -Uri $script:Uri
        (Get-DataDisk kvmps-snapsys-ext).Path | Should -Be $raw
        Test-Path $overlay | Should -BeFalse
        Test-Marker kvmps-snapsys-ext 0xc3 | Should -BeTrue
    }

    It 'internal snapshot of a running VM: restore brings back its memory and disk' {
        $null = New-GuestVM kvmps-snapsys-live qcow2 -Hold
        Start-KvmVM kvmps-snapsys-live -Uri $script:Uri
        $null = Read-TestGuestReport -SerialLog (Join-Path $script:Dir 'kvmps-snapsys-live.log') -TimeoutSec 120
        Invoke-LiveIO kvmps-snapsys-live 'write -P 0xa1 0 64k'
        $s = Checkpoint-KvmVM kvmps-snapsys-live -SnapshotName running -Uri $script:Uri
        $s.Kind | Should -Be Internal
        $s.IncludesMemory | Should -BeTrue
        $s.State | Should -Be Running
        Invoke-LiveIO kvmps-snapsys-live 'write -P 0xb2 0 64k'
        Restore-KvmSnapshot kvmps-snapsys-live running -Force -Uri $script:Uri
        (Get-KvmVM kvmps-snapsys-live -Uri $script:Uri).State | Should -Be Running
        Stop-KvmVM kvmps-snapsys-live -TurnOff -Confirm:$false -Uri $script:Uri
        Test-Marker kvmps-snapsys-live 0xa1 | Should -BeTrue
        Test-Marker kvmps-snapsys-live 0xb2 | Should -BeFalse
        Remove-GuestVM kvmps-snapsys-live
    }
}

Describe 'Removing an external snapshot of a running VM' -Tag System -Skip:(-not $HaveTools) {
    BeforeAll {
        $script:Raw = New-GuestVM kvmps-snapsys-commit raw -Hold
        Start-KvmVM kvmps-snapsys-commit -Uri $script:Uri
        $null = Read-TestGuestReport -SerialLog (Join-Path $script:Dir 'kvmps-snapsys-commit.log') -TimeoutSec 120
    }

    It 'takes a disk-only snapshot, and Ctrl+C during the block commit aborts the job and keeps the VM on its overlay' {
        Invoke-LiveIO kvmps-snapsys-commit 'write -P 0xa1 0 64k'
        $s = Checkpoint-KvmVM kvmps-snapsys-commit -SnapshotName disks -DiskOnly -Uri $script:Uri
        $s.Kind | Should -Be External
        $script:Overlay = ($s.Disks | Where-Object Target -eq vdb).File
        (Get-DataDisk kvmps-snapsys-commit).Path | Should -Be $script:Overlay
        Invoke-LiveIO kvmps-snapsys-commit 'write -P 0xb2 0 32M'

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
    }

    It 'merges the overlay back (active commit and pivot) and deletes it' {
        Remove-KvmSnapshot -VMName kvmps-snapsys-commit -Name disks -Force -Uri $script:Uri
        (Get-DataDisk kvmps-snapsys-commit).Path | Should -Be $script:Raw
        Test-Path $script:Overlay | Should -BeFalse
        (Get-KvmVM kvmps-snapsys-commit -Uri $script:Uri).State | Should -Be Running
        @(Get-KvmSnapshot kvmps-snapsys-commit -Uri $script:Uri).Count | Should -Be 0
        Stop-KvmVM kvmps-snapsys-commit -TurnOff -Confirm:$false -Uri $script:Uri
        # What the guest wrote after the snapshot is in the raw image now.
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
