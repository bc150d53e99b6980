# Disks, network adapters and host devices on libvirt's test driver: the XML the cmdlets write,
# the checks before a change (the configuration stays exactly as it was), pipelines, and the
# fall-back for a running VM the test driver cannot hot-plug into.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Images = Join-Path ([IO.Path]::GetTempPath()) "kvmps-t6d-$PID"
    $null = New-Item -ItemType Directory -Force -Path $script:Images
    & qemu-img create -q -f qcow2 (Join-Path $script:Images 'a.qcow2') 64M
    & qemu-img create -q -f qcow2 (Join-Path $script:Images 'b.qcow2') 64M
    & qemu-img create -q -f raw (Join-Path $script:Images 'c.img') 16M

    # A test-driver host with the PCI devices of tests/fixtures/nodedev and one VM.
    $script:NodeDevDir = Join-Path $script:RepoRoot 'tests/fixtures/nodedev'
    $devices = Get-ChildItem $script:NodeDevDir -Filter '*.xml' | ForEach-Object { Get-Content $_ -Raw }
    $script:PciHostFile = Join-Path $script:Images 'pci-host.xml'
    "<node>$($devices -join '')<domain type='test'><name>gpu1</name><memory>262144</memory><vcpu>2</vcpu><os><type>hvm</type></os></domain></node>" |
        Set-Content $script:PciHostFile
    $script:PciHost = "test://$($script:PciHostFile)"

    function Assert-Refused {
        # Runs the block, expects exactly one error with the id and category, and the VM's
        # configuration unchanged.
        param([string] $VM, [scriptblock] $Block, [string] $Id, [string] $Category = 'InvalidArgument', [string] $Uri)
        $params = @{}
        if ($Uri) { $params.Uri = $Uri }
        $before = Export-KvmVM $VM @params
        # The runner may set 'Stop'; the errors are to be collected here, not thrown.
        $ErrorActionPreference = 'Continue'
        $err = @(& $Block 2>&1 3>$null | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $err.Count | Should -Be 1 -Because "$Block"
        $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,KvmPS.Commands.*"
        $err[0].CategoryInfo.Category | Should -Be $Category
        Export-KvmVM $VM @params | Should -Be $before
    }
}

AfterAll {
    Reset-KvmSession
    Remove-Item $script:Images -Recurse -Force -ErrorAction Ignore
}

