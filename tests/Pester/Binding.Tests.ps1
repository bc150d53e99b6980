# Pipeline binding by kind: an object binds to the parameter of its kind (a network to -Network /
# -NetworkObject, a pool to -Pool / -PoolObject, a volume to its path, a VM to -VM) or fails with
# an error that names it; never does its Name become another kind's name. Also: names by value,
# MAC forms, one type per parameter name, Hyper-V aliases, sizes with a unit hint. Test driver only.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # Runs a pipeline and returns its error records (binding errors included, which -ErrorVariable
    # does not see because they arise before the cmdlet runs).
    # The run's $ErrorActionPreference may be Stop (the CI runner sets it): here errors are data.
    function Get-PipelineError([scriptblock] $Pipeline) {
        $ErrorActionPreference = 'Continue'
        @(& $Pipeline 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    }

    function Get-NicSource([string] $Vm, [string] $Mac) {
        (Get-KvmNetworkAdapter -Name $Vm | Where-Object MacAddress -eq $Mac).Source
    }
}

Describe 'Objects bind to the parameter of their kind' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $null = New-KvmNetwork -Name lab -Mode Isolated -Subnet 10.231.70.0/24
        $null = New-KvmVM -Name b1 -Memory 64MB
    }
    AfterAll { Reset-KvmSession }

    It 'puts an adapter on the piped network, not on default' {
        Get-KvmNetwork lab | Add-KvmNetworkAdapter -VMName b1 -MacAddress 52:54:00:70:00:01
        Get-NicSource b1 52:54:00:70:00:01 | Should -Be 'lab'
    }

    It 'moves an adapter to the piped network with Set-KvmNetworkAdapter' {
        Add-KvmNetworkAdapter -VMName b1 -Network default -MacAddress 52:54:00:70:00:02
        Get-KvmNetwork lab | Set-KvmNetworkAdapter -VMName b1 -MacAddress 52:54:00:70:00:02
        Get-NicSource b1 52:54:00:70:00:02 | Should -Be 'lab'
    }

    It 'refuses a piped network together with -Network' {
        $e = Get-PipelineError { Get-KvmNetwork lab | Add-KvmNetworkAdapter -VMName b1 -Network default }
        $e[0].FullyQualifiedErrorId | Should -BeLike 'NetworkGivenTwice,*'
        $e[0].TargetObject | Should -Be 'lab'
    }

    It 'refuses a network piped where a VM is expected, naming it' {
        foreach ($cmd in 'Get-KvmVM', 'Start-KvmVM', 'Get-KvmDisk') {
            $e = Get-PipelineError { Get-KvmNetwork lab | & $cmd }
            $e.Count | Should -Be 1 -Because $cmd
            $e[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
            $e[0].ToString() | Should -Match "'lab' is a network, not a VM"
            $e[0].TargetObject.Name | Should -Be 'lab'
        }
    }

    It 'refuses a network piped into Add-KvmNetworkAdapter without a VM (it is not one)' {
        $before = @(Get-KvmNetworkAdapter b1).Count
        $e = Get-PipelineError { Get-KvmNetwork lab | Add-KvmNetworkAdapter }
        $e[0].ToString() | Should -Match "'lab' is a network, not a VM"
        @(Get-KvmNetworkAdapter b1).Count | Should -Be $before
    }

    It 'creates a VM on the piped network' {
        Get-KvmNetwork lab | New-KvmVM -Name b2 -Memory 64MB | Out-Null
        (Get-KvmVM b2).NetworkAdapters.Source | Should -Be 'lab'
    }

    It 'creates a VM with its disk in the piped pool' {
        Get-KvmStoragePool default-pool | New-KvmVM -Name b3 -Memory 64MB -DiskSize 1GB | Out-Null
        (Get-KvmVM b3).Disks.Path | Should -Be '/default-pool/b3.qcow2'
    }

    It 'never names a new VM after a piped pool or network' {
        foreach ($piped in { Get-KvmStoragePool default-pool }, { Get-KvmNetwork lab }) {
            $e = Get-PipelineError { & $piped | New-KvmVM -Memory 64MB }
            $e[0].FullyQualifiedErrorId | Should -BeLike 'VMNameRequired,*'
        }
        (Get-KvmVM).Name | Should -Not -Contain 'default-pool'
        (Get-KvmVM).Name | Should -Not -Contain 'lab'
    }

    It 'creates a volume in the piped pool, and never names it after the pool' {
        Get-KvmStoragePool default-pool | New-KvmVolume -Name bv1.qcow2 -Size 16MB | Out-Null
        (Get-KvmVolume -Pool default-pool bv1.qcow2).Pool | Should -Be 'default-pool'
        $e = Get-PipelineError { Get-KvmStoragePool default-pool | New-KvmVolume -Size 16MB }
        $e[0].FullyQualifiedErrorId | Should -BeLike 'VolumeNameRequired,*'
        (Get-KvmVolume -Pool default-pool).Name | Should -Not -Contain 'default-pool'
    }

    It 'lists the volumes of the piped pool' {
        (Get-KvmStoragePool default-pool | Get-KvmVolume).Name | Should -Contain 'bv1.qcow2'
    }

    It 'attaches a piped volume by its Path' {
        Get-KvmVolume -Pool default-pool bv1.qcow2 | Add-KvmDisk -VMName b1
        (Get-KvmDisk b1).Path | Should -Contain '/default-pool/bv1.qcow2'
    }

    It 'refuses a volume piped where a VM or a pool is expected' {
        (Get-PipelineError { Get-KvmVolume -Pool default-pool bv1.qcow2 | Start-KvmVM })[0].Exception.Message |
            Should -Match "'default-pool/bv1.qcow2' is a storage volume, not a VM"
        (Get-PipelineError { Get-KvmVolume -Pool default-pool bv1.qcow2 | Stop-KvmStoragePool })[0].Exception.Message |
            Should -Match 'is a storage volume, not a storage pool'
        (Get-KvmStoragePool default-pool).IsActive | Should -BeTrue
    }

    It 'refuses a VM piped where a network or a pool is expected' {
        (Get-PipelineError { Get-KvmVM b1 | Remove-KvmNetwork -Confirm:$false })[0].ToString() | Should -Match "'b1' is a VM, not a network"
        (Get-PipelineError { Get-KvmVM b1 | Get-KvmStoragePool })[0].ToString() | Should -Match "'b1' is a VM, not a storage pool"
        Get-KvmNetwork lab | Should -Not -BeNullOrEmpty
    }

    It 'gives every VM cmdlet the piped VM through -VM' {
        $vmCmdlets = Get-Command -Module KvmPS | Where-Object { $_.Parameters.ContainsKey('VM') }
        $vmCmdlets.Count | Should -BeGreaterThan 25
        foreach ($c in $vmCmdlets) {
            $p = $c.Parameters['VM']
            $p.ParameterType | Should -Be ([KvmPS.KvmVM[]]) -Because $c.Name
            $p.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipeline }).Count | Should -BeGreaterThan 0 -Because $c.Name
            $p.Attributes.Where({ $_.GetType().Name -eq 'KvmKindAttribute' }).Count | Should -Be 1 -Because $c.Name
        }
    }
}

