# Devices on a real libvirtd with QEMU: the tuned virtio-net / virtio-blk XML as libvirt keeps it
# (virsh dumpxml, virt-xml-validate), hot-plug into a running domain checked with virsh
# domblklist / domiflist and from inside the test guest (tests/guest), and the host's PCI devices
# against virsh and sysfs.
BeforeDiscovery {
    $script:HaveImageTools = [bool](Get-Command apt-get -ErrorAction Ignore) -and (Test-Path /bin/busybox)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Uri = 'qemu:///system'
    $script:Dir = "/var/lib/libvirt/images/kvmps-t6d-$PID"
    $null = New-Item -ItemType Directory -Force -Path $script:Dir
    foreach ($n in 'a', 'b', 'c', 'd', 'e') { & qemu-img create -q -f qcow2 (Join-Path $script:Dir "$n.qcow2") 64M }

    # An isolated network without addresses, started inside the daemon's network namespace.
    $script:Net = "kvmps-t6d-net-$PID"
    $netXml = Join-Path $script:Dir 'net.xml'
    "<network><name>$($script:Net)</name><bridge name='kvt6d$($PID % 10000)' stp='on' delay='0'/></network>" | Set-Content $netXml
    virsh -c $script:Uri net-create $netXml | Out-Null
    $script:Net2 = "kvmps-t6d-net2-$PID"
    "<network><name>$($script:Net2)</name><bridge name='kvt6e$($PID % 10000)' stp='on' delay='0'/></network>" | Set-Content $netXml
    virsh -c $script:Uri net-create $netXml | Out-Null

    # Small domains without an OS: QEMU (software emulation, so it holds with or without
    # /dev/kvm) runs them, which is all hot-plug needs. q35 with free PCIe root ports.
    function New-TestDomain([string] $Name) {
        $ports = (1..8 | ForEach-Object { "<controller type='pci' model='pcie-root-port'/>" }) -join ''
        $file = Join-Path $script:Dir "$Name.xml"
        "<domain type='qemu'><name>$Name</name><memory unit='MiB'>64</memory><vcpu>2</vcpu>" +
        "<os><type arch='x86_64' machine='q35'>hvm</type></os><features><acpi/><apic/></features>" +
        "<devices><controller type='pci' model='pcie-root'/>$ports</devices></domain>" | Set-Content $file
        virsh -c $script:Uri define $file | Out-Null
    }
    $script:Stopped = 'kvmps-t6d-xml'
    $script:Running = 'kvmps-t6d-hot'
    New-TestDomain $script:Stopped
    New-TestDomain $script:Running
    virsh -c $script:Uri start $script:Running | Out-Null

    Reset-KvmSession
    Connect-KvmHost $script:Uri

    function Get-Targets([string] $Name, [switch] $Inactive) {
        $a = @('-c', $script:Uri, 'domblklist', $Name) + $(if ($Inactive) { '--inactive' })
        virsh @a | Select-Object -Skip 2 | ForEach-Object { ($_.Trim() -split '\s+')[0] } | Where-Object { $_ }
    }
    function Get-Macs([string] $Name, [switch] $Inactive) {
        $a = @('-c', $script:Uri, 'domiflist', $Name) + $(if ($Inactive) { '--inactive' })
        virsh @a | Select-Object -Skip 2 | ForEach-Object { ($_.Trim() -split '\s+')[-1] } | Where-Object { $_ }
    }
}