Describe 'Network adapters on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmVM -Name nic1 -Memory 256MB -VCpuCount 4 -Network default
    }

    It 'lists the adapters of a VM as KvmNetworkAdapter objects' {
        $nics = @(Get-KvmNetworkAdapter nic1)
        $nics.Count | Should -Be 1
        $nics[0] | Should -BeOfType ([KvmPS.KvmNetworkAdapter])
        $nics[0].VMName | Should -Be 'nic1'
        $nics[0].Source | Should -Be 'default'
        $nics[0].LinkState | Should -Be 'Up'
        $nics[0].Uri | Should -Be 'test:///default'
        (Get-KvmVM nic1 | Get-KvmNetworkAdapter).MacAddress | Should -Be $nics[0].MacAddress
    }

    It 'adds multiqueue virtio-net with vhost and a generated MAC no VM of the host uses' {
        $used = @((Get-KvmVM).NetworkAdapters.MacAddress)
        $vm = Add-KvmNetworkAdapter nic1 -Network default -Model Virtio -Driver Vhost -Queues 4 -PassThru
        $vm | Should -BeOfType ([KvmPS.KvmVM])
        $vm.NetworkAdapters.Count | Should -Be 2
        [xml] $x = Export-KvmVM nic1
        $new = $x.domain.devices.interface | Where-Object { $_.mac.address -notin $used }
        $new.mac.address | Should -Match '^52:54:00(:[0-9a-f]{2}){3}$'
        $new.source.network | Should -Be 'default'
        $new.model.type | Should -Be 'virtio'
        $new.driver.name | Should -Be 'vhost'
        $new.driver.queues | Should -Be '4'
    }

    It 'connects to a host bridge with a given MAC, link down' {
        Add-KvmNetworkAdapter nic1 -Bridge br0 -MacAddress 52:54:00:AA:00:01 -Model E1000e -LinkState Down | Should -BeNullOrEmpty
        $nic = Get-KvmNetworkAdapter nic1 -MacAddress 52:54:00:aa:00:01
        $nic.Type | Should -Be 'bridge'
        $nic.Source | Should -Be 'br0'
        $nic.Model | Should -Be 'e1000e'
        $nic.LinkState | Should -Be 'Down'
    }

    It 'refuses <Case> and leaves the configuration as it was' -ForEach @(
        @{ Case = '-Network with -Bridge'; Params = @{ Network = 'default'; Bridge = 'br0' }; Id = 'ConflictingSource' }
        @{ Case = 'a malformed MAC'; Params = @{ MacAddress = '52:54:00:zz:00:01' }; Id = 'InvalidMacAddress' }
        @{ Case = 'a multicast MAC'; Params = @{ MacAddress = '01:00:5e:00:00:01' }; Id = 'InvalidMacAddress' }
        @{ Case = 'a MAC another VM uses'; Params = @{ MacAddress = 'AA:BB:CC:DD:EE:FF' }; Id = 'MacAddressInUse'; Category = 'ResourceExists' }
        @{ Case = 'more queues than vCPUs'; Params = @{ Queues = 8 }; Id = 'TooManyQueues' }
        @{ Case = 'a backend for e1000'; Params = @{ Model = 'E1000'; Driver = 'Vhost' }; Id = 'DriverNeedsVirtio' }
        @{ Case = 'queues for rtl8139'; Params = @{ Model = 'Rtl8139'; Queues = 2 }; Id = 'QueuesNeedVirtio' }
        @{ Case = 'an unknown network'; Params = @{ Network = 'nosuchnet' }; Id = 'NetworkNotFound'; Category = 'ObjectNotFound' }
    ) {
        $p = $Params
        $cat = if ($Category) { $Category } else { 'InvalidArgument' }
        Assert-Refused -VM nic1 -Block { Add-KvmNetworkAdapter nic1 @p } -Id $Id -Category $cat
    }

    It 'changes network, model, backend, queues and link state in the configuration' {
        $mac = (Get-KvmNetworkAdapter nic1).MacAddress
        Set-KvmNetworkAdapter nic1 -MacAddress $mac -Bridge br1 -Model Virtio -Driver Qemu -Queues 4 -LinkState Down
        [xml] $x = Export-KvmVM nic1
        $nic = $x.domain.devices.interface
        $nic.type | Should -Be 'bridge'
        $nic.source.bridge | Should -Be 'br1'
        $nic.driver.name | Should -Be 'qemu'
        $nic.driver.queues | Should -Be '4'
        $nic.link.state | Should -Be 'down'
        Set-KvmNetworkAdapter nic1 $mac -Queues 1 -LinkState Up -Network default
        [xml] $x = Export-KvmVM nic1
        $x.domain.devices.interface.driver.queues | Should -BeNullOrEmpty
        $x.domain.devices.interface.link | Should -BeNullOrEmpty
        $x.domain.devices.interface.source.network | Should -Be 'default'
    }

    It 'refuses Set-KvmNetworkAdapter <Case>' -ForEach @(
        @{ Case = 'for a MAC the VM does not have'; Params = @{ MacAddress = '52:54:00:ff:ff:ff'; LinkState = 'Down' }; Id = 'NetworkAdapterNotFound'; Category = 'ObjectNotFound' }
        @{ Case = 'with more queues than vCPUs'; Params = @{ Queues = 5 }; Id = 'TooManyQueues' }
        @{ Case = 'with queues on a non-virtio model'; Params = @{ Model = 'E1000e'; Queues = 2 }; Id = 'QueuesNeedVirtio' }
        @{ Case = 'with a backend on a non-virtio model'; Params = @{ Model = 'Rtl8139'; Driver = 'Qemu' }; Id = 'DriverNeedsVirtio' }
        @{ Case = 'with an unknown network'; Params = @{ Network = 'nosuchnet' }; Id = 'NetworkNotFound'; Category = 'ObjectNotFound' }
    ) {
        $p = @{ MacAddress = (Get-KvmNetworkAdapter nic1).MacAddress }
        foreach ($k in $Params.Keys) { $p[$k] = $Params[$k] }
        $cat = if ($Category) { $Category } else { 'InvalidArgument' }
        Assert-Refused -VM nic1 -Block { Set-KvmNetworkAdapter nic1 @p } -Id $Id -Category $cat
    }

    It 'takes adapters from Get-KvmNetworkAdapter through the pipeline' {
        Add-KvmNetworkAdapter nic1 -MacAddress 52:54:00:aa:00:02
        Get-KvmNetworkAdapter nic1 -MacAddress 52:54:00:aa:00:02 | Set-KvmNetworkAdapter -LinkState Down
        (Get-KvmNetworkAdapter nic1 52:54:00:aa:00:02).LinkState | Should -Be 'Down'
        Get-KvmNetworkAdapter nic1 -MacAddress '52:54:00:aa:*' | Remove-KvmNetworkAdapter -Confirm:$false
        @(Get-KvmNetworkAdapter nic1).Count | Should -Be 1
    }

    It 'reports a literal MAC that matches nothing, and is silent for a wildcard' {
        Get-KvmNetworkAdapter nic1 -MacAddress 52:54:00:00:00:99 -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'NetworkAdapterNotFound,KvmPS.Commands.GetKvmNetworkAdapterCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-KvmNetworkAdapter nic1 -MacAddress '00:*' -ErrorVariable err2 | Should -BeNullOrEmpty
        $err2.Count | Should -Be 0
    }

    It 'removes with ConfirmImpact High, changes nothing with -WhatIf, and refuses a MAC the VM lacks' {
        (Get-Command Remove-KvmNetworkAdapter).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be 'High'
        $mac = (Get-KvmNetworkAdapter nic1).MacAddress
        $before = Export-KvmVM nic1
        Remove-KvmNetworkAdapter nic1 $mac -WhatIf
        Add-KvmNetworkAdapter nic1 -WhatIf
        Export-KvmVM nic1 | Should -Be $before
        Assert-Refused -VM nic1 -Block { Remove-KvmNetworkAdapter nic1 52:54:00:ff:ff:ff -Confirm:$false } -Id NetworkAdapterNotFound -Category ObjectNotFound
        Remove-KvmNetworkAdapter nic1 $mac -Confirm:$false
        Get-KvmNetworkAdapter nic1 | Should -BeNullOrEmpty
    }

    It 'adds to a running VM''s configuration with a warning when the driver cannot hot-plug' {
        $vm = Add-KvmNetworkAdapter test -MacAddress 52:54:00:aa:00:03 -PassThru -WarningVariable w -WarningAction SilentlyContinue
        $w[0] | Should -Match 'could not be hot-plugged.*next start'
        $vm.State | Should -Be 'Running'
        (Get-KvmNetworkAdapter test).MacAddress | Should -Not -Contain '52:54:00:aa:00:03'
        (Get-KvmNetworkAdapter test -Config).MacAddress | Should -Contain '52:54:00:aa:00:03'
        Set-KvmNetworkAdapter test 52:54:00:aa:00:03 -Queues 2 -WarningVariable w2 -WarningAction SilentlyContinue
        $w2 | Should -BeNullOrEmpty
        Set-KvmNetworkAdapter test aa:bb:cc:dd:ee:ff -LinkState Down -WarningVariable w3 -WarningAction SilentlyContinue
        $w3[0] | Should -Match 'takes effect at its next start'
        Remove-KvmNetworkAdapter test 52:54:00:aa:00:03 -Confirm:$false
        (Get-KvmNetworkAdapter test -Config).MacAddress | Should -Not -Contain '52:54:00:aa:00:03'
    }
}