Describe 'Piped objects name exactly that object' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
        foreach ($n in 'n[1]', 'n1') { $null = New-KvmNetwork -Name $n -Mode Isolated }
        foreach ($n in 'p*', 'pa') { $null = New-KvmStoragePool -Name $n -Type Dir -Path "/bind-$($n.Replace('*', 'star'))" -Start }
        foreach ($n in 'v?.qcow2', 'va.qcow2') { $null = New-KvmVolume -Pool default-pool -Name $n -Size 16MB }
        foreach ($n in 'w[1]', 'w1') { $null = New-KvmVM -Name $n -Memory 64MB }
    }
    AfterAll { Reset-KvmSession }

    It 'reads a piped network n[1] again as n[1] only' {
        (Get-KvmNetwork | Where-Object Name -eq 'n[1]' | Get-KvmNetwork).Name | Should -Be 'n[1]'
    }

    It 'reads a piped pool p* again as p* only' {
        (Get-KvmStoragePool | Where-Object Name -eq 'p*' | Get-KvmStoragePool).Name | Should -Be 'p*'
    }

    It 'reads a piped VM w[1] again as w[1] only, also in the VM device and tuning cmdlets' {
        $vm = Get-KvmVM | Where-Object Name -eq 'w[1]'
        ($vm | Get-KvmVM).Name | Should -Be 'w[1]'
        foreach ($cmd in 'Get-KvmCpu', 'Get-KvmMemory') {
            @($vm | & $cmd).VMName | Sort-Object -Unique | Should -Be 'w[1]' -Because $cmd
        }
    }

    It 'changes only the piped VM w[1], not w1' {
        Get-KvmVM | Where-Object Name -eq 'w[1]' | Set-KvmVM -Description 'only me'
        (Get-KvmVM w1).Description | Should -BeNullOrEmpty
        (Get-KvmVM | Where-Object Name -eq 'w[1]').Description | Should -Be 'only me'
    }

    It 'stops only the piped pool p*, not pa' {
        Get-KvmStoragePool | Where-Object Name -eq 'p*' | Stop-KvmStoragePool
        (Get-KvmStoragePool pa).IsActive | Should -BeTrue
        (Get-KvmStoragePool | Where-Object Name -eq 'p*').IsActive | Should -BeFalse
    }

    It 'removes only the piped volume v?.qcow2, not va.qcow2' {
        Get-KvmVolume -Pool default-pool | Where-Object Name -eq 'v?.qcow2' | Remove-KvmVolume -Confirm:$false
        $names = (Get-KvmVolume -Pool default-pool).Name
        $names | Should -Contain 'va.qcow2'
        $names | Should -Not -Contain 'v?.qcow2'
    }

    It 'removes only the piped network n[1], not n1' {
        Get-KvmNetwork | Where-Object Name -eq 'n[1]' | Remove-KvmNetwork -Confirm:$false
        $names = (Get-KvmNetwork).Name
        $names | Should -Contain 'n1'
        $names | Should -Not -Contain 'n[1]'
    }

    It 'finds a network again by UUID: one made again under the same name is another network' {
        $old = Get-KvmNetwork n1
        Remove-KvmNetwork n1 -Confirm:$false
        $null = New-KvmNetwork -Name n1 -Mode Isolated
        $e = Get-PipelineError { $old | Start-KvmNetwork }
        $e[0].FullyQualifiedErrorId | Should -BeLike 'NetworkNotFound,*'
        $e[0].ToString() | Should -Match ([regex]::Escape("$($old.Uuid)"))
        (Get-KvmNetwork n1).IsActive | Should -BeFalse
    }
}

