# Whole-VM export and import, and copies across pools and hosts, on a real libvirtd with QEMU and
# the test guest (tests/guest): a VM with a qcow2 data disk holding a marker is exported, imported
# under a new name with -Copy -GenerateNewId, and the imported disk is compared with the source
# (qemu-img compare, SHA-256); the imported guest boots and sees its disk. A second private
# daemon (PrivateDaemon.ps1) receives a copy through Copy-KvmVM -DestinationUri.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'PrivateDaemon.ps1')
    $script:HaveTools = [bool](Get-Command qemu-img -ErrorAction Ignore) -and [bool](Get-Command virsh -ErrorAction Ignore) -and [bool](Get-Command qemu-io -ErrorAction Ignore)
    $script:NoSecondDaemon = Get-PrivateDaemonSkipReason
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'PrivateDaemon.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Uri = $SystemUri
    $script:Dir = New-TestGuestWorkDirectory -Prefix 'kvmps-exim-'
    $script:Vm = "kvmps-exim-$PID"
    $script:Imported = "kvmps-exim-imp-$PID"
    $script:PoolName = "kvmps-exim-pool-$PID"
    $script:Pool2Name = "kvmps-exim-pool2-$PID"
    $poolDir = Join-Path $Dir 'pool'
    $pool2Dir = Join-Path $Dir 'pool2'
    $null = New-Item -ItemType Directory $poolDir, $pool2Dir
    $script:Data = Join-Path $poolDir 'data.qcow2'
    & qemu-img create -q -f qcow2 -o compat=1.1 $Data 64M
    # The marker: 1 MiB of 0x5e at 1 MiB, and a string at 8 MiB.
    & qemu-io -f qcow2 -c 'write -P 0x5e 1M 1M' -c 'write -P 0x4b 8M 4k' $Data | Out-Null
    New-KvmStoragePool -Name $PoolName -Type Dir -Path $poolDir -Uri $Uri | Out-Null
    Start-KvmStoragePool -Name $PoolName -Uri $Uri
    New-KvmStoragePool -Name $Pool2Name -Type Dir -Path $pool2Dir -Uri $Uri | Out-Null
    Start-KvmStoragePool -Name $Pool2Name -Uri $Uri
    $image = Get-TestGuestImage
    $script:Log = Join-Path $Dir 'serial.log'
    $devices = @(
        "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$Data'/><target dev='vda' bus='virtio'/><serial>kvmps-exim</serial></disk>"
        "<interface type='user'><mac address='52:54:00:5e:00:01'/><model type='virtio'/></interface>"
    )
    New-TestGuestDomainXml -Name $Vm -Hold -SerialLog $Log -Kernel $image.Kernel -Initrd $image.Initrd -ExtraDevicesXml $devices | Import-KvmVM -Uri $Uri | Out-Null
    $script:Exports = Join-Path $Dir 'exports'
    $null = New-Item -ItemType Directory $Exports

    function Get-DomainXml([string] $Name, [string] $On = $Uri) { [xml] (& virsh -c $On dumpxml $Name --inactive | Out-String) }
}

AfterAll {
    foreach ($name in @(& virsh -c $Uri list --all --name | Where-Object { $_ -like "kvmps-exim-*$PID*" })) {
        & virsh -c $Uri destroy $name *> $null
        & virsh -c $Uri undefine $name *> $null
    }
    foreach ($p in $PoolName, $Pool2Name) {
        foreach ($v in @(Get-KvmVolume -Pool $p -Uri $Uri -ErrorAction Ignore)) { Remove-KvmVolume -Pool $p -Name $v.Name -Uri $Uri -Confirm:$false -ErrorAction Ignore }
        Stop-KvmStoragePool -Name $p -Uri $Uri -ErrorAction Ignore
        Remove-KvmStoragePool -Name $p -Uri $Uri -Confirm:$false -ErrorAction Ignore
    }
    if ($script:B) { Remove-PrivateDaemon $script:B }
    Remove-Item -Recurse -Force $Dir -ErrorAction Ignore
}

