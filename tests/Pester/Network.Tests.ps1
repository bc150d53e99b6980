# Networks: the logic and every refusal on libvirt's test driver; the truth (bridges, addresses,
# dnsmasq, leases, schema) on the real libvirtd, whose networks live in its own namespace.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:EmptyHost = "test:///$($script:RepoRoot)/tests/fixtures/testdriver/empty-host.xml"

    function Assert-Refused($Err, [string] $Id, [string] $Category, [string] $Command = 'NewKvmNetworkCommand') {
        $Err.Count | Should -Be 1 -Because "one error record for $Id"
        $Err[0].FullyQualifiedErrorId | Should -Be "$Id,KvmPS.Commands.$Command"
        $Err[0].CategoryInfo.Category | Should -Be $Category
        $Err[0].Exception.Message | Should -Not -BeNullOrEmpty
    }
}

Describe 'New-KvmNetwork on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'defines the classic NAT network from a subnet: gateway .1, DHCP .2 to .254' {
        $n = New-KvmNetwork -Name kvmps-t4n-a -Subnet 10.231.1.0/24 -PassThru
        $n | Should -BeOfType ([KvmPS.KvmNetwork])
        $n.Name | Should -Be 'kvmps-t4n-a'
        $n.Mode | Should -Be 'Nat'
        $n.Subnet | Should -Be '10.231.1.0/24'
        $n.Gateway | Should -Be '10.231.1.1'
        $n.DhcpStart | Should -Be '10.231.1.2'
        $n.DhcpEnd | Should -Be '10.231.1.254'
        $n.Subnet6 | Should -BeNullOrEmpty
        $n.IsActive | Should -BeFalse
        $n.Autostart | Should -BeFalse
        $n.Persistent | Should -BeTrue
        $n.Uuid | Should -Not -Be ([guid]::Empty)
        $n.Uri | Should -Be 'test:///default'
    }

    It 'returns nothing without -PassThru' {
        New-KvmNetwork -Name kvmps-t4n-b -Subnet 10.231.2.0/24 | Should -BeNullOrEmpty
        (Get-KvmNetwork kvmps-t4n-b).Subnet | Should -Be '10.231.2.0/24'
    }

    It 'starts and autostarts with -Start -Autostart' {
        $n = New-KvmNetwork -Name kvmps-t4n-c -Subnet 10.231.3.0/24 -Start -Autostart -PassThru
        $n.IsActive | Should -BeTrue
        $n.Autostart | Should -BeTrue
    }

    It 'plans IPv6 next to IPv4: gateway ::1 and a DHCPv6 range' {
        $n = New-KvmNetwork -Name kvmps-t4n-v6 -Subnet 10.231.4.0/24, fd31:4e:4::/64 -DnsDomain t4n.test -PassThru
        $n.Subnet6 | Should -Be 'fd31:4e:4::/64'
        $n.Gateway6 | Should -Be 'fd31:4e:4::1'
        $n.DhcpStart6 | Should -Be 'fd31:4e:4::2'
        $n.DhcpEnd6 | Should -Be 'fd31:4e:4::ffff'
        $n.DnsDomain | Should -Be 't4n.test'
    }

    It 'keeps a given DHCP range and -NoDhcp leaves none' {
        (New-KvmNetwork -Name kvmps-t4n-r -Subnet 10.231.5.0/24 -DhcpStart 10.231.5.100 -DhcpEnd 10.231.5.199 -PassThru) |
            ForEach-Object { "$($_.DhcpStart)-$($_.DhcpEnd)" } | Should -Be '10.231.5.100-10.231.5.199'
        $s = New-KvmNetwork -Name kvmps-t4n-s -Mode Route -Subnet 10.231.6.0/24 -NoDhcp -PassThru
        $s.Mode | Should -Be 'Route'
        $s.Gateway | Should -Be '10.231.6.1'
        $s.DhcpStart | Should -BeNullOrEmpty
    }

    It 'attaches Bridge mode to a host bridge with no subnet of its own' {
        $n = New-KvmNetwork -Name kvmps-t4n-br -HostBridge br0 -PassThru
        $n.Mode | Should -Be 'Bridge'
        $n.ForwardMode | Should -Be 'bridge'
        $n.HostBridge | Should -Be 'br0'
        $n.BridgeName | Should -Be 'br0'
        $n.Subnet | Should -BeNullOrEmpty
        $n.DhcpStart | Should -BeNullOrEmpty
    }

    It 'makes an isolated network without addresses' {
        $n = New-KvmNetwork -Name kvmps-t4n-iso -Mode Isolated -PassThru
        $n.Mode | Should -Be 'Isolated'
        $n.ForwardMode | Should -Be ''
        $n.Subnet | Should -BeNullOrEmpty
    }

    It 'picks the first free 192.168.x.0/24 without -Subnet, and says so' {
        $out = New-KvmNetwork -Name kvmps-t4n-auto -PassThru -Verbose 4>&1
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain 'No -Subnet given: using 192.168.123.0/24, the first free 192.168.x.0/24.'
        ($out | Where-Object { $_ -is [KvmPS.KvmNetwork] }).Subnet | Should -Be '192.168.123.0/24'
    }

    It 'converges: the same request again is no error, changes nothing and says so with -Verbose' {
        $a = New-KvmNetwork -Name kvmps-t4n-same -Subnet 10.231.7.0/24 -DnsDomain same.test -PassThru
        $out = New-KvmNetwork -Name kvmps-t4n-same -Subnet 10.231.7.0/24 -DnsDomain same.test -PassThru -Verbose -ErrorVariable err 4>&1
        $err.Count | Should -Be 0
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Match "Network 'kvmps-t4n-same' already exists as requested"
        $b = $out | Where-Object { $_ -is [KvmPS.KvmNetwork] }
        $b.Uuid | Should -Be $a.Uuid
        @(Get-KvmNetwork 'kvmps-t4n-same*').Count | Should -Be 1
        # Without -Subnet the request means "a free subnet": the one the network has.
        New-KvmNetwork -Name kvmps-t4n-auto2
        New-KvmNetwork -Name kvmps-t4n-auto2 -ErrorVariable err2
        $err2.Count | Should -Be 0
    }

    It 'converges state too: a re-run with -Start starts the existing network' {
        New-KvmNetwork -Name kvmps-t4n-late -Subnet 10.231.8.0/24
        (New-KvmNetwork -Name kvmps-t4n-late -Subnet 10.231.8.0/24 -Start -Autostart -PassThru) | ForEach-Object { $_.IsActive, $_.Autostart } |
            Should -Be @($true, $true)
    }

    It 'refuses a name used by a different network with ResourceExists and leaves it as it was' {
        New-KvmNetwork -Name kvmps-t4n-dup -Subnet 10.231.9.0/24
        $before = Get-KvmNetwork kvmps-t4n-dup
        New-KvmNetwork -Name kvmps-t4n-dup -Subnet 10.231.10.0/24 -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-Refused $err 'NetworkExists' 'ResourceExists'
        $err[0].TargetObject | Should -Be 'kvmps-t4n-dup'
        $err[0].Exception.Message | Should -Match 'Subnet is 10\.231\.9\.0/24 \(requested 10\.231\.10\.0/24\)'
        $after = Get-KvmNetwork kvmps-t4n-dup
        $after.Subnet | Should -Be $before.Subnet
        $after.Uuid | Should -Be $before.Uuid
        Get-KvmNetwork 'kvmps-t4n-*' | Where-Object Subnet -eq '10.231.10.0/24' | Should -BeNullOrEmpty
        New-KvmNetwork -Name default -Subnet 10.231.11.0/24 -ErrorAction SilentlyContinue -ErrorVariable err2
        Assert-Refused $err2 'NetworkExists' 'ResourceExists'
    }

    It 'refuses <Case> with <Id> (<Category>) and defines nothing' -ForEach @(
        @{ Case = 'a malformed subnet'; Params = @{ Subnet = '10.231.300.0/24' }; Id = 'InvalidSubnet'; Category = 'InvalidArgument' }
        @{ Case = 'a subnet with host bits'; Params = @{ Subnet = '10.231.12.1/24' }; Id = 'InvalidSubnet'; Category = 'InvalidArgument' }
        @{ Case = 'a too small subnet'; Params = @{ Subnet = '10.231.12.0/31' }; Id = 'SubnetTooSmall'; Category = 'InvalidArgument' }
        @{ Case = 'two IPv4 subnets'; Params = @{ Subnet = '10.231.12.0/24', '10.231.13.0/24' }; Id = 'TooManySubnets'; Category = 'InvalidArgument' }
        @{ Case = 'a DHCP start outside the subnet'; Params = @{ Subnet = '10.231.12.0/24'; DhcpStart = '10.231.13.2' }; Id = 'DhcpRangeOutsideSubnet'; Category = 'InvalidArgument' }
        @{ Case = 'a DHCP end on the broadcast address'; Params = @{ Subnet = '10.231.12.0/24'; DhcpEnd = '10.231.12.255' }; Id = 'DhcpRangeOutsideSubnet'; Category = 'InvalidArgument' }
        @{ Case = 'a DHCP range that ends before it starts'; Params = @{ Subnet = '10.231.12.0/24'; DhcpStart = '10.231.12.9'; DhcpEnd = '10.231.12.3' }; Id = 'InvalidDhcpRange'; Category = 'InvalidArgument' }
        @{ Case = 'a malformed DHCP address'; Params = @{ Subnet = '10.231.12.0/24'; DhcpStart = '10.231.12' }; Id = 'InvalidAddress'; Category = 'InvalidArgument' }
        @{ Case = 'a DHCP range without its subnet'; Params = @{ Subnet = '10.231.12.0/24'; DhcpStart = 'fd31:4e:c::5' }; Id = 'DhcpRangeWithoutSubnet'; Category = 'InvalidArgument' }
        @{ Case = '-NoDhcp with a range'; Params = @{ Subnet = '10.231.12.0/24'; NoDhcp = $true; DhcpEnd = '10.231.12.9' }; Id = 'ConflictingDhcpParameters'; Category = 'InvalidArgument' }
        @{ Case = 'Bridge mode without a host bridge'; Params = @{ Mode = 'Bridge' }; Id = 'MissingHostBridge'; Category = 'InvalidArgument' }
        @{ Case = 'Bridge mode with a subnet'; Params = @{ HostBridge = 'br0'; Subnet = '10.231.12.0/24' }; Id = 'ParameterNotValidForMode'; Category = 'InvalidArgument' }
        @{ Case = 'a host bridge in Nat mode'; Params = @{ Mode = 'Nat'; HostBridge = 'br0' }; Id = 'ParameterNotValidForMode'; Category = 'InvalidArgument' }
        @{ Case = 'a bad bridge name'; Params = @{ BridgeName = 'a-much-too-long-name' }; Id = 'InvalidBridgeName'; Category = 'InvalidArgument' }
        @{ Case = 'a bad DNS domain'; Params = @{ Subnet = '10.231.12.0/24'; DnsDomain = 'bad_domain' }; Id = 'InvalidDnsDomain'; Category = 'InvalidArgument' }
        @{ Case = 'a name with a slash'; Params = @{ Subnet = '10.231.12.0/24' }; Name = 'kvmps-t4n/x'; Id = 'InvalidNetworkName'; Category = 'InvalidArgument' }
        @{ Case = 'a subnet overlapping another network'; Params = @{ Subnet = '192.168.122.128/25' }; Id = 'SubnetOverlapsNetwork'; Category = 'ResourceExists' }
        @{ Case = 'a subnet containing another network'; Params = @{ Subnet = '192.168.0.0/16' }; Id = 'SubnetOverlapsNetwork'; Category = 'ResourceExists' }
        @{ Case = 'the bridge of another network'; Params = @{ Subnet = '10.231.12.0/24'; BridgeName = 'virbr0' }; Id = 'BridgeNameInUse'; Category = 'ResourceExists' }
    ) {
        $name = if ($Name) { $Name } else { 'kvmps-t4n-bad' }
        $before = @(Get-KvmNetwork).Name
        New-KvmNetwork -Name $name @Params -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-Refused $err $Id $Category
        $err[0].TargetObject | Should -Be $name
        @(Get-KvmNetwork).Name | Should -Be $before
        # The default network it may have clashed with is untouched.
        (Get-KvmNetwork default).Subnet | Should -Be '192.168.122.0/24'
    }

    It 'stops with -ErrorAction Stop' {
        { New-KvmNetwork -Name kvmps-t4n-bad -Subnet 10.231.12.1/24 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSubnet,KvmPS.Commands.NewKvmNetworkCommand'
    }

    It 'changes nothing with -WhatIf' {
        New-KvmNetwork -Name kvmps-t4n-wi -Subnet 10.231.13.0/24 -Start -WhatIf
        Get-KvmNetwork kvmps-t4n-wi -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'defines networks from piped objects, and one bad object does not stop the others' {
        $rows = @(
            [pscustomobject]@{ Name = 'kvmps-t4n-p1'; Mode = 'Isolated' }
            [pscustomobject]@{ Name = 'kvmps-t4n-p2'; Subnet = '10.231.14.1/24' }
            [pscustomobject]@{ Name = 'kvmps-t4n-p3'; HostBridge = 'br0' }
            [pscustomobject]@{ Name = 'kvmps-t4n-p4'; Subnet = '10.231.15.0/24'; DhcpStart = '10.231.15.50' }
        )
        $made = $rows | New-KvmNetwork -PassThru -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].TargetObject | Should -Be 'kvmps-t4n-p2'
        $made.Name | Should -Be @('kvmps-t4n-p1', 'kvmps-t4n-p3', 'kvmps-t4n-p4')
        $made.Mode | Should -Be @('Isolated', 'Bridge', 'Nat')
        ($made | Where-Object Name -eq 'kvmps-t4n-p4').DhcpStart | Should -Be '10.231.15.50'
    }

    It 'copies a network to another host by piping it' {
        New-KvmNetwork -Name kvmps-t4n-copy -Subnet 10.231.16.0/24 -DhcpStart 10.231.16.10 -DnsDomain copy.test
        Get-KvmNetwork kvmps-t4n-copy | New-KvmNetwork -Uri $script:EmptyHost
        $copy = Get-KvmNetwork -Uri $script:EmptyHost kvmps-t4n-copy
        $copy.Subnet, $copy.DhcpStart, $copy.DnsDomain | Should -Be @('10.231.16.0/24', '10.231.16.10', 'copy.test')
        $copy.Uri | Should -Be $script:EmptyHost
    }
}

