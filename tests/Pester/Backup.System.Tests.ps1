# Backups on a real libvirtd with QEMU and the test guest (tests/guest): a full backup of the
# running guest, a change on its virtio data disk, an incremental backup, a restore of
# full+incremental into a new VM whose disk holds exactly the bytes the source disk had at the
# incremental backup, and a cancelled backup that leaves nothing. The data disk is changed from
# outside the guest through QEMU's own qemu-io monitor command (virsh qemu-monitor-command): the
# guest of this tree has no agent to run a command in.
BeforeDiscovery {
    $script:HaveTools = [bool](Get-Command qemu-img -ErrorAction Ignore) -and [bool](Get-Command virsh -ErrorAction Ignore)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Uri = $SystemUri
    $script:Dir = New-TestGuestWorkDirectory -Prefix 'kvmps-bks-'
    $script:Vm = "kvmps-bks-$PID"
    $script:Copy = "kvmps-bks-copy-$PID"
    $script:PoolName = "kvmps-bks-pool-$PID"
    $script:Data = Join-Path $Dir 'data.qcow2'
    $script:Big = Join-Path $Dir 'big.qcow2'
    & qemu-img create -q -f qcow2 -o compat=1.1 $Data 64M
    & qemu-io -f qcow2 -c 'write -P 0x11 0 4M' $Data | Out-Null
    & qemu-img create -q -f qcow2 -o compat=1.1 $Big 1G
    & qemu-io -f qcow2 -c 'write -P 0x5a 0 1G' $Big | Out-Null
    $image = Get-TestGuestImage
    $disks = @(
        "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$Data'/><target dev='vda' bus='virtio'/><serial>kvmps-data</serial></disk>"
        "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$Big'/><target dev='vdb' bus='virtio'/></disk>"
    )
    $script:Log = Join-Path $Dir 'serial.log'
    New-TestGuestDomainXml -Name $Vm -Hold -SerialLog $Log -Kernel $image.Kernel -Initrd $image.Initrd -ExtraDevicesXml $disks | Import-KvmVM -Uri $Uri | Out-Null
    $poolDir = Join-Path $Dir 'pool'
    $null = New-Item -ItemType Directory $poolDir
    New-KvmStoragePool -Name $PoolName -Type Dir -Path $poolDir -Uri $Uri | Out-Null
    Start-KvmStoragePool -Name $PoolName -Uri $Uri
    Start-KvmVM -Name $Vm -Uri $Uri
    $script:Report = Read-TestGuestReport -SerialLog $Log -TimeoutSec 120

    function Write-GuestDisk([string] $Node, [string] $Command) {
        # QEMU writes through the guest's own disk device while it runs.
        $out = & virsh -c $Uri qemu-monitor-command $Vm --hmp "qemu-io -d $Node `"$Command`""
        if ($LASTEXITCODE -ne 0 -or "$out" -match 'rror') { throw "qemu-io failed: $out" }
    }
    function Get-Checkpoints { @(& virsh -c $Uri checkpoint-list $Vm --name | Where-Object { $_ }) }
}

AfterAll {
    foreach ($name in $Copy, $Vm) {
        & virsh -c $Uri destroy $name *> $null
        foreach ($cp in @(& virsh -c $Uri checkpoint-list $name --name 2>$null | Where-Object { $_ })) { & virsh -c $Uri checkpoint-delete $name $cp --metadata *> $null }
        & virsh -c $Uri undefine $name --checkpoints-metadata *> $null
    }
    foreach ($v in @(Get-KvmVolume -Pool $PoolName -Uri $Uri -ErrorAction Ignore)) { Remove-KvmVolume -Pool $PoolName -Name $v.Name -Uri $Uri -Confirm:$false -ErrorAction Ignore }
    Stop-KvmStoragePool -Name $PoolName -Uri $Uri -ErrorAction Ignore
    Remove-KvmStoragePool -Name $PoolName -Uri $Uri -Confirm:$false -ErrorAction Ignore
    Remove-Item -Recurse -Force $Dir -ErrorAction Ignore
}

Describe 'Backup and restore of a running test guest' -Tag System -Skip:(-not $HaveTools) {
    It 'the guest runs and sees its data disk' {
        (Get-KvmVM -Name $Vm -Uri $Uri).State | Should -Be 'Running'
        @($Report.disk | Where-Object Serial -eq 'kvmps-data').Count | Should -Be 1
    }

    It 'makes a full backup of the running guest, with a checkpoint, a warning about consistency and a whole manifest' {
        $script:Dest = Join-Path $Dir 'backup'
        $full = Backup-KvmVM -Name $Vm -Destination $Dest -Uri $Uri -WarningVariable warned
        $full.Kind | Should -Be 'Full'
        $full.Index | Should -Be 0
        $full.VMState | Should -Be 'Running'
        $full.Quiesced | Should -BeFalse
        "$warned" | Should -Match 'crash-consistent'
        $full.Checkpoint | Should -BeIn (Get-Checkpoints)
        @($full.Disks.Target) | Should -Be @('vda', 'vdb')
        foreach ($d in $full.Disks) {
            (& sha256sum $d.Path).Split(' ')[0] | Should -Be $d.Sha256
            & qemu-img check -q $d.Path
            $LASTEXITCODE | Should -Be 0
        }
        $m = Get-Content (Join-Path $Dest manifest.json) -Raw | ConvertFrom-Json
        $m.vmUuid | Should -Be (Get-KvmVM -Name $Vm -Uri $Uri).Uuid.ToString()
        $m.chain.Count | Should -Be 1
        Test-Path (Join-Path $Dest '00-definition.xml') | Should -BeTrue
    }

    It 'makes an incremental backup of what changed: about 1 MiB, not the disks' {
        Write-GuestDisk 'virtio-disk0/virtio-backend' 'write -P 0xcd 1M 1M'
        # The source disk's state at the time of the incremental backup: the guest is paused, so it stays.
        Suspend-KvmVM -Name $Vm -Uri $Uri
        $script:SourceSha = Get-RawSha -WorkDirectory $Dir $Data
        $script:Inc = Backup-KvmVM -Name $Vm -Destination $Dest -Incremental -Uri $Uri
        Resume-KvmVM -Name $Vm -Uri $Uri
        $Inc.Kind | Should -Be 'Incremental'
        $Inc.Index | Should -Be 1
        $Inc.ParentCheckpoint | Should -Not -BeNullOrEmpty
        $Inc.ChainLength | Should -Be 2
        $Inc.BytesCopied | Should -BeGreaterOrEqual 1MB
        $Inc.BytesCopied | Should -BeLessThan 8MB
        (Get-Checkpoints) | Should -Contain $Inc.Checkpoint
        ($Inc.Disks | Where-Object Target -eq 'vdb').FileSizeBytes | Should -BeLessThan 4MB
    }

    It 'restores full+incremental into a new VM whose disk is byte-identical to the source at the incremental backup' {
        $restored = Restore-KvmBackup -Path $Dest -Name $Copy -Pool $PoolName -Uri $Uri
        $restored.Name | Should -Be $Copy
        $restored.Uuid | Should -Not -Be (Get-KvmVM -Name $Vm -Uri $Uri).Uuid
        $disk = Get-KvmDisk -VMName $Copy -Uri $Uri | Where-Object Target -eq 'vda'
        $disk.OwnedByVM | Should -BeTrue
        $disk.Path | Should -BeLike (Join-Path $Dir 'pool/*')
        Get-RawSha -WorkDirectory $Dir $disk.Path | Should -Be $SourceSha
        & qemu-img check -q $disk.Path
        $LASTEXITCODE | Should -Be 0
        $chain = & qemu-img info --backing-chain --output=json -U $disk.Path | ConvertFrom-Json
        @($chain).Count | Should -Be 1
        @($chain)[0].format | Should -Be 'qcow2'
        @($chain)[0].PSObject.Properties.Name | Should -Not -Contain 'backing-filename'
        $macs = (Get-KvmNetworkAdapter -VMName $Copy -Uri $Uri).MacAddress
        foreach ($mac in $macs) { $mac | Should -Not -BeIn (Get-KvmNetworkAdapter -VMName $Vm -Uri $Uri).MacAddress }
    }

    It 'restores the state of the full backup with -Checkpoint' {
        $first = (Get-Content (Join-Path $Dest manifest.json) -Raw | ConvertFrom-Json).chain[0].checkpoint
        $restored = Restore-KvmBackup -Path $Dest -Name "$Copy-0" -Pool $PoolName -Checkpoint $first -Uri $Uri
        try {
            $disk = Get-KvmDisk -VMName $restored.Name -Uri $Uri | Where-Object Target -eq 'vda'
            Get-RawSha -WorkDirectory $Dir $disk.Path | Should -Not -Be $SourceSha
        } finally {
            Remove-KvmVM -Name $restored.Name -DeleteStorage -Uri $Uri -Confirm:$false
        }
        Get-KvmVolume -Pool $PoolName -Uri $Uri | Where-Object Name -like "$Copy-0-*" | Should -BeNullOrEmpty
    }

    It 'a backup cancelled half-way leaves no checkpoint, no file and no manifest change' {
        $before = Get-Checkpoints
        $manifestBefore = Get-Content (Join-Path $Dest manifest.json) -Raw
        $cancelDir = Join-Path $Dir 'cancelled'
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModulePath'; Backup-KvmVM -Name '$Vm' -Destination '$cancelDir' -Uri '$Uri'")
        $handle = $ps.BeginInvoke()
        $seen = Wait-Until { (& virsh -c $Uri domjobinfo $Vm) -match 'Backup' } -TimeoutSec 60
        $ps.Stop()
        $said = @($ps.Streams.Warning) + @($ps.Streams.Error) -join '; '
        $ps.Dispose()
        $seen | Should -BeTrue -Because 'the backup job of the 1 GiB disk was seen running'
        Get-Checkpoints | Should -Be $before
        Test-Path $cancelDir | Should -BeFalse -Because "it held $(@(Get-ChildItem -Force $cancelDir -ErrorAction Ignore).Name -join ', ') ($said)"
        Get-Content (Join-Path $Dest manifest.json) -Raw | Should -Be $manifestBefore
        (& virsh -c $Uri domjobinfo $Vm) -match 'Job type:\s+None' | Should -Not -BeNullOrEmpty
    }

    It 'backs up a shut-off VM by starting it paused, and stops it again' {
        Stop-KvmVM -Name $Vm -TurnOff -Uri $Uri -Confirm:$false
        $b = Backup-KvmVM -Name $Vm -Destination $Dest -Incremental -Uri $Uri -Verbose 4>&1
        $verbose = ($b | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        $result = $b | Where-Object { $_ -is [KvmPS.KvmBackup] }
        $verbose | Should -Match 'started paused'
        $result.Index | Should -Be 2
        $result.VMState | Should -Be 'ShutOff'
        (Get-KvmVM -Name $Vm -Uri $Uri).State | Should -Be 'ShutOff'
    }
}

Describe 'Backup of a guest whose agent answers' -Tag System -Skip:(-not $HaveTools) {
    BeforeAll {
        $script:AgentVm = "kvmps-bks-agent-$PID"
        $script:AgentData = Join-Path $Dir 'agent-data.qcow2'
        & qemu-img create -q -f qcow2 -o compat=1.1 $AgentData 32M
        $image = Get-TestGuestImage
        $script:HasAgent = [bool]$image.HasAgent
        $disk = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$AgentData'/><target dev='vda' bus='virtio'/></disk>"
        $log = Join-Path $Dir 'agent-serial.log'
        if ($HasAgent) {
            New-TestGuestDomainXml -Name $AgentVm -Agent -SerialLog $log -Kernel $image.Kernel -Initrd $image.Initrd -ExtraDevicesXml $disk | Import-KvmVM -Uri $Uri | Out-Null
            Start-KvmVM -Name $AgentVm -Uri $Uri
            $null = Read-TestGuestReport -SerialLog $log -TimeoutSec 120
            Wait-TestGuestAgent -Uri $Uri -Domain $AgentVm -TimeoutSec 90
        }
    }
    AfterAll {
        & virsh -c $Uri destroy $AgentVm *> $null
        foreach ($cp in @(& virsh -c $Uri checkpoint-list $AgentVm --name 2>$null | Where-Object { $_ })) { & virsh -c $Uri checkpoint-delete $AgentVm $cp --metadata *> $null }
        & virsh -c $Uri undefine $AgentVm --checkpoints-metadata *> $null
    }

    It 'freezes the guest through its agent, and an incremental backup holds what the guest wrote' {
        if (-not $HasAgent) { Set-ItResult -Skipped -Because 'the test guest image has no qemu-ga (the host lacks qemu-guest-agent)'; return }
        $dest = Join-Path $Dir 'agent-backup'
        $full = Backup-KvmVM -Name $AgentVm -Destination $dest -Uri $Uri -WarningVariable warned
        $full.Quiesced | Should -BeTrue -Because "the agent answered ($warned)"
        $r = Invoke-TestGuestCommand -Uri $Uri -Domain $AgentVm -Script 'echo KVMPS-AGENT-MARK | dd of=/dev/vda bs=512 seek=2048 conv=fsync 2>/dev/null; sync; echo ok'
        $r.StdOut | Should -Match 'ok'
        $inc = Backup-KvmVM -Name $AgentVm -Destination $dest -Incremental -Uri $Uri
        $inc.Quiesced | Should -BeTrue
        $inc.BytesCopied | Should -BeGreaterThan 0
        $inc.BytesCopied | Should -BeLessThan 4MB
        $restored = Restore-KvmBackup -Path $dest -Name "$AgentVm-r" -Pool $PoolName -Uri $Uri
        try {
            $path = (Get-KvmDisk -VMName $restored.Name -Uri $Uri | Where-Object Target -eq 'vda').Path
            $raw = Join-Path $Dir 'agent-restored.raw'
            & qemu-img convert -U -O raw $path $raw
            $bytes = [IO.File]::ReadAllBytes($raw)
            [Text.Encoding]::ASCII.GetString($bytes, 2048 * 512, 16) | Should -Be 'KVMPS-AGENT-MARK'
            Remove-Item $raw
        } finally {
            Remove-KvmVM -Name $restored.Name -DeleteStorage -Uri $Uri -Confirm:$false
        }
    }
}