Describe 'Export-KvmVM -IncludeStorage and Import-KvmVM of the export' -Tag System -Skip:(-not $HaveTools) {
    It 'exports the shut-off VM: definition, qcow2 image and a manifest with its SHA-256' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $script:Export = Export-KvmVM -Name $Vm -IncludeStorage -Path $Exports -Uri $Uri
        Write-Information "export of the 64 MiB qcow2 disk: $($sw.Elapsed.TotalSeconds) s" -InformationAction Continue
        $Export.Path | Should -Be (Join-Path $Exports $Vm)
        $Export.VMName | Should -Be $Vm
        $Export.Disks | Should -HaveCount 1
        $disk = $Export.Disks[0]
        $disk.Target | Should -Be vda
        $disk.Format | Should -Be qcow2
        $disk.Sha256 | Should -Be (Get-FileHash -Algorithm SHA256 $disk.Path).Hash.ToLowerInvariant()
        $disk.FileSizeBytes | Should -Be (Get-Item $disk.Path).Length
        & qemu-img compare -q -f qcow2 -F qcow2 $Data $disk.Path
        $LASTEXITCODE | Should -Be 0
        $m = Get-Content -Raw (Join-Path $Export.Path manifest.json) | ConvertFrom-Json
        $m.kind | Should -Be 'KvmPS.VMExport'
        $m.disks[0].sha256 | Should -Be $disk.Sha256
        ([xml] (Get-Content -Raw $Export.DefinitionPath)).domain.name | Should -Be $Vm
    }

    It 'refuses an import under the name and UUID in use, and creates nothing' {
        $before = @(Get-KvmVolume -Pool $PoolName -Uri $Uri).Count
        Import-KvmVM -Path $Export.Path -Copy -Uri $Uri -ErrorAction SilentlyContinue -ErrorVariable e1
        $e1[0].FullyQualifiedErrorId | Should -Be 'VMExists,KvmPS.Commands.ImportKvmVMCommand'
        $e1[0].CategoryInfo.Category | Should -Be ResourceExists
        Import-KvmVM -Path $Export.Path -Copy -NewName "$Imported-x" -Uri $Uri -ErrorAction SilentlyContinue -ErrorVariable e2
        $e2[0].FullyQualifiedErrorId | Should -Be 'VMUuidInUse,KvmPS.Commands.ImportKvmVMCommand'
        @(Get-KvmVolume -Pool $PoolName -Uri $Uri).Count | Should -Be $before
    }

    It 'imports a copy with -Copy -GenerateNewId: identical disk, new UUID and MAC, owned volume in the pool' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $new = Import-KvmVM -Path $Export.Path -Copy -GenerateNewId -NewName $Imported -Pool $Pool2Name -Uri $Uri
        Write-Information "import with -Copy of the 64 MiB qcow2 disk: $($sw.Elapsed.TotalSeconds) s" -InformationAction Continue
        $new.Name | Should -Be $Imported
        $src = Get-DomainXml $Vm
        $imp = Get-DomainXml $Imported
        $imp.domain.uuid | Should -Not -Be $src.domain.uuid
        $imp.domain.devices.interface.mac.address | Should -Not -Be $src.domain.devices.interface.mac.address
        $script:ImportedDisk = $imp.domain.devices.disk.source.file
        $ImportedDisk | Should -BeLike "$Dir/pool2/*"
        & qemu-img compare -q -f qcow2 -F qcow2 $Data $ImportedDisk
        $LASTEXITCODE | Should -Be 0
        Get-RawSha -WorkDirectory $Dir $ImportedDisk | Should -Be (Get-RawSha -WorkDirectory $Dir $Data)
        (Get-FileHash -Algorithm SHA256 $ImportedDisk).Hash | Should -Be (Get-FileHash -Algorithm SHA256 $Export.Disks[0].Path).Hash
        (Get-KvmDisk -VMName $Imported -Uri $Uri | Where-Object Target -eq vda).OwnedByVM | Should -BeTrue
    }

    It 'boots the imported guest, which sees its disk' {
        Remove-Item $Log -ErrorAction Ignore
        Start-KvmVM -Name $Imported -Uri $Uri
        try {
            $report = Read-TestGuestReport -SerialLog $Log -TimeoutSec 120
            @($report.disk | Where-Object Serial -eq 'kvmps-exim').Count | Should -Be 1
        } finally {
            Stop-KvmVM -Name $Imported -TurnOff -Uri $Uri -Confirm:$false
        }
    }

    It 'refuses a running VM without -Suspend, and with it pauses it for the export and resumes it' {
        Start-KvmVM -Name $Vm -Uri $Uri
        try {
            $dest = Join-Path $Dir 'running'
            $null = New-Item -ItemType Directory $dest
            Export-KvmVM -Name $Vm -IncludeStorage -Path $dest -Uri $Uri -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Be 'SourceRunning,KvmPS.Commands.ExportKvmVMCommand'
            Test-Path (Join-Path $dest $Vm) | Should -BeFalse
            $e = Export-KvmVM -Name $Vm -IncludeStorage -Suspend -Path $dest -Uri $Uri
            $e.VMState | Should -Be Running
            (Get-KvmVM -Name $Vm -Uri $Uri).State | Should -Be Running
            Test-Path (Join-Path $e.Path manifest.json) | Should -BeTrue
        } finally {
            Stop-KvmVM -Name $Vm -TurnOff -Uri $Uri -Confirm:$false
        }
    }

    It 'refuses an export whose file changed after the export, before anything is made' {
        $copy = Join-Path $Dir 'tampered'
        $null = New-Item -ItemType Directory $copy
        Copy-Item -Recurse $Export.Path $copy
        $tampered = Join-Path $copy $Vm
        $f = [IO.File]::OpenWrite((Join-Path $tampered 'vda.qcow2'))
        try { $f.Seek($f.Length - 100, 'Begin') | Out-Null; $f.WriteByte(0x42) } finally { $f.Dispose() }
        $before = @(Get-KvmVolume -Pool $PoolName -Uri $Uri).Count
        Import-KvmVM -Path $tampered -Copy -GenerateNewId -NewName "$Imported-t" -Pool $PoolName -Uri $Uri -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'ExportFileCorrupt,KvmPS.Commands.ImportKvmVMCommand'
        @(Get-KvmVolume -Pool $PoolName -Uri $Uri).Count | Should -Be $before
        Get-KvmVM -Name "$Imported-t" -Uri $Uri -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'refuses a missing directory' {
        Import-KvmVM -Path (Join-Path $Dir 'none') -Copy -Uri $Uri -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'DirectoryNotFound,KvmPS.Commands.ImportKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be ObjectNotFound
    }

    It 'removes what a cancelled export (Ctrl+C) and a cancelled -Copy import made' {
        $big = "kvmps-exim-big-$PID"
        $bigDisk = Join-Path $Dir 'pool/big.qcow2'
        & qemu-img create -q -f qcow2 $bigDisk 512M
        & qemu-io -f qcow2 -c 'write -P 0x33 0 512M' $bigDisk | Out-Null
        & virsh -c $Uri pool-refresh $PoolName *> $null
        "<domain type='qemu'><name>$big</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$bigDisk'/><target dev='vda' bus='virtio'/></disk></devices></domain>" | Import-KvmVM -Uri $Uri | Out-Null
        $full = Join-Path $Dir 'big-full'
        $null = New-Item -ItemType Directory $full
        $bigExport = Export-KvmVM -Name $big -IncludeStorage -Path $full -Uri $Uri

        $cancelled = Join-Path $Dir 'big-cancelled'
        $null = New-Item -ItemType Directory $cancelled
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModulePath'; Export-KvmVM -Name '$big' -IncludeStorage -Path '$cancelled' -Uri '$Uri'")
        $null = $ps.BeginInvoke()
        $seen = Wait-Until { (Get-Item (Join-Path $cancelled "$big/vda.qcow2") -ErrorAction Ignore).Length -gt 0 } -TimeoutSec 60
        $ps.Stop()
        $ps.Dispose()
        $seen | Should -BeTrue -Because 'the export was seen writing the image'
        Test-Path (Join-Path $cancelled $big) | Should -BeFalse

        $volumes = @(Get-KvmVolume -Pool $Pool2Name -Uri $Uri).Name
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModulePath'; Import-KvmVM -Path '$($bigExport.Path)' -Copy -GenerateNewId -NewName '$big-imp' -Pool '$Pool2Name' -Uri '$Uri'")
        $null = $ps.BeginInvoke()
        $seen = Wait-Until { @(Get-KvmVolume -Pool $Pool2Name -Uri $Uri | Where-Object Name -like "$big-imp*").Count -gt 0 } -TimeoutSec 120
        $ps.Stop()
        $ps.Dispose()
        $seen | Should -BeTrue -Because 'the import was seen uploading into a volume'
        $left = Wait-Until { -not (Get-KvmVolume -Pool $Pool2Name -Uri $Uri | Where-Object Name -like "$big-imp*") } -TimeoutSec 20
        $left | Should -BeTrue -Because "volumes left: $(@(Get-KvmVolume -Pool $Pool2Name -Uri $Uri).Name -join ', ')"
        @(Get-KvmVolume -Pool $Pool2Name -Uri $Uri).Name | Should -Be $volumes
        Get-KvmVM -Name "$big-imp" -Uri $Uri -ErrorAction Ignore | Should -BeNullOrEmpty
        Remove-KvmVM -Name $big -Uri $Uri -Confirm:$false
    }

    It 'copies the VM into another pool of the host with -DestinationPool' {
        $c = Copy-KvmVM -Name $Vm -NewName "$Imported-pool" -DestinationPool $Pool2Name -Uri $Uri
        $disk = (Get-DomainXml $c.Name).domain.devices.disk.source.file
        $disk | Should -BeLike "$Dir/pool2/*"
        & qemu-img compare -q $Data $disk
        $LASTEXITCODE | Should -Be 0
    }
}