Describe 'Disks on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmVM -OSVariant linux2022 -Name disk1 -Memory 256MB -VCpuCount 2 -DiskPath (Join-Path $script:Images 'a.qcow2') -Import
        $script:B = Join-Path $script:Images 'b.qcow2'
        $script:C = Join-Path $script:Images 'c.img'
    }

    It 'lists disks and filters by target' {
        $d = Get-KvmDisk disk1
        $d | Should -BeOfType ([KvmPS.KvmDisk])
        $d.Target | Should -Be 'vda'
        $d.Format | Should -Be 'qcow2'
        (Get-KvmDisk disk1 -Target 'v*').Target | Should -Be 'vda'
        Get-KvmDisk disk1 -Target sdz -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'DiskNotFound,KvmPS.Commands.GetKvmDiskCommand'
    }

    It 'adds a virtio-blk disk with cache=none io=native discard=unmap, format from qemu-img' {
        Add-KvmDisk disk1 -Path $B -Cache None -IO Native -Discard | Should -BeNullOrEmpty
        [xml] $x = Export-KvmVM disk1
        $disk = $x.domain.devices.disk | Where-Object { $_.target.dev -eq 'vdb' }
        $disk.source.file | Should -Be $B
        $disk.target.bus | Should -Be 'virtio'
        $disk.driver.type | Should -Be 'qcow2'
        $disk.driver.cache | Should -Be 'none'
        $disk.driver.io | Should -Be 'native'
        $disk.driver.discard | Should -Be 'unmap'
        (Get-KvmDisk disk1 vdb).Discard | Should -Be 'unmap'
    }

    It 'detects raw, honours -Format, and picks the next free target' {
        Add-KvmDisk disk1 -Path $C -ReadOnly
        $d = Get-KvmDisk disk1 vdb
        $d.Format | Should -Be 'raw'
        $d.ReadOnly | Should -BeTrue
        Add-KvmDisk disk1 -Path $B -Format raw -Bus Usb
        (Get-KvmDisk disk1 sda).Format | Should -Be 'raw'
        (Get-KvmDisk disk1 sda).Bus | Should -Be 'usb'
    }

    It 'adds a virtio-scsi controller for the first SCSI disk only' {
        Add-KvmDisk disk1 -Path $B -Bus Scsi -Cache None -IO IoUring
        Add-KvmDisk disk1 -Path $C -Bus Scsi
        [xml] $x = Export-KvmVM disk1
        $ctl = @($x.domain.devices.controller | Where-Object type -eq 'scsi')
        $ctl.Count | Should -Be 1
        $ctl[0].model | Should -Be 'virtio-scsi'
        $scsi = @($x.domain.devices.disk | Where-Object { $_.target.bus -eq 'scsi' })
        $scsi.target.dev | Should -Be @('sda', 'sdb')
        # (Member access on the array itself would find Array.Address.)
        $scsi | ForEach-Object { $_.address.controller } | Should -Be @($ctl[0].index, $ctl[0].index)
        $scsi | ForEach-Object { $_.address.unit } | Should -Be @('0', '1')
        $scsi[0].driver.io | Should -Be 'io_uring'
    }

    It 'composes: New-KvmVM -PassThru | Add-KvmDisk -PassThru | Add-KvmNetworkAdapter -PassThru | Start-KvmVM' {
        $vm = New-KvmVM -Name comp1 -Memory 128MB -VCpuCount 2 -PassThru |
            Add-KvmDisk -Path $B -Cache None -IO Native -PassThru |
            Add-KvmNetworkAdapter -Network default -Queues 2 -PassThru |
            Start-KvmVM -PassThru
        $vm.State | Should -Be 'Running'
        $vm.Disks.Target | Should -Be 'vda'
        $vm.NetworkAdapters.Queues | Should -Be 2
    }

    It 'refuses <Case> and leaves the configuration as it was' -ForEach @(
        @{ Case = 'io=native without a direct cache'; Params = @{ Cache = 'Writeback'; IO = 'Native' }; Id = 'IONativeNeedsDirectCache' }
        @{ Case = 'io=native with the default cache'; Params = @{ IO = 'Native' }; Id = 'IONativeNeedsDirectCache' }
        @{ Case = 'a target that does not fit the bus'; Params = @{ Target = 'sdb' }; Id = 'InvalidTarget' }
        @{ Case = 'a malformed target'; Params = @{ Target = 'vd1' }; Id = 'InvalidTarget' }
        @{ Case = 'a target in use'; Params = @{ Target = 'vda' }; Id = 'TargetInUse'; Category = 'ResourceExists' }
        @{ Case = 'a missing image'; Params = @{ Path = '/nonexistent/kvmps.qcow2' }; Id = 'DiskNotFound'; Category = 'ObjectNotFound' }
        @{ Case = 'the image the VM already has'; Params = @{ Path = 'A' }; Id = 'DiskPathInUse'; Category = 'ResourceExists' }
    ) {
        $p = @{ Path = $B }
        foreach ($k in $Params.Keys) { $p[$k] = $Params[$k] }
        if ($p.Path -eq 'A') { $p.Path = Join-Path $script:Images 'a.qcow2' }
        $cat = if ($Category) { $Category } else { 'InvalidArgument' }
        Assert-Refused -VM disk1 -Block { Add-KvmDisk disk1 @p } -Id $Id -Category $cat
    }

    It 'reads the format of a storage volume and warns about a disk another VM writes' {
        New-KvmVM -Name owner1 -Memory 128MB -Pool default-pool -DiskSize 1GB
        Add-KvmDisk disk1 -Path /default-pool/owner1.qcow2 -WarningVariable w -WarningAction SilentlyContinue
        (Get-KvmDisk disk1 vdb).Format | Should -Be 'qcow2'
        $w[0] | Should -Match 'owner1'
    }

    It 'changes cache, io, discard and read-only, and refuses io=native on a cached disk' {
        Add-KvmDisk disk1 -Path $B -Discard
        Set-KvmDisk disk1 vdb -Cache DirectSync -IO Native -Discard:$false -ReadOnly
        $d = Get-KvmDisk disk1 vdb
        $d.Cache | Should -Be 'directsync'
        $d.IO | Should -Be 'native'
        $d.Discard | Should -BeNullOrEmpty
        $d.ReadOnly | Should -BeTrue
        Assert-Refused -VM disk1 -Block { Set-KvmDisk disk1 vdb -Cache Writeback } -Id IONativeNeedsDirectCache
        Assert-Refused -VM disk1 -Block { Set-KvmDisk disk1 vdz -Cache None } -Id DiskNotFound -Category ObjectNotFound
        Get-KvmDisk disk1 vdb | Set-KvmDisk -IO Threads -Cache Writeback -ReadOnly:$false -PassThru | ForEach-Object Name | Should -Be 'disk1'
        (Get-KvmDisk disk1 vdb).Cache | Should -Be 'writeback'
    }

    It 'detaches a disk but never deletes its image, and the VM no longer owns it' {
        $made = Join-Path $script:Images 'made.qcow2'
        New-KvmVM -OSVariant linux2022 -Name own1 -Memory 128MB -DiskPath $made -DiskSize 16MB
        (Get-KvmDisk own1).OwnedByVM | Should -BeTrue
        Remove-KvmDisk own1 vda -WhatIf
        @(Get-KvmDisk own1).Count | Should -Be 1
        Get-KvmDisk own1 | Remove-KvmDisk -Confirm:$false
        Get-KvmDisk own1 | Should -BeNullOrEmpty
        Test-Path $made | Should -BeTrue
        (Export-KvmVM own1) | Should -Not -Match 'owned'
        Remove-KvmVM own1 -DeleteStorage -Confirm:$false
        Test-Path $made | Should -BeTrue
        (Get-Command Remove-KvmDisk).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be 'High'
    }

    It 'puts a SATA disk for a running VM into its configuration with a warning' {
        Add-KvmDisk test -Path $B -Bus Sata -WarningVariable w -WarningAction SilentlyContinue
        $w[0] | Should -Match 'SATA'
        (Get-KvmDisk test -Config).Target | Should -Contain 'sda'
        (Get-KvmDisk test).Target | Should -Not -Contain 'sda'
        Remove-KvmDisk test sda -Confirm:$false
        (Get-KvmDisk test -Config).Target | Should -Not -Contain 'sda'
    }

    It 'handles each piped VM on its own' {
        New-KvmVM -Name disk2 -Memory 128MB
        Get-KvmVM disk1, disk2 | Add-KvmDisk -Path $C -Target vdb -ErrorAction SilentlyContinue -ErrorVariable err -WarningAction SilentlyContinue
        $err.Count | Should -Be 0
        (Get-KvmDisk disk2).Target | Should -Be 'vdb'
        'disk1', 'nosuchvm', 'disk2' | Set-KvmDisk -Target vdb -Cache None -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2.Count | Should -Be 1
        $err2[0].FullyQualifiedErrorId | Should -Be 'VMNotFound,KvmPS.Commands.SetKvmDiskCommand'
        (Get-KvmDisk disk1, disk2 -Target vdb).Cache | Should -Be @('none', 'none')
    }
}

