# Add-KvmHostDevice refuses a device the host uses unless -Force. The test driver's PCI devices
# (tests/fixtures/nodedev and nodedev-hostuse) are checked against the fixture host tree that
# KVMPS_HOST_ROOT names: tests/fixtures/hosts/pci-nic-in-use, pci-root-disk or pci-idle.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-hostuse-$PID"
    $null = New-Item -ItemType Directory -Force -Path $script:Dir
    $devices = 'nodedev', 'nodedev-hostuse' | ForEach-Object {
        Get-ChildItem (Join-Path $script:RepoRoot "tests/fixtures/$_") -Filter '*.xml' | ForEach-Object { Get-Content $_ -Raw }
    }
    $script:HostFile = Join-Path $script:Dir 'pci-host.xml'
    "<node>$($devices -join '')</node>" |
        Set-Content $script:HostFile
    $script:PciHost = "test://$($script:HostFile)"
    $script:OldRoot = $env:KVMPS_HOST_ROOT

    function Use-Tree([string] $Name) {
        $env:KVMPS_HOST_ROOT = Join-Path $script:RepoRoot "tests/fixtures/hosts/$Name"
    }

    function Add-Device([string] $Address, [switch] $Force) {
        # Collects the errors of one Add-KvmHostDevice; returns them.
        $err = $null
        Add-KvmHostDevice -Uri $script:PciHost pt1 -PciAddress $Address -Force:$Force -Confirm:$false `
            -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -ErrorVariable err
        , @($err)
    }

    function Devices { @((Get-KvmVM -Uri $script:PciHost pt1).HostDevices) }
}

AfterAll {
    $env:KVMPS_HOST_ROOT = $script:OldRoot
    Reset-KvmSession
    Remove-Item $script:Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'Add-KvmHostDevice and devices the host uses' {
    BeforeEach {
        Reset-KvmSession
        Copy-Item $script:HostFile "$($script:HostFile).run" -Force
        $script:PciHost = "test://$($script:HostFile).run"
        # A VM that is shut off: its definition is the one that changes.
        $null = New-KvmVM -Uri $script:PciHost -Name pt1 -Memory 256MB
    }
    AfterEach {
        $env:KVMPS_HOST_ROOT = $script:OldRoot
    }

    It 'asks as a high-impact change' {
        (Get-Command Add-KvmHostDevice).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be 'High'
    }

    It 'refuses a NIC whose interface is up with routes, naming the interface and -Force' {
        Use-Tree pci-nic-in-use
        $before = Export-KvmVM -Uri $script:PciHost pt1
        $err = Add-Device 0000:03:00.0
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'HostDeviceInUse,KvmPS.Commands.AddKvmHostDeviceCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
        $err[0].TargetObject | Should -Be '0000:03:00.0'
        $err[0].Exception.Message | Should -Match 'eno1 is up, carries routes \(default via 192\.168\.1\.1'
        $err[0].Exception.Message | Should -Match '-Force'
        Export-KvmVM -Uri $script:PciHost pt1 | Should -Be $before
    }

    It 'refuses a device whose IOMMU group holds a bridge port' {
        Use-Tree pci-nic-in-use
        $err = Add-Device 0000:05:00.0
        $err[0].FullyQualifiedErrorId | Should -Be 'HostDeviceInUse,KvmPS.Commands.AddKvmHostDeviceCommand'
        $err[0].Exception.Message | Should -Match '0000:05:00\.1 .*IOMMU group.*enp5s0f1 is up and is a port of br0'
        Devices | Should -BeNullOrEmpty
    }

    It 'refuses the disk controller that holds the root file system, swap and /boot/efi' {
        Use-Tree pci-root-disk
        $err = Add-Device 0000:00:17.0
        $err[0].FullyQualifiedErrorId | Should -Be 'HostDeviceInUse,KvmPS.Commands.AddKvmHostDeviceCommand'
        $m = $err[0].Exception.Message
        $m | Should -Match 'sda1 is mounted at /boot/efi'
        $m | Should -Match 'dm-0 \(vg0-root\), which is mounted at /'
        $m | Should -Match 'vg0-swap\), which is in use as swap'
        Devices | Should -BeNullOrEmpty
    }

    It 'passes an idle device, and a used one with -Force' {
        Use-Tree pci-root-disk
        (Add-Device 0000:04:00.0).Count | Should -Be 0
        (Add-Device 0000:00:17.0 -Force).Count | Should -Be 0
        Devices | Sort-Object | Should -Be @('0000:00:17.0', '0000:04:00.0')
    }

    It 'passes the same devices when the host does not use them' {
        Use-Tree pci-idle
        (Add-Device 0000:03:00.0).Count | Should -Be 0
        (Add-Device 0000:00:17.0).Count | Should -Be 0
        Devices | Sort-Object | Should -Be @('0000:00:17.0', '0000:03:00.0')
    }

    It 'still refuses a bridge with -Force' {
        Use-Tree pci-idle
        $err = Add-Device 0000:00:1f.0 -Force
        $err[0].FullyQualifiedErrorId | Should -Be 'HostCriticalDevice,KvmPS.Commands.AddKvmHostDeviceCommand'
    }

    It 'changes nothing under -WhatIf' {
        Use-Tree pci-idle
        Add-KvmHostDevice -Uri $script:PciHost pt1 -PciAddress 0000:03:00.0 -WhatIf
        Devices | Should -BeNullOrEmpty
    }
}