Describe 'Errors from a pipeline name their object' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $null = New-KvmNetwork -Name gone-net -Mode Isolated
        $null = New-KvmStoragePool -Name gone-pool -Type Dir -Path /gone-pool
        $null = New-KvmVM -Name gone-vm -Memory 64MB
        $script:net = Get-KvmNetwork gone-net
        $script:pool = Get-KvmStoragePool gone-pool
        $script:vm = Get-KvmVM gone-vm
        Remove-KvmNetwork gone-net -Confirm:$false
        Remove-KvmStoragePool gone-pool -Confirm:$false
        Remove-KvmVM gone-vm -Confirm:$false
    }
    AfterAll { Reset-KvmSession }

    It '<Cmd> names <Name> in the message and as the target' -ForEach @(
        @{ Cmd = 'Get-KvmNetwork'; Name = 'gone-net'; Kind = 'net' }
        @{ Cmd = 'Start-KvmNetwork'; Name = 'gone-net'; Kind = 'net' }
        @{ Cmd = 'Get-KvmNetworkLease'; Name = 'gone-net'; Kind = 'net' }
        @{ Cmd = 'Get-KvmStoragePool'; Name = 'gone-pool'; Kind = 'pool' }
        @{ Cmd = 'Start-KvmStoragePool'; Name = 'gone-pool'; Kind = 'pool' }
        @{ Cmd = 'Get-KvmVolume'; Name = 'gone-pool'; Kind = 'pool' }
        @{ Cmd = 'Get-KvmVM'; Name = 'gone-vm'; Kind = 'vm' }
        @{ Cmd = 'Start-KvmVM'; Name = 'gone-vm'; Kind = 'vm' }
        @{ Cmd = 'Get-KvmDisk'; Name = 'gone-vm'; Kind = 'vm' }
        @{ Cmd = 'Set-KvmCpu'; Name = 'gone-vm'; Kind = 'vm' }
    ) {
        $obj = (Get-Variable -Scope Script -Name $Kind).Value
        $e = Get-PipelineError { $obj | & $Cmd -WarningAction SilentlyContinue }
        $e.Count | Should -Be 1
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e[0].ToString() | Should -Match ([regex]::Escape("'$Name'"))
        $e[0].TargetObject | Should -Be $Name
    }
}