Describe 'Host devices on a test-driver host with PCI devices' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost $script:PciHost
        Stop-KvmVM gpu1 -TurnOff -Force
    }

    It 'lists every PCI node device with ids, names, IOMMU group and members' {
        $all = Get-KvmHostDevice
        $expected = Get-ChildItem $script:NodeDevDir -Filter '*.xml' | ForEach-Object {
            ([xml](Get-Content $_ -Raw)).device.name -replace '^pci_(....)_(..)_(..)_(.)$', '$1:$2:$3.$4'
        } | Sort-Object
        $all.PciAddress | Should -Be $expected
        $gpu = $all | Where-Object PciAddress -eq '0000:01:00.0'
        $gpu | Should -BeOfType ([KvmPS.KvmHostDevice])
        $gpu.VendorId | Should -Be '0x10de'
        $gpu.ProductName | Should -Be 'GP104 [GeForce GTX 1080]'
        $gpu.IommuGroup | Should -Be 1
        $gpu.IommuGroupMembers | Should -Be @('0000:00:01.0', '0000:01:00.1')
        $gpu.Uri | Should -Be $script:PciHost
    }

    It 'lists what vfio could take with -Assignable, SR-IOV functions included' {
        (Get-KvmHostDevice -Assignable).PciAddress | Should -Be @('0000:01:00.0', '0000:01:00.1', '0000:03:00.0', '0000:03:10.0', '0000:03:10.4')
        $pf = Get-KvmHostDevice 03:00.0
        $pf.VirtualFunctions | Should -Be @('0000:03:10.0', '0000:03:10.4')
        $pf.MaxVirtualFunctions | Should -Be 7
        (Get-KvmHostDevice '03:10.*').PhysicalFunction | Should -Be @('0000:03:00.0', '0000:03:00.0')
    }

    It 'reports a malformed address as InvalidArgument and a missing one as ObjectNotFound' {
        Get-KvmHostDevice 0000:01:00.0, 0000:09:00.0, '01:00' -ErrorAction SilentlyContinue -ErrorVariable err |
            ForEach-Object PciAddress | Should -Be '0000:01:00.0'
        $err.Count | Should -Be 2
        ($err | Where-Object { $_.CategoryInfo.Category -eq 'InvalidArgument' }).FullyQualifiedErrorId | Should -Be 'InvalidPciAddress,KvmPS.Commands.GetKvmHostDeviceCommand'
        ($err | Where-Object { $_.CategoryInfo.Category -eq 'ObjectNotFound' }).FullyQualifiedErrorId | Should -Be 'HostDeviceNotFound,KvmPS.Commands.GetKvmHostDeviceCommand'
        Get-KvmHostDevice '0000:0a:*' -ErrorVariable err2 | Should -BeNullOrEmpty
        $err2.Count | Should -Be 0
    }

    It 'passes a GPU and its audio function through as managed vfio host devices' {
        $vm = Get-KvmHostDevice '01:00.*' | Add-KvmHostDevice -VMName gpu1 -PassThru -Confirm:$false -WarningVariable w
        $w | Should -BeNullOrEmpty
        $vm[-1].HostDevices | Should -Be @('0000:01:00.0', '0000:01:00.1')
        [xml] $x = Export-KvmVM gpu1
        $h = @($x.domain.devices.hostdev)
        $h.Count | Should -Be 2
        $h[0].mode | Should -Be 'subsystem'
        $h[0].type | Should -Be 'pci'
        $h[0].managed | Should -Be 'yes'
        $h[0].driver.name | Should -Be 'vfio'
        $h[0].source.address.bus | Should -Be '0x01'
        $h[1].source.address.function | Should -Be '0x1'
        Remove-KvmHostDevice gpu1 -PciAddress 0000:01:00.0, 01:00.1 -Confirm:$false
        (Get-KvmVM gpu1).HostDevices | Should -BeNullOrEmpty
    }

    It 'warns when the rest of the IOMMU group stays with the host' {
        Add-KvmHostDevice gpu1 -PciAddress 0000:01:00.0 -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
        $w[0] | Should -Match 'IOMMU group 1.*0000:01:00\.1'
        $w[0] | Should -Not -Match '0000:00:01\.0'
    }

    It 'gives an SR-IOV virtual function to a VM' {
        Add-KvmHostDevice gpu1 0000:03:10.4 -Confirm:$false
        (Get-KvmVM gpu1).HostDevices | Should -Be '0000:03:10.4'
    }

    It 'refuses <Case> and leaves the configuration as it was' -ForEach @(
        @{ Case = 'a malformed address'; Address = '0000:01:00'; Id = 'InvalidPciAddress'; Category = 'InvalidArgument' }
        @{ Case = 'an address the host lacks'; Address = '0000:09:00.0'; Id = 'HostDeviceNotFound'; Category = 'ObjectNotFound' }
        @{ Case = 'a PCI bridge'; Address = '0000:00:01.0'; Id = 'HostCriticalDevice'; Category = 'InvalidArgument' }
        @{ Case = 'the host bridge'; Address = '0000:00:00.0'; Id = 'HostCriticalDevice'; Category = 'InvalidArgument' }
        @{ Case = 'a device grouped with the ISA bridge'; Address = '0000:00:1f.3'; Id = 'GroupNotAssignable'; Category = 'InvalidArgument' }
    ) {
        $a = $Address
        Assert-Refused -VM gpu1 -Block { Add-KvmHostDevice gpu1 -PciAddress $a -Confirm:$false } -Id $Id -Category $Category
    }

    It 'refuses a device the VM has already, and removing one it lacks' {
        Add-KvmHostDevice gpu1 0000:03:10.0 -Confirm:$false
        Assert-Refused -VM gpu1 -Block { Add-KvmHostDevice gpu1 03:10.0 -Confirm:$false } -Id HostDeviceAlreadyAssigned -Category ResourceExists
        Assert-Refused -VM gpu1 -Block { Remove-KvmHostDevice gpu1 03:10.4 -Confirm:$false } -Id HostDeviceNotAssigned -Category ObjectNotFound
        Assert-Refused -VM gpu1 -Block { Remove-KvmHostDevice gpu1 3:10 -Confirm:$false } -Id InvalidPciAddress
        Remove-KvmHostDevice gpu1 03:10.0 -WhatIf
        (Get-KvmVM gpu1).HostDevices | Should -Be '0000:03:10.0'
    }

    It 'warns when another VM has the device' {
        New-KvmVM -Name gpu2 -Memory 128MB
        Add-KvmHostDevice gpu1 03:00.0 -Confirm:$false
        Add-KvmHostDevice gpu2 03:00.0 -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
        $w[0] | Should -Match 'also given to VM\(s\) gpu1'
    }

    It 'completes PCI addresses, assignable devices first' {
        $line = "Add-KvmHostDevice -Uri '$($script:PciHost)' gpu1 -PciAddress 0000:0"
        $r = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)
        $r.CompletionMatches[0].CompletionText | Should -Be '0000:01:00.0'
        $r.CompletionMatches.CompletionText | Should -Contain '0000:00:1f.0'
    }

    It 'has node device fixtures that pass libvirt''s nodedev schema' -Skip:(-not (Get-Command virt-xml-validate -ErrorAction Ignore)) {
        foreach ($f in Get-ChildItem $script:NodeDevDir -Filter '*.xml') {
            virt-xml-validate $f.FullName nodedev 2>&1 | Out-String | Should -Match 'validates'
        }
    }
}

Describe 'Host devices of the default test driver' {
    It 'lists none (it has no PCI devices) and reports a literal address as missing' {
        Reset-KvmSession
        Get-KvmHostDevice -Uri test:///default | Should -BeNullOrEmpty
        Get-KvmHostDevice -Uri test:///default -PciAddress 0000:01:00.0 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'HostDeviceNotFound,KvmPS.Commands.GetKvmHostDeviceCommand'
    }
}
