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

    It 'returns the network without -PassThru too' {
        (New-KvmNetwork -Name kvmps-t4n-b -Subnet 10.231.2.0/24).Name | Should -Be 'kvmps-t4n-b'
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
        @{ Case = 'a name with a slash'; Params = @{ Subnet = '10.231.12.0/24' }; Name = 'kvmps-t4n/x'; Id = 'InvalidName'; Category = 'InvalidArgument' }
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
        (Set-KvmNetwork kvmps-t4n-l1 -Autostart -PassThru).Autostart | Should -BeTrue
        Set-KvmNetwork kvmps-t4n-l1 -Autostart:$false
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
        Set-KvmNetwork kvmps-t4n-l1 -Autostart -WhatIf
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
        Remove-KvmNetworkReservation kvmps-t4n-res 52:54:00:31:4E:30 -Confirm:$false
        (Get-KvmNetwork kvmps-t4n-res).Reservations.MacAddress | Should -Be '52:54:00:31:4e:31'
        (Get-KvmNetwork kvmps-t4n-res).Reservations | Remove-KvmNetworkReservation -Confirm:$false
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

Describe 'Networks on a real libvirtd' -Tag System {
    BeforeAll {
        $script:U = 'qemu:///system'
        Reset-KvmSession
        # The daemon's network namespace: its bridges, addresses, routes and dnsmasq live there.
        $script:DriverPid = [int](Get-Content /run/libvirt/network/driver.pid)
        $script:Ns = "$(ip netns identify $script:DriverPid)".Trim()
        $script:ClientNs = "kvmps-t4n-c$PID"
        $script:Tmp = Join-Path ([IO.Path]::GetTempPath()) "kvmps-t4n-$PID"
        $null = New-Item -ItemType Directory -Force -Path $script:Tmp

        function Invoke-InDaemonNs {
            if ($script:Ns) { & ip netns exec $script:Ns @args } else { & $args[0] @($args | Select-Object -Skip 1) }
        }

        function Test-SchemaValid([string] $Name) {
            $file = Join-Path $script:Tmp "$Name.xml"
            virsh -c $script:U net-dumpxml $Name --inactive | Set-Content $file
            $out = virt-xml-validate $file network 2>&1 | Out-String
            $out | Should -Match 'validates' -Because "the XML of $Name must pass libvirt's schema: $out"
        }

        function Get-NetRecord([string] $Name) {
            # virsh's view, independent of the module.
            $info = virsh -c $script:U net-info $Name 2>$null
            if ($LASTEXITCODE -ne 0) { return $null }
            [pscustomobject]@{
                Active    = [bool]($info -match '^Active:\s+yes')
                Autostart = [bool]($info -match '^Autostart:\s+yes')
                Bridge    = (($info -match '^Bridge:') -replace '^Bridge:\s+', '')
            }
        }

        function Request-Dhcp([string] $Iface, [string] $HostName) {
            # A DHCP client in a namespace of this test's own, on a veth into the network's
            # bridge: real DHCP traffic that never leaves this machine.
            for ($i = 0; $i -lt 6; $i++) {
                $out = ip netns exec $script:ClientNs busybox udhcpc -i $Iface -n -q -t 3 -T 1 -s /bin/true -x "hostname:$HostName" 2>&1 | Out-String
                if ($out -match 'lease of (\S+) obtained') { return $Matches[1] }
            }
            throw "no DHCP lease on $Iface after 6 tries: $out"
        }

        function Add-Client([string] $Bridge, [string] $Suffix, [string] $Mac) {
            $h = "kt4n-h$Suffix"; $g = "kt4n-g$Suffix"
            Invoke-InDaemonNs ip link add $h type veth peer name $g netns $script:ClientNs
            Invoke-InDaemonNs ip link set $h master $Bridge up
            ip netns exec $script:ClientNs ip link set $g address $Mac up
            # With STP on, a new bridge port learns before it forwards.
            $null = Wait-Until { (Invoke-InDaemonNs bridge -j link show dev $h | ConvertFrom-Json).state -eq 'forwarding' } -TimeoutSec 15
            $g
        }

        $script:CanRunClient = $script:Ns -and (Get-Command busybox -ErrorAction Ignore) -and ((id -u) -eq '0')
        if ($script:CanRunClient) {
            ip netns add $script:ClientNs
            ip netns exec $script:ClientNs ip link set lo up
        }
    }

    AfterAll {
        foreach ($n in @(virsh -c $script:U net-list --all --name) | Where-Object { $_ -like 'kvmps-t4n-*' }) {
            virsh -c $script:U net-destroy $n *> $null
            virsh -c $script:U net-undefine $n *> $null
        }
        if ($script:CanRunClient) { ip netns del $script:ClientNs 2>$null }
        Invoke-InDaemonNs ip link del kt4n-rt0 2>$null
        Remove-Item $script:Tmp -Recurse -Force -ErrorAction Ignore
    }

    It 'starts a NAT network whose bridge holds the gateway addresses and whose dnsmasq runs in the daemon''s namespace' {
        $n = New-KvmNetwork -Uri $U -Name kvmps-t4n-nat -Subnet 10.231.40.0/24, fd31:4e:28::/64 -DnsDomain t4n.test -Start -PassThru
        $n.IsActive | Should -BeTrue
        $n.BridgeName | Should -Match '^virbr\d+$'
        (Get-NetRecord kvmps-t4n-nat).Bridge | Should -Be $n.BridgeName
        (Get-NetRecord kvmps-t4n-nat).Active | Should -BeTrue

        $link = Invoke-InDaemonNs ip -j addr show $n.BridgeName | ConvertFrom-Json
        $link.flags | Should -Contain 'UP'
        $addrs = $link.addr_info | ForEach-Object { "$($_.local)/$($_.prefixlen)" }
        $addrs | Should -Contain '10.231.40.1/24'
        $addrs | Should -Contain 'fd31:4e:28::1/64'

        $dnsPid = [int](Get-Content /run/libvirt/network/kvmps-t4n-nat.pid)
        $cmdline = (Get-Content "/proc/$dnsPid/cmdline" -Raw) -replace "`0", ' '
        $cmdline | Should -Match 'dnsmasq'
        $cmdline | Should -Match 'kvmps-t4n-nat\.conf'
        (Get-Item "/proc/$dnsPid/ns/net").LinkTarget | Should -Be (Get-Item "/proc/$($script:DriverPid)/ns/net").LinkTarget
        $conf = Get-Content /var/lib/libvirt/dnsmasq/kvmps-t4n-nat.conf
        $conf | Should -Contain 'dhcp-range=10.231.40.2,10.231.40.254,255.255.255.0'
        $conf | Should -Contain 'dhcp-range=fd31:4e:28::2,fd31:4e:28::ffff,64'
        $conf | Should -Contain 'domain=t4n.test'
        Test-SchemaValid kvmps-t4n-nat
    }

    It 'defines every mode with XML that passes virt-xml-validate' {
        $made = @(
            New-KvmNetwork -Uri $U -Name kvmps-t4n-route -Mode Route -Subnet 10.231.41.0/24 -NoDhcp -PassThru
            New-KvmNetwork -Uri $U -Name kvmps-t4n-open -Mode Open -Subnet 10.231.42.0/24 -DhcpStart 10.231.42.100 -PassThru
            New-KvmNetwork -Uri $U -Name kvmps-t4n-iso -Mode Isolated -Subnet fd31:4e:2b::/120 -BridgeName kt4nbr-iso -PassThru
            New-KvmNetwork -Uri $U -Name kvmps-t4n-bare -Mode Isolated -PassThru
            New-KvmNetwork -Uri $U -Name kvmps-t4n-br -HostBridge kt4nbr-none -PassThru -WarningVariable warn -WarningAction SilentlyContinue
        )
        $made.Mode | Should -Be @('Route', 'Open', 'Isolated', 'Isolated', 'Bridge')
        $warn[0] | Should -Match "Host bridge 'kt4nbr-none' does not exist"
        foreach ($m in $made) { Test-SchemaValid $m.Name }
        [xml] $x = virsh -c $U net-dumpxml kvmps-t4n-open --inactive
        $x.network.forward.mode | Should -Be 'open'
        $x.network.ip.dhcp.range.start | Should -Be '10.231.42.100'
        [xml] $b = virsh -c $U net-dumpxml kvmps-t4n-br --inactive
        $b.network.bridge.name | Should -Be 'kt4nbr-none'
        # An IPv6-only isolated network starts and gets its address.
        Start-KvmNetwork -Uri $U kvmps-t4n-iso
        (Invoke-InDaemonNs ip -j addr show kt4nbr-iso | ConvertFrom-Json).addr_info.local | Should -Contain 'fd31:4e:2b::1'
    }

    It 'converges on the real daemon: the same request again changes nothing' {
        $before = Get-KvmNetwork -Uri $U kvmps-t4n-nat
        $out = New-KvmNetwork -Uri $U -Name kvmps-t4n-nat -Subnet 10.231.40.0/24, fd31:4e:28::/64 -DnsDomain t4n.test -Start -Verbose -ErrorVariable err 4>&1
        $err.Count | Should -Be 0
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "Network 'kvmps-t4n-nat' already exists as requested (Nat network 10.231.40.0/24 (gateway 10.231.40.1, DHCP 10.231.40.2-10.231.40.254), fd31:4e:28::/64 (gateway fd31:4e:28::1, DHCP fd31:4e:28::2-fd31:4e:28::ffff)); nothing to define."
        (Get-KvmNetwork -Uri $U kvmps-t4n-nat).Uuid | Should -Be $before.Uuid
        New-KvmNetwork -Uri $U -Name kvmps-t4n-nat -Subnet 10.231.44.0/24 -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2[0].FullyQualifiedErrorId | Should -Be 'NetworkExists,KvmPS.Commands.NewKvmNetworkCommand'
    }

    It 'refuses a subnet another libvirt network has, and defines nothing' {
        New-KvmNetwork -Uri $U -Name kvmps-t4n-clash -Subnet 10.231.40.128/25 -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-Refused $err 'SubnetOverlapsNetwork' 'ResourceExists'
        virsh -c $U net-info kvmps-t4n-clash *> $null
        $LASTEXITCODE | Should -Not -Be 0
    }

    It 'refuses a subnet the daemon''s namespace routes already, and defines nothing' {
        # A veth pair with an address makes a route in the daemon's namespace only.
        Invoke-InDaemonNs ip link add kt4n-rt0 type veth peer name kt4n-rt1
        Invoke-InDaemonNs ip addr add 10.231.250.1/24 dev kt4n-rt0
        Invoke-InDaemonNs ip -6 addr add fd31:4e:fa::1/64 dev kt4n-rt0 nodad
        Invoke-InDaemonNs ip link set kt4n-rt1 up
        Invoke-InDaemonNs ip link set kt4n-rt0 up
        $out = New-KvmNetwork -Uri $U -Name kvmps-t4n-rt -Subnet 10.231.250.0/25 -Verbose -ErrorAction SilentlyContinue -ErrorVariable err 4>&1
        Assert-Refused $err 'SubnetOverlapsHostRoute' 'ResourceExists'
        $err[0].Exception.Message | Should -Match "10\.231\.250\.0/24 on interface 'kt4n-rt0'"
        $out.Message | Should -Match "network namespace of the libvirt network driver \(pid $($script:DriverPid)\)"
        New-KvmNetwork -Uri $U -Name kvmps-t4n-rt6 -Subnet fd31:4e:fa::/64 -ErrorAction SilentlyContinue -ErrorVariable err6
        Assert-Refused $err6 'SubnetOverlapsHostRoute' 'ResourceExists'
        @(virsh -c $U net-list --all --name | ForEach-Object Trim) | Should -Not -Contain 'kvmps-t4n-rt'
        @(virsh -c $U net-list --all --name | ForEach-Object Trim) | Should -Not -Contain 'kvmps-t4n-rt6'
    }

    It 'checks the daemon''s routes, not this process''s, when the two differ' {
        $daemon = Get-Content "/proc/$($script:DriverPid)/net/route" | Select-Object -Skip 1 | ForEach-Object { ($_ -split '\s+')[1, 7] -join '/' }
        $mine = Get-Content /proc/self/net/route | Select-Object -Skip 1 | Where-Object { $_ -and ($_ -split '\s+')[1] -ne '00000000' } |
            Where-Object { (($_ -split '\s+')[1, 7] -join '/') -notin $daemon } | Select-Object -First 1
        if (-not $mine) {
            Set-ItResult -Skipped -Because 'this process and the daemon share their routes'
            return
        }
        $f = $mine -split '\s+'
        $ip = [ipaddress]::new([BitConverter]::GetBytes([Convert]::ToUInt32($f[1], 16)))
        $mask = [BitConverter]::GetBytes([Convert]::ToUInt32($f[7], 16))
        $prefix = ($mask | ForEach-Object { [Convert]::ToString($_, 2).Replace('0', '').Length } | Measure-Object -Sum).Sum
        if ($prefix -gt 30) {
            Set-ItResult -Skipped -Because "this process's only own route $ip/$prefix is too small for a network"
            return
        }
        # A subnet this process reaches through its own interface is free where the bridges live.
        New-KvmNetwork -Uri $U -Name kvmps-t4n-own -Subnet "$ip/$prefix" -ErrorVariable err
        $err.Count | Should -Be 0
        (Get-NetRecord kvmps-t4n-own) | Should -Not -BeNullOrEmpty
        Remove-KvmNetwork -Uri $U kvmps-t4n-own -Confirm:$false
    }

    It 'removes its definition again when the network cannot start' {
        # libvirt accepts the definition, but cannot create a bridge named like an existing interface.
        if (-not (Invoke-InDaemonNs ip link show kt4n-rt0 2>$null)) {
            Invoke-InDaemonNs ip link add kt4n-rt0 type veth peer name kt4n-rt1
        }
        New-KvmNetwork -Uri $U -Name kvmps-t4n-undo -Subnet 10.231.43.0/24 -BridgeName kt4n-rt0 -Start -ErrorAction SilentlyContinue -ErrorVariable err
        Assert-Refused $err 'NetworkStartFailed' 'NotSpecified'
        $err[0].ErrorDetails.Message | Should -Match 'definition was removed again'
        Get-NetRecord kvmps-t4n-undo | Should -BeNullOrEmpty
        Test-Path /etc/libvirt/qemu/networks/kvmps-t4n-undo.xml | Should -BeFalse
    }

    It 'reservations reach the config, the running network and dnsmasq''s hostsfile, and a DHCP client gets the reserved address' {
        $r = Add-KvmNetworkReservation -Uri $U -Name kvmps-t4n-nat -MacAddress 52:54:00:31:4e:01 -IPAddress 10.231.40.50 -HostName t4n-guest1 -PassThru
        $r.IPAddress | Should -Be '10.231.40.50'
        foreach ($flag in @(), @('--inactive')) {
            [xml] $x = virsh -c $U net-dumpxml kvmps-t4n-nat @flag
            $h = @($x.network.ip)[0].dhcp.host
            "$($h.mac) $($h.ip) $($h.name)" | Should -Be '52:54:00:31:4e:01 10.231.40.50 t4n-guest1' -Because "net-dumpxml $flag"
        }
        Get-Content /var/lib/libvirt/dnsmasq/kvmps-t4n-nat.hostsfile | Should -Contain '52:54:00:31:4e:01,10.231.40.50,t4n-guest1'
        Test-SchemaValid kvmps-t4n-nat

        if (-not $script:CanRunClient) {
            Set-ItResult -Skipped -Because 'the DHCP client needs root, busybox and a daemon in its own namespace'
            return
        }
        $bridge = (Get-KvmNetwork -Uri $U kvmps-t4n-nat).BridgeName
        $g = Add-Client $bridge 1 '52:54:00:31:4e:01'
        Request-Dhcp $g t4n-guest1 | Should -Be '10.231.40.50'
        # dnsmasq hands the lease to libvirt's lease helper after its ACK: the client can be
        # configured a moment before libvirt lists the lease.
        $lease = $null
        $null = Wait-Until { ($script:lease = Get-KvmNetworkLease -Uri $U -Name kvmps-t4n-nat -MacAddress 52:54:00:31:4e:01) } -TimeoutSec 10
        $lease = $script:lease
        $lease | Should -BeOfType ([KvmPS.KvmNetworkLease])
        $lease.IPAddress | Should -Be '10.231.40.50'
        $lease.Prefix | Should -Be 24
        $lease.Type | Should -Be 'IPv4'
        $lease.Interface | Should -Be $bridge
        $lease.ExpiryTime | Should -BeGreaterThan (Get-Date)
        $v = virsh -c $U net-dhcp-leases kvmps-t4n-nat --mac 52:54:00:31:4e:01 | Select-String '52:54:00:31:4e:01\s+ipv4\s+(\S+)/(\d+)\s+(\S+)'
        "$($lease.IPAddress)/$($lease.Prefix) $($lease.HostName)" | Should -Be "$($v.Matches[0].Groups[1].Value)/$($v.Matches[0].Groups[2].Value) $($v.Matches[0].Groups[3].Value)"
    }

    It 'pins a guest''s current lease as its reservation when no address is given' {
        if (-not $script:CanRunClient) {
            Set-ItResult -Skipped -Because 'the DHCP client needs root, busybox and a daemon in its own namespace'
            return
        }
        $bridge = (Get-KvmNetwork -Uri $U kvmps-t4n-nat).BridgeName
        $g = Add-Client $bridge 2 '52:54:00:31:4e:02'
        $leased = Request-Dhcp $g t4n-guest2
        $leased | Should -Match '^10\.231\.40\.\d+$'
        # libvirt lists the lease a moment after the client has it (see the test above).
        Wait-Until { Get-KvmNetworkLease -Uri $U kvmps-t4n-nat -MacAddress 52:54:00:31:4e:02 } -TimeoutSec 10 | Should -BeTrue
        Get-KvmNetworkLease -Uri $U kvmps-t4n-nat -MacAddress 52:54:00:31:4e:02 | Add-KvmNetworkReservation
        $pinned = (Get-KvmNetwork -Uri $U kvmps-t4n-nat).Reservations | Where-Object MacAddress -eq '52:54:00:31:4e:02'
        $pinned.IPAddress | Should -Be $leased
        Get-Content /var/lib/libvirt/dnsmasq/kvmps-t4n-nat.hostsfile | Should -Contain "52:54:00:31:4e:02,$leased,t4n-guest2"

        Remove-KvmNetworkReservation -Uri $U kvmps-t4n-nat 52:54:00:31:4e:02 -Confirm:$false
        Get-Content /var/lib/libvirt/dnsmasq/kvmps-t4n-nat.hostsfile | Should -Not -Match '52:54:00:31:4e:02'
        [xml] $x = virsh -c $U net-dumpxml kvmps-t4n-nat --inactive
        @($x.network.ip)[0].dhcp.host.mac | Should -Not -Contain '52:54:00:31:4e:02'
    }

    It 'stops, starts, autostarts and removes, as virsh and the kernel see it' {
        $bridge = (Get-KvmNetwork -Uri $U kvmps-t4n-nat).BridgeName
        $dnsPid = [int](Get-Content /run/libvirt/network/kvmps-t4n-nat.pid)
        Stop-KvmNetwork -Uri $U kvmps-t4n-nat
        (Get-NetRecord kvmps-t4n-nat).Active | Should -BeFalse
        Invoke-InDaemonNs ip link show $bridge 2>$null | Should -BeNullOrEmpty
        # Gone, or a zombie where the namespace's init does not reap its orphans.
        $state = Get-Content "/proc/$dnsPid/status" -ErrorAction Ignore | Select-String '^State:\s+(\S)'
        if ($state) { $state.Matches[0].Groups[1].Value | Should -Be 'Z' }

        Get-KvmNetwork -Uri $U kvmps-t4n-nat | Start-KvmNetwork
        (Get-NetRecord kvmps-t4n-nat).Active | Should -BeTrue
        (Invoke-InDaemonNs ip -j addr show $bridge | ConvertFrom-Json).addr_info.local | Should -Contain '10.231.40.1'

        Set-KvmNetwork -Uri $U kvmps-t4n-nat -Autostart
        (Get-NetRecord kvmps-t4n-nat).Autostart | Should -BeTrue
        Test-Path /etc/libvirt/qemu/networks/autostart/kvmps-t4n-nat.xml | Should -BeTrue

        Get-KvmNetwork -Uri $U 'kvmps-t4n-*' | Remove-KvmNetwork -Confirm:$false
        @(virsh -c $U net-list --all --name) | Where-Object { $_ -like 'kvmps-t4n-*' } | Should -BeNullOrEmpty
        Test-Path /etc/libvirt/qemu/networks/kvmps-t4n-nat.xml | Should -BeFalse
        Invoke-InDaemonNs ip link show $bridge 2>$null | Should -BeNullOrEmpty
    }

    It 'completes network names of the daemon' {
        New-KvmNetwork -Uri $U -Name kvmps-t4n-comp -Mode Isolated
        $line = "Start-KvmNetwork -Uri $U -Name kvmps-t4n-co"
        $r = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)
        $r.CompletionMatches.CompletionText | Should -Be 'kvmps-t4n-comp'
    }
}