Describe 'Names by value' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }
    AfterAll { Reset-KvmSession }

    It '<Cmd> takes <Value> from the pipeline' -ForEach @(
        @{ Cmd = 'Get-KvmVM'; Value = 'test'; Property = 'Name' }
        @{ Cmd = 'Get-KvmNetwork'; Value = 'default'; Property = 'Name' }
        @{ Cmd = 'Get-KvmStoragePool'; Value = 'default-pool'; Property = 'Name' }
        @{ Cmd = 'Get-KvmVolume'; Value = 'default-pool'; Property = 'Pool' }
        @{ Cmd = 'Get-KvmDisk'; Value = 'test'; Property = 'VMName' }
        @{ Cmd = 'Get-KvmNetworkAdapter'; Value = 'test'; Property = 'VMName' }
        @{ Cmd = 'Get-KvmCpu'; Value = 'test'; Property = 'VMName' }
        @{ Cmd = 'Get-KvmCpuPin'; Value = 'test'; Property = 'VMName' }
        @{ Cmd = 'Get-KvmMemory'; Value = 'test'; Property = 'VMName' }
        @{ Cmd = 'Get-KvmNuma'; Value = 'test'; Property = 'VMName' }
        @{ Cmd = 'Get-KvmConnection'; Value = 'test:///default'; Property = 'Uri' }
    ) {
        $null = New-KvmVolume -Pool default-pool -Name byvalue.img -Format Raw -Size 16MB -ErrorAction SilentlyContinue
        $out = @($Value | & $Cmd)
        $out.Count | Should -BeGreaterThan 0
        $out.$Property | Sort-Object -Unique | Should -Be $Value
    }

    It 'Get-KvmHostDevice takes a PCI address from the pipeline' {
        $e = Get-PipelineError { '0000:7f:1f.7' | Get-KvmHostDevice }
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$($e[0].TargetObject)" | Should -Match '7f:1f.7'
    }

    It 'every Get- cmdlet that takes a name accepts it by value' {
        foreach ($c in Get-Command -Module KvmPS -Verb Get) {
            $names = $c.Parameters.Values | Where-Object { $_.Name -in 'Name', 'Pool', 'PciAddress', 'Uri' -and $_.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] -and $_.Position -eq 0 }) }
            foreach ($p in $names) {
                $p.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipeline }).Count |
                    Should -BeGreaterThan 0 -Because "-$($p.Name) of $($c.Name)"
            }
        }
    }
}

Describe 'One type per parameter name' {
    It 'gives a parameter name one type across cmdlets (one value or many of it)' {
        # Same name, different things: a CPU mode vs a network mode, a CPU model vs a NIC model,
        # the format of any image Add-KvmDisk attaches vs the two a volume is made in, and
        # -InputObject, which is each cmdlet's own kind, and -Profile: a VM's (New-KvmVM) vs a set
        # of host checks (Test-KvmHost -Profile Kata).
        $different = 'Mode', 'Model', 'Format', 'InputObject', 'Profile'
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $all = foreach ($c in Get-Command -Module KvmPS) {
            foreach ($p in $c.Parameters.Values) {
                if ($p.Name -notin $common -and $p.Name -notin $different) {
                    $t = $p.ParameterType
                    [pscustomobject]@{ Name = $p.Name; Type = ($t.IsArray ? $t.GetElementType() : $t).Name; Cmdlet = $c.Name }
                }
            }
        }
        $mixed = $all | Group-Object Name | Where-Object { @($_.Group.Type | Sort-Object -Unique).Count -gt 1 } |
            ForEach-Object { "$($_.Name): " + (($_.Group | ForEach-Object { "$($_.Cmdlet)=$($_.Type)" }) -join ', ') }
        $mixed | Should -BeNullOrEmpty
    }

    It '-Autostart is a switch everywhere' {
        $cmds = Get-Command -Module KvmPS | Where-Object { $_.Parameters.ContainsKey('Autostart') }
        $cmds.Count | Should -BeGreaterOrEqual 6
        $cmds | ForEach-Object { $_.Parameters['Autostart'].ParameterType | Should -Be ([switch]) -Because $_.Name }
    }
}