Describe 'Get-KvmNetwork' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmNetwork -Name kvmps-t4n-g1 -Subnet 10.231.17.0/24
        New-KvmNetwork -Name kvmps-t4n-g2 -Mode Isolated
    }

    It 'lists every network, sorted by name' {
        (Get-KvmNetwork).Name | Should -Be @('default', 'kvmps-t4n-g1', 'kvmps-t4n-g2')
    }

    It 'reads the test driver''s default network as libvirt has it' {
        $d = Get-KvmNetwork default
        $d.Mode | Should -Be 'Nat'
        $d.BridgeName | Should -Be 'virbr0'
        $d.Subnet | Should -Be '192.168.122.0/24'
        $d.Gateway | Should -Be '192.168.122.1'
        $d.DhcpStart | Should -Be '192.168.122.2'
        $d.DhcpEnd | Should -Be '192.168.122.254'
        $d.IsActive | Should -BeTrue
        $d.Uuid | Should -Be 'dd8fe884-6c02-601e-7551-cca97df1c5df'
    }

    It 'filters by wildcard; a missing literal name is ObjectNotFound, a wildcard is silent' {
        (Get-KvmNetwork 'kvmps-t4n-g*').Name | Should -Be @('kvmps-t4n-g1', 'kvmps-t4n-g2')
        Get-KvmNetwork nope, default -ErrorAction SilentlyContinue -ErrorVariable err | ForEach-Object Name | Should -Be 'default'
        Assert-Refused $err 'NetworkNotFound' 'ObjectNotFound' 'GetKvmNetworkCommand'
        $err[0].TargetObject | Should -Be 'nope'
        Get-KvmNetwork 'zz*' -ErrorVariable err2 | Should -BeNullOrEmpty
        $err2.Count | Should -Be 0
    }

    It 'takes names from the pipeline' {
        ('kvmps-t4n-g1', 'default' | Get-KvmNetwork).Name | Should -Be @('kvmps-t4n-g1', 'default')
    }

    It 'prints a table' {
        $text = Get-KvmNetwork default | Out-String
        $text | Should -Match 'Gateway'
        $text | Should -Match 'default\s+Nat\s+True\s+False\s+virbr0\s+192\.168\.122\.0/24'
    }

    It 'completes network names' {
        $line = 'Start-KvmNetwork -Name kvmps-t4n-g'
        $r = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)
        $r.CompletionMatches.CompletionText | Should -Be @('kvmps-t4n-g1', 'kvmps-t4n-g2')
    }
}