AfterAll {
    foreach ($n in $script:Stopped, $script:Running, 'kvmps-t6d-guest') {
        virsh -c $script:Uri destroy $n *> $null
        virsh -c $script:Uri undefine $n *> $null
    }
    virsh -c $script:Uri net-destroy $script:Net *> $null
    virsh -c $script:Uri net-destroy $script:Net2 *> $null
    Remove-Item $script:Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'Device XML on a real libvirtd' -Tag System {
    It 'keeps multiqueue vhost virtio-net and tuned virtio-blk/scsi disks, and the result validates' {
        $a = Join-Path $script:Dir 'a.qcow2'
        $b = Join-Path $script:Dir 'b.qcow2'
        Add-KvmNetworkAdapter $script:Stopped -Network $script:Net -MacAddress 52:54:00:6d:00:01 -Model Virtio -Driver Vhost -Queues 2 -WarningVariable w -WarningAction SilentlyContinue
        if (-not (Test-Path /dev/vhost-net)) { $w[0] | Should -Match 'vhost-net' }
        Add-KvmDisk $script:Stopped -Path $a -Cache None -IO Native -Discard
        Add-KvmDisk $script:Stopped -Path $b -Bus Scsi -Cache None -IO IoUring -Discard

        $file = Join-Path $script:Dir 'dump.xml'
        virsh -c $script:Uri dumpxml --inactive $script:Stopped | Set-Content $file
        virt-xml-validate $file domain 2>&1 | Out-String | Should -Match 'validates'
        [xml] $x = Get-Content $file -Raw
        $nic = $x.domain.devices.interface
        $nic.type | Should -Be 'network'
        $nic.source.network | Should -Be $script:Net
        $nic.mac.address | Should -Be '52:54:00:6d:00:01'
        $nic.model.type | Should -Be 'virtio'
        $nic.driver.name | Should -Be 'vhost'
        $nic.driver.queues | Should -Be '2'
        $vda = $x.domain.devices.disk | Where-Object { $_.target.dev -eq 'vda' }
        $vda.target.bus | Should -Be 'virtio'
        $vda.source.file | Should -Be $a
        "$($vda.driver.name) $($vda.driver.type) $($vda.driver.cache) $($vda.driver.io) $($vda.driver.discard)" |
            Should -Be 'qemu qcow2 none native unmap'
        $sda = $x.domain.devices.disk | Where-Object { $_.target.dev -eq 'sda' }
        $sda.target.bus | Should -Be 'scsi'
        "$($sda.driver.cache) $($sda.driver.io) $($sda.driver.discard)" | Should -Be 'none io_uring unmap'
        $ctl = $x.domain.devices.controller | Where-Object { $_.type -eq 'scsi' }
        $ctl.model | Should -Be 'virtio-scsi'
        $sda.address.controller | Should -Be $ctl.index
    }

    It 'refuses io=native with a cached disk before libvirt sees it' {
        $before = virsh -c $script:Uri dumpxml --inactive $script:Stopped
        Set-KvmDisk $script:Stopped vda -Cache Writeback -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'IONativeNeedsDirectCache,KvmPS.Commands.SetKvmDiskCommand'
        virsh -c $script:Uri dumpxml --inactive $script:Stopped | Should -Be $before
    }

    It 'leaves the configuration exactly as it was when libvirt rejects a disk' {
        $before = virsh -c $script:Uri dumpxml --inactive $script:Stopped
        # libvirt refuses read-only SATA disks when it validates the definition.
        Add-KvmDisk $script:Stopped -Path (Join-Path $script:Dir 'c.qcow2') -Bus Sata -ReadOnly -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'AddDiskFailed,KvmPS.Commands.AddKvmDiskCommand'
        $err[0].Exception.Code | Should -Be 'ConfigUnsupported'
        virsh -c $script:Uri dumpxml --inactive $script:Stopped | Should -Be $before
    }

    It 'passes a host device through as managed vfio in XML that validates' -Skip:(-not (virsh -c qemu:///system nodedev-list --cap pci 2>$null)) {
        # The domain never starts, so no host driver lets go of the device; still, no disk or NIC.
        $dev = Get-KvmHostDevice | Where-Object { -not $_.IsHostCritical -and $_.Class -notmatch '^0x0[12]' } | Select-Object -First 1
        Add-KvmHostDevice $script:Stopped -PciAddress $dev.PciAddress -Confirm:$false -WarningAction SilentlyContinue
        $file = Join-Path $script:Dir 'dump-hostdev.xml'
        virsh -c $script:Uri dumpxml --inactive $script:Stopped | Set-Content $file
        virt-xml-validate $file domain 2>&1 | Out-String | Should -Match 'validates'
        [xml] $x = Get-Content $file -Raw
        $h = $x.domain.devices.hostdev
        "$($h.mode) $($h.type) $($h.managed) $($h.driver.name)" | Should -Be 'subsystem pci yes vfio'
        $a = $h.source.address
        ('{0:x4}:{1:x2}:{2:x2}.{3:x}' -f [Convert]::ToInt32($a.domain, 16), [Convert]::ToInt32($a.bus, 16), [Convert]::ToInt32($a.slot, 16), [Convert]::ToInt32($a.function, 16)) |
            Should -Be $dev.PciAddress
        Remove-KvmHostDevice $script:Stopped -PciAddress $dev.PciAddress -Confirm:$false
        virsh -c $script:Uri dumpxml --inactive $script:Stopped | Should -Not -Match '<hostdev'
    }
}

Describe 'Hot-plug into a running domain' -Tag System {
    It 'plugs a virtio disk, a SCSI disk and a NIC in, and takes them out again' {
        $c = Join-Path $script:Dir 'c.qcow2'
        $d = Join-Path $script:Dir 'd.qcow2'
        Add-KvmDisk $script:Running -Path $c -Cache None -IO Native -WarningVariable w1
        Add-KvmDisk $script:Running -Path $d -Bus Scsi
        Add-KvmNetworkAdapter $script:Running -Network $script:Net -MacAddress 52:54:00:6d:00:02 -WarningVariable w2
        @($w1) + @($w2) | Should -BeNullOrEmpty
        Get-Targets $script:Running | Should -Be @('vda', 'sda')
        Get-Targets $script:Running -Inactive | Should -Be @('vda', 'sda')
        Get-Macs $script:Running | Should -Be '52:54:00:6d:00:02'
        Get-Macs $script:Running -Inactive | Should -Be '52:54:00:6d:00:02'

        # A SCSI disk leaves at once; a PCI device leaves when the guest lets it go, and this
        # guest has no OS to do so: then a warning says so and the configuration has it no more.
        Remove-KvmDisk $script:Running sda -Confirm:$false
        Get-Targets $script:Running | Should -Not -Contain 'sda'
        Get-Targets $script:Running -Inactive | Should -Not -Contain 'sda'

        Remove-KvmDisk $script:Running vda -Confirm:$false -WarningVariable w3 -WarningAction SilentlyContinue
        if ((Get-Targets $script:Running) -contains 'vda') { $w3[0] | Should -Match 'has not released disk vda' } else { $w3 | Should -BeNullOrEmpty }
        Get-Targets $script:Running -Inactive | Should -BeNullOrEmpty

        Remove-KvmNetworkAdapter $script:Running 52:54:00:6d:00:02 -Confirm:$false -WarningVariable w4 -WarningAction SilentlyContinue
        if ((Get-Macs $script:Running) -contains '52:54:00:6d:00:02') { $w4[0] | Should -Match 'has not released network adapter' } else { $w4 | Should -BeNullOrEmpty }
        Get-Macs $script:Running -Inactive | Should -BeNullOrEmpty
        Test-Path $c, $d | Should -Be @($true, $true)
    }

    It 'changes the link state and network of a running NIC live, and its queues at the next start' {
        Add-KvmNetworkAdapter $script:Running -Network $script:Net -MacAddress 52:54:00:6d:00:03
        Set-KvmNetworkAdapter $script:Running 52:54:00:6d:00:03 -LinkState Down -Network $script:Net2 -WarningVariable w0
        $w0 | Should -BeNullOrEmpty
        (virsh -c $script:Uri domif-getlink $script:Running 52:54:00:6d:00:03) -join ' ' | Should -Match 'down'
        (virsh -c $script:Uri domiflist $script:Running) -join ' ' | Should -Match "network\s+$($script:Net2)\s+virtio\s+52:54:00:6d:00:03"
        (virsh -c $script:Uri domiflist $script:Running --inactive) -join ' ' | Should -Match "network\s+$($script:Net2)\s+virtio\s+52:54:00:6d:00:03"
        Set-KvmNetworkAdapter $script:Running 52:54:00:6d:00:03 -LinkState Up -Queues 2 -WarningVariable w -WarningAction SilentlyContinue
        (virsh -c $script:Uri domif-getlink $script:Running 52:54:00:6d:00:03) -join ' ' | Should -Match 'up'
        ($w -join ' ') | Should -Match 'queues take effect at the next start'
        [xml] $inactive = virsh -c $script:Uri dumpxml --inactive $script:Running
        ($inactive.domain.devices.interface | Where-Object { $_.mac.address -eq '52:54:00:6d:00:03' }).driver.queues | Should -Be '2'
        [xml] $live = virsh -c $script:Uri dumpxml $script:Running
        ($live.domain.devices.interface | Where-Object { $_.mac.address -eq '52:54:00:6d:00:03' }).driver.queues | Should -BeNullOrEmpty
    }

    It 'puts a SATA disk into the configuration with a warning: QEMU cannot hot-plug it' {
        $e = Join-Path $script:Dir 'e.qcow2'
        Add-KvmDisk $script:Running -Path $e -Bus Sata -Target sdc -WarningVariable w -WarningAction SilentlyContinue
        $w[0] | Should -Match 'SATA'
        Get-Targets $script:Running | Should -Not -Contain 'sdc'
        Get-Targets $script:Running -Inactive | Should -Contain 'sdc'
        Remove-KvmDisk $script:Running sdc -Confirm:$false
        Get-Targets $script:Running -Inactive | Should -Not -Contain 'sdc'
    }
}

Describe 'Hot-plug into a booted guest' -Tag System -Skip:(-not $HaveImageTools) {
    BeforeAll {
        Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
        $script:GuestLog = Join-Path $script:Dir 'guest-serial.log'
        $xml = Join-Path $script:Dir 'guest.xml'
        New-TestGuestDomainXml -Name kvmps-t6d-guest -MemoryMiB 256 -VCpu 2 -SerialLog $script:GuestLog -Hold | Set-Content $xml
        virsh -c $script:Uri define $xml | Out-Null
        virsh -c $script:Uri start kvmps-t6d-guest | Out-Null
        $script:Seen = 1
        $null = Read-TestGuestReport -SerialLog $script:GuestLog -TimeoutSec 120

        function Wait-GuestReport([scriptblock] $Condition, [int] $TimeoutSec = 60) {
            # The held guest prints a report after each change it sees; take them in order until
            # one shows what is expected.
            $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
            while ($true) {
                $left = [int][Math]::Max(1, ($deadline - [DateTime]::UtcNow).TotalSeconds)
                $r = Read-TestGuestReport -SerialLog $script:GuestLog -Occurrence ($script:Seen + 1) -TimeoutSec $left
                $script:Seen++
                if (& $Condition $r) { return $r }
            }
        }
    }

    It 'sees a hot-plugged virtio disk, SCSI disk and NIC, and loses them when they are removed' {
        $c = Join-Path $script:Dir 'guest-c.qcow2'
        $d = Join-Path $script:Dir 'guest-d.qcow2'
        & qemu-img create -q -f qcow2 $c 32M
        & qemu-img create -q -f qcow2 $d 16M
        Add-KvmDisk kvmps-t6d-guest -Path $c -Cache None -IO Native -Discard
        Add-KvmDisk kvmps-t6d-guest -Path $d -Bus Scsi
        Add-KvmNetworkAdapter kvmps-t6d-guest -Network $script:Net -MacAddress 52:54:00:6d:00:10 -Driver Qemu -Queues 2
        $r = Wait-GuestReport { param($r) @($r.disk).Count -ge 2 -and @($r.nic | Where-Object Mac -eq '52:54:00:6d:00:10').Count -eq 1 }
        $vda = $r.disk | Where-Object Name -eq 'vda'
        $vda.Driver | Should -Be 'virtio_blk'
        $vda.Sectors | Should -Be (32MB / 512)
        $sda = $r.disk | Where-Object Name -eq 'sda'
        $sda.Driver | Should -Be 'sd'
        $sda.Sectors | Should -Be (16MB / 512)
        ($r.nic | Where-Object Mac -eq '52:54:00:6d:00:10').Driver | Should -Be 'virtio_net'

        # The guest lets the PCI devices go, so nothing is left pending.
        Remove-KvmDisk kvmps-t6d-guest vda -Confirm:$false -WarningVariable w1
        Remove-KvmDisk kvmps-t6d-guest sda -Confirm:$false -WarningVariable w2
        Remove-KvmNetworkAdapter kvmps-t6d-guest 52:54:00:6d:00:10 -Confirm:$false -WarningVariable w3
        @($w1) + @($w2) + @($w3) | Should -BeNullOrEmpty
        Get-Targets kvmps-t6d-guest | Should -BeNullOrEmpty
        Get-Macs kvmps-t6d-guest | Should -BeNullOrEmpty
        $r = Wait-GuestReport { param($r) -not ($r.PSObject.Properties['disk'] -and $r.disk) -and -not ($r.nic | Where-Object Mac -eq '52:54:00:6d:00:10') }
        $r | Should -Not -BeNullOrEmpty
    }
}

Describe 'Host PCI devices' -Tag System {
    BeforeAll {
        $script:Devices = @(Get-KvmHostDevice)
        $script:Groups = @(Get-ChildItem /sys/kernel/iommu_groups -ErrorAction Ignore)
    }

    It 'lists the PCI devices virsh nodedev-list --cap pci lists' {
        $names = virsh -c $script:Uri nodedev-list --cap pci | Where-Object { $_ }
        $script:Devices.NodeDeviceName | Sort-Object | Should -Be ($names | Sort-Object)
        $script:Devices.PciAddress | Should -Be ($names -replace '^pci_(....)_(..)_(..)_(.)$', '$1:$2:$3.$4' | Sort-Object)
    }

    It 'agrees with sysfs on IOMMU groups, their members and drivers' {
        foreach ($d in $script:Devices) {
            $sys = "/sys/bus/pci/devices/$($d.PciAddress)"
            $groupLink = Join-Path $sys 'iommu_group'
            if (Test-Path $groupLink) {
                $group = [int](Split-Path (Get-Item $groupLink).Target -Leaf)
                $d.IommuGroup | Should -Be $group
                $members = Get-ChildItem "/sys/kernel/iommu_groups/$group/devices" | ForEach-Object Name | Where-Object { $_ -ne $d.PciAddress } | Sort-Object
                @($d.IommuGroupMembers | Sort-Object) | Should -Be @($members)
            } else {
                $d.IommuGroup | Should -BeNullOrEmpty
                $d.Assignable | Should -BeFalse
            }
            $driverLink = Join-Path $sys 'driver'
            $driver = if (Test-Path $driverLink) { Split-Path (Get-Item $driverLink).Target -Leaf } else { $null }
            $d.Driver | Should -Be $driver
        }
    }

    It 'offers nothing as assignable on a host without IOMMU groups' -Skip:((Get-ChildItem /sys/kernel/iommu_groups -ErrorAction Ignore).Count -gt 0) {
        $script:Groups.Count | Should -Be 0
        Get-KvmHostDevice -Assignable | Should -BeNullOrEmpty
        $script:Devices | Where-Object { $null -ne $_.IommuGroup } | Should -BeNullOrEmpty
    }

    It 'lists SR-IOV virtual functions as sysfs has them' {
        foreach ($d in $script:Devices) {
            $vfs = @(Get-ChildItem "/sys/bus/pci/devices/$($d.PciAddress)" -Filter 'virtfn*' -ErrorAction Ignore |
                ForEach-Object { Split-Path $_.Target -Leaf } | Sort-Object)
            @($d.VirtualFunctions | Sort-Object) | Should -Be $vfs
        }
    }
}
