# Network adapters carry the guest's IP addresses where libvirt knows them (virDomainInterfaceAddresses:
# DHCP leases, then the guest agent, then ARP), for running VMs, read by Get-KvmNetworkAdapter.
BeforeDiscovery {
    $script:HaveImageTools = [bool](Get-Command apt-get -ErrorAction Ignore) -and (Test-Path /bin/busybox)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'IP addresses of network adapters, on the test driver' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }
    AfterAll {
        Reset-KvmSession
    }

    It 'gives the running test VM''s adapter the address libvirt reports for it' {
        $virsh = Get-Command virsh -ErrorAction Ignore
        if (-not $virsh) { Set-ItResult -Skipped -Because 'virsh is not installed (the independent view of the addresses)'; return }
        $nic = Get-KvmNetworkAdapter -Name test
        $nic.IPAddresses | Should -BeOfType ([string])
        $line = & virsh -c test:///default domifaddr test --source lease | Select-String "$($nic.MacAddress)\s+ipv4\s+([0-9.]+)/"
        $line | Should -Not -BeNullOrEmpty
        $nic.IPAddresses | Should -Be @($line.Matches[0].Groups[1].Value)
    }

    It 'has none for a shut-off VM, nor for -Config, and Get-KvmVM does not read them' {
        New-KvmVM -Name kvmps-addr-off -Memory 256MB -Network default
        try {
            (Get-KvmNetworkAdapter -Name kvmps-addr-off).IPAddresses | Should -BeNullOrEmpty
            (Get-KvmNetworkAdapter -Name test -Config).IPAddresses | Should -BeNullOrEmpty
            (Get-KvmVM test).NetworkAdapters.IPAddresses | Should -BeNullOrEmpty -Because 'listing VMs stays one read per VM'
        } finally {
            Remove-KvmVM kvmps-addr-off -Confirm:$false
        }
    }

    It 'is a read-only string array' {
        $nic = Get-KvmNetworkAdapter -Name test
        , $nic.IPAddresses | Should -BeOfType ([string[]])
        { $nic.IPAddresses = @('10.0.0.1') } | Should -Throw -ExpectedMessage '*ReadOnly*'
    }

    It 'shows the addresses in the list view' {
        Get-KvmNetworkAdapter -Name test | Format-List | Out-String | Should -Match 'IPAddresses\s*:\s*\{?192\.168\.122\.3'
    }
}

Describe 'IP addresses of a real guest' -Tag System -Skip:(-not $HaveImageTools) {
    BeforeAll {
        Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
        $script:U = 'qemu:///system'
        $script:Image = Get-TestGuestImage
        $script:Work = New-TestGuestWorkDirectory -Prefix 'kvmps-addr-' -Parent /var/lib/libvirt/images
        Reset-KvmSession
        New-KvmNetwork -Uri $U -Name kvmps-addr-net -Subnet 10.231.61.0/24 -Start
        New-KvmVM -Uri $U -Name kvmps-addr-1 -Memory 256MB -Graphics None -Network kvmps-addr-net -MacAddress 52:54:00:61:00:01 -OSVariant linux2022 `
            -Kernel $Image.Kernel -Initrd $Image.Initrd -KernelArgs (Get-TestGuestKernelCmdline -Hold -Extra 'kvmps.dhcp=1') `
            -SerialLogPath (Join-Path $Work 'serial.log') -Start -WarningAction SilentlyContinue
        $null = Read-TestGuestReport -SerialLog (Join-Path $Work 'serial.log') -TimeoutSec 120
    }
    AfterAll {
        virsh -c $script:U destroy kvmps-addr-1 *> $null
        virsh -c $script:U undefine kvmps-addr-1 *> $null
        Remove-KvmNetwork -Uri $script:U kvmps-addr-net -Confirm:$false -ErrorAction SilentlyContinue
        Remove-Item $script:Work -Recurse -Force -ErrorAction Ignore
    }

    It 'carries the address the guest leased, as virsh domifaddr and the network''s leases show it' {
        $null = Wait-Until { (Get-KvmNetworkAdapter -Uri $U kvmps-addr-1).IPAddresses } -TimeoutSec 30
        $nic = Get-KvmNetworkAdapter -Uri $U kvmps-addr-1
        $nic.IPAddresses.Count | Should -Be 1
        $nic.IPAddresses[0] | Should -Match '^10\.231\.61\.\d+$'
        $v = virsh -c $U domifaddr kvmps-addr-1 --source lease | Select-String '52:54:00:61:00:01\s+ipv4\s+([0-9.]+)/'
        $nic.IPAddresses[0] | Should -Be $v.Matches[0].Groups[1].Value
        (Get-KvmNetworkLease -Uri $U kvmps-addr-net -MacAddress 52:54:00:61:00:01).IPAddress | Should -Be $nic.IPAddresses[0]
    }

    It 'has none once the guest is off' {
        virsh -c $U destroy kvmps-addr-1 *> $null
        (Get-KvmNetworkAdapter -Uri $U kvmps-addr-1).IPAddresses | Should -BeNullOrEmpty
    }
}