Describe 'Network lifecycle on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmNetwork -Name kvmps-t4n-l1 -Subnet 10.231.18.0/24
    }

    It 'starts, is idempotent about it, and stops' {
        (Start-KvmNetwork kvmps-t4n-l1 -PassThru).IsActive | Should -BeTrue
        $out = Start-KvmNetwork kvmps-t4n-l1 -Verbose 4>&1
        $out.Message | Should -Be "Network 'kvmps-t4n-l1' is already running."
        (Stop-KvmNetwork kvmps-t4n-l1 -PassThru).IsActive | Should -BeFalse
    }

    It 'refuses to stop or remove a network running VMs use, unless -Force' {
        Stop-KvmNetwork default -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-Refused $err 'NetworkInUse' 'InvalidOperation' 'StopKvmNetworkCommand'
        $err[0].Exception.Message | Should -Match 'running VM\(s\): test'
        Remove-KvmNetwork default -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err2
        Assert-Refused $err2 'NetworkInUse' 'InvalidOperation' 'RemoveKvmNetworkCommand'
        (Get-KvmNetwork default).IsActive | Should -BeTrue
        Stop-KvmNetwork default -Force -Confirm:$false
        (Get-KvmNetwork default).IsActive | Should -BeFalse
    }

    It 'sets autostart' {
        (Set-KvmNetwork kvmps-t4n-l1 -Autostart $true -PassThru).Autostart | Should -BeTrue
        Set-KvmNetwork kvmps-t4n-l1 -Autostart $false
        (Get-KvmNetwork kvmps-t4n-l1).Autostart | Should -BeFalse
    }

    It 'removes a running network: stops, then undefines' {
        Start-KvmNetwork kvmps-t4n-l1
        $out = Remove-KvmNetwork kvmps-t4n-l1 -Confirm:$false -Verbose 4>&1
        $out.Message | Should -Contain "Stopped network 'kvmps-t4n-l1'."
        Get-KvmNetwork kvmps-t4n-l1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'is ConfirmImpact High for Remove-KvmNetwork and changes nothing with -WhatIf' {
        $attr = (Get-Command Remove-KvmNetwork).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)
        $attr[0].ConfirmImpact | Should -Be 'High'
        Remove-KvmNetwork kvmps-t4n-l1 -WhatIf
        Stop-KvmNetwork default -Force -WhatIf
        Set-KvmNetwork kvmps-t4n-l1 -Autostart $true -WhatIf
        Start-KvmNetwork kvmps-t4n-l1 -WhatIf
        $n = Get-KvmNetwork kvmps-t4n-l1
        $n.IsActive, $n.Autostart | Should -Be @($false, $false)
        (Get-KvmNetwork default).IsActive | Should -BeTrue
    }

    It 'acts on every piped network even when one fails' {
        New-KvmNetwork -Name kvmps-t4n-l2 -Mode Isolated
        'nope', 'kvmps-t4n-l1', 'kvmps-t4n-l2' | Start-KvmNetwork -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-Refused $err 'NetworkNotFound' 'ObjectNotFound' 'StartKvmNetworkCommand'
        $err[0].TargetObject | Should -Be 'nope'
        (Get-KvmNetwork 'kvmps-t4n-l*').IsActive | Should -Be @($true, $true)
        Get-KvmNetwork 'kvmps-t4n-l*' | Remove-KvmNetwork -Confirm:$false
        Get-KvmNetwork 'kvmps-t4n-*' | Should -BeNullOrEmpty
    }

    It 'acts on the host a piped network came from' {
        New-KvmNetwork -Uri $script:EmptyHost -Name kvmps-t4n-other -Subnet 10.231.19.0/24
        Get-KvmNetwork -Uri $script:EmptyHost kvmps-t4n-other | Start-KvmNetwork
        (Get-KvmNetwork -Uri $script:EmptyHost kvmps-t4n-other).IsActive | Should -BeTrue
        Get-KvmNetwork kvmps-t4n-other -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'DHCP reservations on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmNetwork -Name kvmps-t4n-res -Subnet 10.231.20.0/24 -Start
    }

    It 'adds a reservation live and to the config, and returns it with -PassThru' {
        $r = Add-KvmNetworkReservation kvmps-t4n-res -MacAddress 52:54:00:31:4E:01 -IPAddress 10.231.20.50 -HostName guest1 -PassThru
        $r | Should -BeOfType ([KvmPS.KvmNetworkReservation])
        $r.MacAddress, $r.IPAddress, $r.HostName, $r.Network | Should -Be @('52:54:00:31:4e:01', '10.231.20.50', 'guest1', 'kvmps-t4n-res')
        $res = (Get-KvmNetwork kvmps-t4n-res).Reservations
        $res.MacAddress | Should -Be '52:54:00:31:4e:01'
        $res.IPAddress | Should -Be '10.231.20.50'
    }

    It 'picks the lowest free address of the DHCP range without -IPAddress' {
        Add-KvmNetworkReservation kvmps-t4n-res 52:54:00:31:4e:02 10.231.20.2
        (Add-KvmNetworkReservation kvmps-t4n-res 52:54:00:31:4e:03 -PassThru).IPAddress | Should -Be '10.231.20.3'
    }

    It 'converges: the same reservation again is no error' {
        Add-KvmNetworkReservation kvmps-t4n-res 52:54:00:31:4e:04 10.231.20.60 -HostName g4
        $out = Add-KvmNetworkReservation kvmps-t4n-res 52:54:00:31:4e:04 10.231.20.60 -HostName g4 -Verbose -ErrorVariable err 4>&1
        $err.Count | Should -Be 0
        $out.Message | Should -Match 'already reserves 10\.231\.20\.60'
        @((Get-KvmNetwork kvmps-t4n-res).Reservations).Count | Should -Be 1
    }

    It 'refuses <Case> with <Id> and adds nothing' -ForEach @(
        @{ Case = 'an address outside the subnet'; Mac = '52:54:00:31:4e:10'; Ip = '10.231.21.5'; Id = 'AddressOutsideSubnet'; Category = 'InvalidArgument' }
        @{ Case = 'the gateway address'; Mac = '52:54:00:31:4e:10'; Ip = '10.231.20.1'; Id = 'AddressOutsideSubnet'; Category = 'InvalidArgument' }
        @{ Case = 'the broadcast address'; Mac = '52:54:00:31:4e:10'; Ip = '10.231.20.255'; Id = 'AddressOutsideSubnet'; Category = 'InvalidArgument' }
        @{ Case = 'a malformed address'; Mac = '52:54:00:31:4e:10'; Ip = '10.231.20.x'; Id = 'InvalidAddress'; Category = 'InvalidArgument' }
        @{ Case = 'an IPv6 address'; Mac = '52:54:00:31:4e:10'; Ip = 'fd31:4e::5'; Id = 'IPv6ReservationNotSupported'; Category = 'InvalidArgument' }
        @{ Case = 'a malformed MAC'; Mac = '52:54:00:31:4e'; Ip = '10.231.20.5'; Id = 'InvalidMacAddress'; Category = 'InvalidArgument' }
        @{ Case = 'a multicast MAC'; Mac = '01:00:5e:00:00:01'; Ip = '10.231.20.5'; Id = 'InvalidMacAddress'; Category = 'InvalidArgument' }
        @{ Case = 'an address reserved for another MAC'; Mac = '52:54:00:31:4e:10'; Ip = '10.231.20.70'; Id = 'AddressReserved'; Category = 'ResourceExists' }
        @{ Case = 'a MAC reserved with another address'; Mac = '52:54:00:31:4e:07'; Ip = '10.231.20.71'; Id = 'ReservationExists'; Category = 'ResourceExists' }
    ) {
        Add-KvmNetworkReservation kvmps-t4n-res 52:54:00:31:4e:07 10.231.20.70
        Add-KvmNetworkReservation kvmps-t4n-res -MacAddress $Mac -IPAddress $Ip -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-Refused $err $Id $Category 'AddKvmNetworkReservationCommand'
        $r = (Get-KvmNetwork kvmps-t4n-res).Reservations
        @($r).Count | Should -Be 1
        $r.IPAddress | Should -Be '10.231.20.70'
    }

    It 'refuses a network without DHCP with InvalidOperation' {
        New-KvmNetwork -Name kvmps-t4n-nodhcp -Subnet 10.231.22.0/24 -NoDhcp
        Add-KvmNetworkReservation kvmps-t4n-nodhcp 52:54:00:31:4e:20 10.231.22.5 -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-Refused $err 'DhcpDisabled' 'InvalidOperation' 'AddKvmNetworkReservationCommand'
        (Get-KvmNetwork kvmps-t4n-nodhcp).Reservations | Should -BeNullOrEmpty
    }

    It 'removes reservations, also piped from the network object' {
        Add-KvmNetworkReservation kvmps-t4n-res 52:54:00:31:4e:30 10.231.20.30
        Add-KvmNetworkReservation kvmps-t4n-res 52:54:00:31:4e:31 10.231.20.31
        Remove-KvmNetworkReservation kvmps-t4n-res 52:54:00:31:4E:30
        (Get-KvmNetwork kvmps-t4n-res).Reservations.MacAddress | Should -Be '52:54:00:31:4e:31'
        (Get-KvmNetwork kvmps-t4n-res).Reservations | Remove-KvmNetworkReservation
        (Get-KvmNetwork kvmps-t4n-res).Reservations | Should -BeNullOrEmpty
    }

    It 'reports a missing reservation as ObjectNotFound' {
        Remove-KvmNetworkReservation kvmps-t4n-res 52:54:00:31:4e:99 -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-Refused $err 'ReservationNotFound' 'ObjectNotFound' 'RemoveKvmNetworkReservationCommand'
    }

    It 'changes nothing with -WhatIf' {
        Add-KvmNetworkReservation kvmps-t4n-res 52:54:00:31:4e:40 10.231.20.40 -WhatIf
        (Get-KvmNetwork kvmps-t4n-res).Reservations | Should -BeNullOrEmpty
    }
}

Describe 'Get-KvmNetworkLease on the test driver' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'says once per host that the driver keeps no leases (NotImplemented)' {
        New-KvmNetwork -Name kvmps-t4n-lease -Subnet 10.231.23.0/24
        Get-KvmNetworkLease -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        Assert-Refused $err 'LeasesNotSupported' 'NotImplemented' 'GetKvmNetworkLeaseCommand'
        $err[0].ErrorDetails.Message | Should -Match 'virNetworkGetDHCPLeases'
    }

    It 'refuses a malformed -MacAddress' {
        Get-KvmNetworkLease -MacAddress nonsense -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-Refused $err 'InvalidMacAddress' 'InvalidArgument' 'GetKvmNetworkLeaseCommand'
    }
}