Describe '-Autostart and -Autostart:$false' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }
    AfterAll { Reset-KvmSession }

    It 'New-KvmVM, New-KvmNetwork and New-KvmStoragePool honour -Autostart:$false' {
        $null = New-KvmVM -Name as-vm -Memory 64MB -Autostart:$false
        $null = New-KvmNetwork -Name as-net -Mode Isolated -Autostart:$false
        $null = New-KvmStoragePool -Name as-pool -Type Dir -Path /as-pool -Autostart:$false
        (Get-KvmVM as-vm).Autostart | Should -BeFalse
        (Get-KvmNetwork as-net).Autostart | Should -BeFalse
        (Get-KvmStoragePool as-pool).Autostart | Should -BeFalse
    }

    It 'Set-KvmVM, Set-KvmNetwork and Set-KvmStoragePool turn it on with -Autostart and off with -Autostart:$false' {
        Set-KvmVM as-vm -Autostart; (Get-KvmVM as-vm).Autostart | Should -BeTrue
        Set-KvmNetwork as-net -Autostart; (Get-KvmNetwork as-net).Autostart | Should -BeTrue
        Set-KvmStoragePool as-pool -Autostart; (Get-KvmStoragePool as-pool).Autostart | Should -BeTrue
        Set-KvmVM as-vm -Autostart:$false; (Get-KvmVM as-vm).Autostart | Should -BeFalse
        Set-KvmNetwork as-net -Autostart:$false; (Get-KvmNetwork as-net).Autostart | Should -BeFalse
        Set-KvmStoragePool as-pool -Autostart:$false; (Get-KvmStoragePool as-pool).Autostart | Should -BeFalse
    }

    It 'New-KvmVM -Autostart turns it on' {
        $null = New-KvmVM -Name as-vm2 -Memory 64MB -Autostart
        (Get-KvmVM as-vm2).Autostart | Should -BeTrue
    }
}

