# New-KvmVM -HostDevice on a test-driver host with node devices (the PCI devices of
# tests/fixtures/nodedev, one USB mouse and two USB keys of the same vendor and product): each
# form of the name, the <hostdev> written, and the refusals before anything is made.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-newvmhostdev-$PID"
    $null = New-Item -ItemType Directory -Force -Path $script:Dir
    function Usb([string] $Name, [int] $Bus, [int] $Device, [string] $Vendor, [string] $Product) {
        "<device><name>$Name</name><parent>computer</parent><capability type='usb_device'><bus>$Bus</bus><device>$Device</device>" +
        "<product id='$Product'>P</product><vendor id='$Vendor'>V</vendor></capability></device>"
    }
    $pci = Get-ChildItem (Join-Path $script:RepoRoot 'tests/fixtures/nodedev') -Filter '*.xml' | ForEach-Object { Get-Content $_ -Raw }
    $usb = (Usb usb_1_2 1 2 '0x046d' '0xc077'), (Usb usb_1_3 1 3 '0x0781' '0x5567'), (Usb usb_2_4 2 4 '0x0781' '0x5567')
    $file = Join-Path $script:Dir 'host.xml'
    "<node>$($pci -join '')$($usb -join '')</node>" | Set-Content $file
    $script:HostUri = "test://$file"
    $PSDefaultParameterValues = @{ 'New-KvmVM:OSVariant' = 'generic'; 'New-KvmVM:NoNetwork' = $true; 'New-KvmVM:Uri' = $script:HostUri }
    function Get-Hostdevs([string] $Xml) { @(([xml] $Xml).domain.devices.hostdev) }
}

AfterAll {
    Reset-KvmSession
    Remove-Item $script:Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'New-KvmVM -HostDevice' {
    It 'takes a node device name, a PCI address and a short PCI address, each as a managed PCI hostdev' {
        $xml = New-KvmVM -Name hd1 -Memory 256MB -HostDevice pci_0000_01_00_0, 0000:03:00.0, 00:1f.3 -PrintXml
        $h = Get-Hostdevs $xml
        $h.Count | Should -Be 3
        $h | ForEach-Object { $_.mode; $_.type; $_.managed } | Sort-Object -Unique | Should -Be @('pci', 'subsystem', 'yes')
        $a = $h | ForEach-Object { $s = $_.source.address; "$($s.domain):$($s.bus):$($s.slot).$($s.function)" }
        $a | Should -Be @('0x0000:0x01:0x00.0x0', '0x0000:0x03:0x00.0x0', '0x0000:0x00:0x1f.0x3')
    }

    It 'writes USB by vendor and product, with bus and device when the host has two alike' {
        $h = Get-Hostdevs (New-KvmVM -Name hd2 -Memory 256MB -HostDevice 0x046d:0xc077, usb_2_4 -PrintXml)
        $h.Count | Should -Be 2
        $h[0].type | Should -Be 'usb'
        $h[0].source.vendor.id | Should -Be '0x046d'
        $h[0].source.product.id | Should -Be '0xc077'
        $h[0].source.address | Should -BeNullOrEmpty
        $h[1].source.vendor.id | Should -Be '0x0781'
        $h[1].source.address.bus | Should -Be '2'
        $h[1].source.address.device | Should -Be '4'
    }

    It 'defines the VM with the host devices' {
        New-KvmVM -Name hd3 -Memory 256MB -HostDevice usb_1_2, pci_0000_03_10_0 | Out-Null
        $h = Get-Hostdevs (Export-KvmVM -Uri $HostUri hd3)
        @($h | ForEach-Object type) | Should -Be @('usb', 'pci')
        Remove-KvmVM -Uri $HostUri hd3 -Confirm:$false
    }

    It 'refuses <Given> with <Id> (<Category>) before anything is made' -ForEach @(
        @{ Given = 'pci_0000_09_00_0'; Id = 'HostDeviceNotFound'; Category = 'ObjectNotFound'; Target = 'pci_0000_09_00_0' }
        @{ Given = '0000:09:00.0'; Id = 'HostDeviceNotFound'; Category = 'ObjectNotFound'; Target = '0000:09:00.0' }
        @{ Given = '0x1234:0x5678'; Id = 'HostDeviceNotFound'; Category = 'ObjectNotFound'; Target = '0x1234:0x5678' }
        @{ Given = '0781:5567'; Id = 'AmbiguousHostDevice'; Category = 'InvalidArgument'; Target = 'hd4' }
        @{ Given = 'not-a-device'; Id = 'InvalidHostDevice'; Category = 'InvalidArgument'; Target = 'hd4' }
    ) {
        New-KvmVM -Name hd4 -Memory 256MB -DiskPath (Join-Path $script:Dir 'hd4.qcow2') -DiskSize 16MB -HostDevice $Given -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,KvmPS.Commands.NewKvmVMCommand"
        $err[0].CategoryInfo.Category | Should -Be $Category
        $err[0].TargetObject | Should -Be $Target
        if ($Id -eq 'HostDeviceNotFound') { $err[0].Exception.Message | Should -Match ([regex]::Escape($Given)) }
        Get-KvmVM -Uri $HostUri hd4 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Join-Path $script:Dir 'hd4.qcow2' | Should -Not -Exist
    }
}