Describe 'Copy-KvmVM to another host' -Tag System -Skip:((-not $HaveTools) -or [bool]$NoSecondDaemon) {
    BeforeAll {
        $script:B = New-PrivateDaemon 'kvmps-exim-b'
        $script:BPool = "kvmps-exim-bpool-$PID"
        New-KvmStoragePool -Name $BPool -Type Dir -Path $B.Pool -Uri $B.Uri | Out-Null
        Start-KvmStoragePool -Name $BPool -Uri $B.Uri
    }

    It 'refuses what cannot work before anything is made' {
        Copy-KvmVM -Name $Vm -NewName "$Vm-b" -DestinationUri $B.Uri -Linked -Uri $Uri -ErrorAction SilentlyContinue -ErrorVariable e1
        $e1[0].FullyQualifiedErrorId | Should -Be 'LinkedCloneAcrossHosts,KvmPS.Commands.CopyKvmVMCommand'
        Copy-KvmVM -Name $Vm -NewName "$Vm-b" -DestinationUri $B.Uri -Uri $Uri -ErrorAction SilentlyContinue -ErrorVariable e2
        $e2[0].FullyQualifiedErrorId | Should -Be 'DestinationPoolNotFound,KvmPS.Commands.CopyKvmVMCommand'
        $e2[0].CategoryInfo.Category | Should -Be ObjectNotFound
        @(Get-KvmVolume -Pool $BPool -Uri $B.Uri).Count | Should -Be 0
    }

    It 'streams the disk to the other host and defines the copy there with a new UUID and MAC' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $c = Copy-KvmVM -Name $Vm -NewName "$Vm-b" -DestinationUri $B.Uri -DestinationPool $BPool -Uri $Uri
        Write-Information "copy to another host of the 64 MiB qcow2 disk: $($sw.Elapsed.TotalSeconds) s" -InformationAction Continue
        $c.Uri | Should -Be (Get-KvmConnection | Where-Object RequestedUri -eq $B.Uri | Select-Object -First 1).Uri
        $src = Get-DomainXml $Vm
        $copy = Get-DomainXml "$Vm-b" $B.Uri
        $copy.domain.uuid | Should -Not -Be $src.domain.uuid
        $copy.domain.devices.interface.mac.address | Should -Not -Be $src.domain.devices.interface.mac.address
        $disk = $copy.domain.devices.disk.source.file
        $disk | Should -BeLike "$($B.Pool)/*"
        & qemu-img compare -q -f qcow2 -F qcow2 $Data $disk
        $LASTEXITCODE | Should -Be 0
    }

    It 'keeps a sparse raw disk sparse on the other host: its holes cross as lengths, not zeros' {
        # 256 MiB raw with 1 MiB of data at 1 MiB and 4 KiB at 200 MiB; the rest is holes.
        $sparse = Join-Path (Join-Path $Dir 'pool') 'sparse.raw'
        & qemu-img create -q -f raw $sparse 256M
        & qemu-io -f raw -c 'write -P 0x6d 1M 1M' -c 'write -P 0x2a 200M 4k' $sparse | Out-Null
        & virsh -c $Uri pool-refresh $PoolName *> $null
        $name = "kvmps-exim-sparse-$PID"
        "<domain type='qemu'><name>$name</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$sparse'/><target dev='vda' bus='virtio'/></disk></devices></domain>" |
            Import-KvmVM -Uri $Uri | Out-Null
        $null = Copy-KvmVM -Name $name -NewName "$name-b" -DestinationUri $B.Uri -DestinationPool $BPool -Uri $Uri
        $disk = (Get-DomainXml "$name-b" $B.Uri).domain.devices.disk.source.file
        (Get-Item $disk).Length | Should -Be 256MB
        & qemu-img compare -q -f raw -F raw $sparse $disk
        $LASTEXITCODE | Should -Be 0
        $blocks, $blockSize = (& stat -c '%b %B' $disk).Split(' ')
        $allocated = [long]$blocks * [long]$blockSize
        $allocated | Should -BeLessThan 8MB -Because 'a copy that wrote zeros would allocate all 256 MiB'
        $allocated | Should -BeGreaterOrEqual 1MB
        # The export reads the same disk as a sparse stream too, and keeps its holes in the file.
        $null = Export-KvmVM -Name $name -IncludeStorage -Path $Exports -Uri $Uri
        $out = Join-Path $Exports $name
        $exported = @(Get-ChildItem $out -File | Where-Object Length -EQ 256MB)
        $exported.Count | Should -Be 1
        & qemu-img compare -q -f raw -F raw $sparse $exported[0].FullName
        $LASTEXITCODE | Should -Be 0
        $blocks, $blockSize = (& stat -c '%b %B' $exported[0].FullName).Split(' ')
        ([long]$blocks * [long]$blockSize) | Should -BeLessThan 8MB
    }

    It 'refuses the name in use on the other host, and -KeepId keeps the UUID' {
        Copy-KvmVM -Name $Vm -NewName "$Vm-b" -DestinationUri $B.Uri -DestinationPool $BPool -Uri $Uri -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'VMExists,KvmPS.Commands.CopyKvmVMCommand'
        $null = Copy-KvmVM -Name $Vm -NewName $Vm -DestinationUri $B.Uri -DestinationPool $BPool -KeepId -Uri $Uri
        $copy = Get-DomainXml $Vm $B.Uri
        $copy.domain.uuid | Should -Be (Get-DomainXml $Vm).domain.uuid
        $copy.domain.devices.interface.mac.address | Should -Be '52:54:00:5e:00:01'
    }
}