Describe 'MAC address forms' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $null = New-KvmVM -Name mac1 -Memory 64MB
    }
    AfterAll { Reset-KvmSession }

    It 'Add-KvmNetworkAdapter takes <Given> as <Stored>' -ForEach @(
        @{ Given = '52-54-00-AA-BB-01'; Stored = '52:54:00:aa:bb:01' }
        @{ Given = '52:54:00:AA:BB:02'; Stored = '52:54:00:aa:bb:02' }
        @{ Given = '525400aabb03'; Stored = '52:54:00:aa:bb:03' }
    ) {
        Add-KvmNetworkAdapter -VMName mac1 -MacAddress $Given
        (Get-KvmNetworkAdapter mac1).MacAddress | Should -Contain $Stored
    }

    It 'finds and removes an adapter by any form' {
        (Get-KvmNetworkAdapter mac1 -MacAddress 525400AABB01).MacAddress | Should -Be '52:54:00:aa:bb:01'
        Set-KvmNetworkAdapter -VMName mac1 -MacAddress 52-54-00-aa-bb-01 -LinkState Down
        (Get-KvmNetworkAdapter mac1 -MacAddress 52:54:00:aa:bb:01).LinkState | Should -Be 'Down'
        Remove-KvmNetworkAdapter -VMName mac1 -MacAddress 52-54-00-AA-BB-01 -Confirm:$false
        (Get-KvmNetworkAdapter mac1).MacAddress | Should -Not -Contain '52:54:00:aa:bb:01'
    }

    It 'New-KvmVM takes the hyphen form' {
        $null = New-KvmVM -Name mac2 -Memory 64MB -Network default -MacAddress 52-54-00-AA-BB-09
        (Get-KvmVM mac2).NetworkAdapters.MacAddress | Should -Be '52:54:00:aa:bb:09'
    }

    It 'reservations take the bare form' {
        $null = New-KvmNetwork -Name macnet -Mode Isolated -Subnet 10.231.71.0/24
        Add-KvmNetworkReservation -Name macnet -MacAddress 525400aabb0a -IPAddress 10.231.71.10
        (Get-KvmNetwork macnet).Reservations.MacAddress | Should -Be '52:54:00:aa:bb:0a'
        Remove-KvmNetworkReservation -Name macnet -MacAddress 52-54-00-AA-BB-0A -Confirm:$false
        (Get-KvmNetwork macnet).Reservations | Should -BeNullOrEmpty
    }

    It '<Cmd> refuses <Bad> as InvalidArgument before changing anything' -ForEach @(
        @{ Cmd = 'Add-KvmNetworkAdapter'; Bad = '52-54-00-aa-bb' }
        @{ Cmd = 'Set-KvmNetworkAdapter'; Bad = '5254zzaabb03' }
        @{ Cmd = 'Remove-KvmNetworkAdapter'; Bad = '52:54:00:aa:bb:03:00' }
    ) {
        $before = (Get-KvmNetworkAdapter mac1).MacAddress
        $extra = if ($Cmd -eq 'Set-KvmNetworkAdapter') { @{ LinkState = 'Down' } } else { @{} }
        $null = & $Cmd -VMName mac1 -MacAddress $Bad @extra -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMacAddress,*'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        (Get-KvmNetworkAdapter mac1).MacAddress | Should -Be $before
    }
}

Describe 'Hyper-V aliases' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }
    AfterAll { Reset-KvmSession }

    It 'New-KvmVM takes -MemoryStartupBytes, -ProcessorCount and -SwitchName' {
        $null = New-KvmVM -Name hv1 -MemoryStartupBytes 128MB -ProcessorCount 2 -SwitchName default
        $vm = Get-KvmVM hv1
        $vm.MemoryBytes | Should -Be 128MB
        $vm.VCpuCount | Should -Be 2
        $vm.NetworkAdapters.Source | Should -Be 'default'
    }

    It 'Set-KvmVM takes -MemoryStartupBytes and -ProcessorCount' {
        Set-KvmVM hv1 -MemoryStartupBytes 256MB -ProcessorCount 1
        $vm = Get-KvmVM hv1
        $vm.MemoryBytes | Should -Be 256MB
        $vm.VCpuCount | Should -Be 1
    }

    It 'Add-KvmNetworkAdapter takes -SwitchName' {
        Add-KvmNetworkAdapter -VMName hv1 -SwitchName default -MacAddress 52:54:00:70:01:01
        Get-NicSource hv1 52:54:00:70:01:01 | Should -Be 'default'
    }

    It 'Get-KvmVM and Wait-KvmVM take -State Off for ShutOff' {
        $off = (Get-KvmVM -State Off).Name
        $off | Should -Contain 'hv1'
        $off | Should -Not -Contain 'test'
        (Get-KvmVM -State Off, Running).Name | Should -Contain 'test'
        { Wait-KvmVM hv1 -State Off -Timeout 1 -ErrorAction Stop } | Should -Not -Throw
    }
}

Describe 'Sizes that look like they were meant in MiB or GiB' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $null = New-KvmVM -Name size1 -Memory 64MB
        $null = New-KvmVolume -Pool default-pool -Name size1.img -Format Raw -Size 16MB
    }
    AfterAll { Reset-KvmSession }

    It '<Command> is refused with "<Hint>"' -ForEach @(
        @{ Command = 'New-KvmVM -Name size2 -Memory 2048'; Hint = 'Did you mean 2048MB?' }
        @{ Command = 'New-KvmVM -Name size2 -Memory 64MB -Pool default-pool -DiskSize 20'; Hint = 'Did you mean 20GB?' }
        @{ Command = 'Set-KvmVM size1 -Memory 512'; Hint = 'Did you mean 512MB?' }
        @{ Command = 'Set-KvmMemory size1 -Memory 4'; Hint = 'Did you mean 4GB?' }
        @{ Command = 'New-KvmVolume -Pool default-pool -Name size2.img -Size 20'; Hint = 'Did you mean 20GB?' }
        @{ Command = 'Resize-KvmVolume -Pool default-pool -Name size1.img -Size 30'; Hint = 'Did you mean 30GB?' }
    ) {
        $e = $null
        try { Invoke-Expression "$Command -ErrorAction Stop" } catch { $e = $_ }
        $e | Should -Not -BeNullOrEmpty
        $e.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        $e.ToString() | Should -Match ([regex]::Escape($Hint))
        (Get-KvmVM).Name | Should -Not -Contain 'size2'
        (Get-KvmVM size1).MemoryBytes | Should -Be 64MB
        (Get-KvmVolume -Pool default-pool size1.img).CapacityBytes | Should -Be 16MB
    }

    It 'says sizes in human units in messages' {
        Set-KvmMemory size1 -Memory 64MB -CurrentMemory 128MB -ErrorVariable e -ErrorAction SilentlyContinue
        "$($e[0])" | Should -Match ([regex]::Escape('(128 MiB) cannot exceed the memory (64 MiB)'))
    }
}

Describe 'Objects piped into New-KvmNetwork and New-KvmStoragePool' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $null = New-KvmVM -Name bind-newnet-vm -Memory 64MB
    }
    AfterAll {
        Remove-KvmVM bind-newnet-vm -Confirm:$false -ErrorAction Ignore
        Reset-KvmSession
    }

    It 'refuses a VM piped into <Command>, and makes nothing named after it' -ForEach @(
        @{ Command = 'New-KvmNetwork'; Probe = { Get-KvmNetwork -Name bind-newnet-vm -ErrorAction Ignore } }
        @{ Command = 'New-KvmStoragePool'; Probe = { Get-KvmStoragePool -Name bind-newnet-vm -ErrorAction Ignore } }
    ) {
        $errs = Get-PipelineError { Get-KvmVM bind-newnet-vm | & $Command -WhatIf:$false }
        $errs.Count | Should -Be 1
        "$($errs[0])" | Should -Match "'bind-newnet-vm' is a VM"
        & $Probe | Should -BeNullOrEmpty
    }

    It 'still takes settings piped by property name' {
        $made = [pscustomobject]@{ Name = 'bind-newnet-csv'; Mode = 'Isolated' } | New-KvmNetwork
        $made.Name | Should -Be 'bind-newnet-csv'
        Remove-KvmNetwork bind-newnet-csv -Confirm:$false
    }
}

Describe 'A pool piped into Import-KvmVolume' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $script:Image = Join-Path ([IO.Path]::GetTempPath()) "kvmps-bind-import-$PID.img"
        [IO.File]::WriteAllBytes($Image, [byte[]]::new(65536))
    }
    AfterAll {
        Remove-Item $Image -ErrorAction Ignore
        Reset-KvmSession
    }

    It 'is the pool the image goes to' {
        $errs = Get-PipelineError { Get-KvmStoragePool default-pool | Import-KvmVolume -Path $Image -WhatIf }
        $errs | Should -BeNullOrEmpty
        Get-KvmVolume -Pool default-pool -Name (Split-Path $Image -Leaf) -ErrorAction Ignore | Should -BeNullOrEmpty -Because '-WhatIf makes nothing'
    }

    It 'never takes the pool''s directory for the image' {
        $errs = Get-PipelineError { Get-KvmStoragePool default-pool | Import-KvmVolume }
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ImportPathRequired,*'
        "$($errs[0])" | Should -Match "default-pool"
    }

    It 'refuses a different -Pool beside the piped pool' {
        $errs = Get-PipelineError { Get-KvmStoragePool default-pool | Import-KvmVolume -Path $Image -Pool other }
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'PoolGivenTwice,*'
    }

    It 'refuses no pool at all' {
        $errs = Get-PipelineError { Import-KvmVolume -Path $Image }
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'PoolRequired,*'
    }
}
