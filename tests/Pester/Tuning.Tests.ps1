# CPU, pinning, NUMA and memory tuning on libvirt's test driver: its default host has 16 CPUs in
# two NUMA cells; tests/fixtures/testdriver/smt-host.xml is a private host with SMT siblings.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:SmtHost = "test:///$($script:RepoRoot)/tests/fixtures/testdriver/smt-host.xml"

    function Assert-Refused {
        # Runs the block, expects exactly one error with the id and category, and the VM's
        # persistent definition unchanged.
        param([string] $VM, [string] $Id, [string] $Command, [scriptblock] $Block, [string] $Category = 'InvalidArgument')
        $before = Export-KvmVM $VM
        $Error.Clear()
        & $Block -ErrorAction SilentlyContinue
        $err = @($Error)
        @($err).Count | Should -Be 1 -Because "one error for $Id"
        $err[0].FullyQualifiedErrorId | Should -Be "$Id,KvmPS.Commands.$Command"
        $err[0].CategoryInfo.Category | Should -Be $Category
        $err[0].TargetObject | Should -Be $VM
        Export-KvmVM $VM | Should -Be $before
    }

    function Initialize-TestHost([string] $VM, [int] $VCpus, [uint64] $Memory) {
        # A fresh test:///default (closing every connection resets it) with one new VM.
        Reset-KvmSession
        Connect-KvmHost test:///default
        if ($VM) { New-KvmVM -Name $VM -Memory $Memory -VCpuCount $VCpus }
    }

    function Pins([string] $Name, [switch] $Config, [string] $Uri) {
        # vCPU -> host cpuset, as one string: '0=2 1=3'.
        $u = if ($Uri) { @{ Uri = $Uri } } else { @{} }
        (Get-KvmCpuPin $Name -Config:$Config @u | ForEach-Object { "$($_.VCpu)=$($_.HostCpus)" }) -join ' '
    }
}

Describe 'The pipeline of the seed: New-KvmVM | Set-KvmCpu | Set-KvmCpuPin | Set-KvmMemory' {
    BeforeAll {
        Initialize-TestHost
    }

    It 'composes, every Set-* passing the VM on with -PassThru' {
        $vm = New-KvmVM -Name kvmps-t6c-x -Memory 1GB -VCpuCount 2 -PassThru |
            Set-KvmCpu -Mode HostPassthrough -Sockets 1 -Cores 2 -Threads 1 -PassThru |
            Set-KvmCpuPin -Auto -PassThru |
            Set-KvmMemory -HugePageSize 2MB -PassThru -WarningVariable warn -WarningAction SilentlyContinue
        $vm | Should -BeOfType ([KvmPS.KvmVM])
        $vm.Name | Should -Be 'kvmps-t6c-x'
        $vm.CpuMode | Should -Be 'host-passthrough'

        [xml] $x = Export-KvmVM kvmps-t6c-x
        $x.domain.cpu.mode | Should -Be 'host-passthrough'
        "$($x.domain.cpu.topology.sockets)/$($x.domain.cpu.topology.cores)/$($x.domain.cpu.topology.threads)" | Should -Be '1/2/1'
        ($x.domain.cputune.vcpupin | ForEach-Object { "$($_.vcpu)=$($_.cpuset)" }) -join ' ' | Should -Be '0=0 1=1'
        $x.domain.cputune.emulatorpin.cpuset | Should -Be '2'
        $x.domain.memoryBacking.hugepages.page.size | Should -Be '2048'
        $x.domain.memoryBacking.hugepages.page.unit | Should -Be 'KiB'
        # The test driver's host has 2 x 97 free 2 MiB pages; 1 GiB needs 512.
        $warn | Should -Match '512 huge pages of 2 MiB but the host has 194 free'
    }

    It 'returns nothing without -PassThru' {
        New-KvmVM -Name kvmps-t6c-quiet -Memory 256MB -VCpuCount 2
        Set-KvmCpu kvmps-t6c-quiet -Mode HostModel | Should -BeNullOrEmpty
        Set-KvmCpuPin kvmps-t6c-quiet -VCpu 0 -HostCpu 5 | Should -BeNullOrEmpty
        Set-KvmNuma kvmps-t6c-quiet -Cell @{ Cpus = '0' }, @{ Cpus = '1' } | Should -BeNullOrEmpty
        Set-KvmMemory kvmps-t6c-quiet -Locked | Should -BeNullOrEmpty
    }
}

Describe 'Set-KvmCpu and Get-KvmCpu' {
    BeforeEach {
        Initialize-TestHost kvmps-t6c-cpu -VCpus 4 -Memory 512MB
    }

    It 'sets mode, topology, cache passthrough and features, and reads them back' {
        Set-KvmCpu kvmps-t6c-cpu -Mode HostPassthrough -Sockets 2 -Cores 2 -Threads 1 -CachePassthrough -Feature '+x2apic', '-svm'
        $c = Get-KvmCpu kvmps-t6c-cpu
        $c | Should -BeOfType ([KvmPS.KvmCpu])
        $c.Mode | Should -Be 'HostPassthrough'
        "$($c.Sockets)x$($c.Cores)x$($c.Threads)" | Should -Be '2x2x1'
        $c.CacheMode | Should -Be 'passthrough'
        ($c.Features | ForEach-Object { "$($_.Policy):$($_.Name)" }) -join ',' | Should -Be 'require:x2apic,disable:svm'
        $c.MaxVCpuCount | Should -Be 4
        (Get-KvmCpu kvmps-t6c-cpu | Out-String) | Should -Match '2s x 2c x 1t'
    }

    It 'sets a custom model the host knows and keeps the topology' {
        Set-KvmCpu kvmps-t6c-cpu -Sockets 1 -Cores 4 -Threads 1
        Set-KvmCpu kvmps-t6c-cpu -Mode Custom -Model Westmere
        [xml] $x = Export-KvmVM kvmps-t6c-cpu
        $x.domain.cpu.mode | Should -Be 'custom'
        $x.domain.cpu.model.'#text' | Should -Be 'Westmere'
        $x.domain.cpu.topology.cores | Should -Be '4'
        # Switching to another mode drops the model.
        (Set-KvmCpu kvmps-t6c-cpu -Mode Maximum -PassThru).CpuMode | Should -Be 'maximum'
        (Get-KvmCpu kvmps-t6c-cpu).Model | Should -BeNullOrEmpty
    }

    It 'refuses <Case> with <Id> and leaves the configuration as it was' -ForEach @(
        @{ Case = 'a topology that is not the vCPU count'; Id = 'TopologyMismatch'; Params = @{ Sockets = 2; Cores = 2; Threads = 2 } }
        @{ Case = 'custom mode without a model'; Id = 'ModelRequired'; Params = @{ Mode = 'Custom' } }
        @{ Case = 'a CPU model the host does not know'; Id = 'UnknownCpuModel'; Params = @{ Mode = 'Custom'; Model = 'NoSuchCpu' } }
        @{ Case = 'a model with host-passthrough'; Id = 'ModelNeedsCustomMode'; Params = @{ Mode = 'HostPassthrough'; Model = 'Westmere' } }
        @{ Case = 'cache passthrough with host-model'; Id = 'CacheNeedsPassthroughMode'; Params = @{ Mode = 'HostModel'; CachePassthrough = $true } }
        @{ Case = 'a malformed feature'; Id = 'InvalidCpuFeature'; Params = @{ Feature = '+x2 apic' } }
        @{ Case = 'a feature asked both ways'; Id = 'ConflictingCpuFeature'; Params = @{ Feature = '+x2apic', '-x2apic' } }
    ) {
        Assert-Refused kvmps-t6c-cpu $Id SetKvmCpuCommand { Set-KvmCpu kvmps-t6c-cpu @Params @args }
    }

    It 'refuses -Nested when the host does not say its CPU vendor (the test driver does not)' {
        Assert-Refused kvmps-t6c-cpu UnknownHostCpuVendor SetKvmCpuCommand { Set-KvmCpu kvmps-t6c-cpu -Nested @args } -Category ResourceUnavailable
        (Get-KvmHost).CpuVendor | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        $before = Export-KvmVM kvmps-t6c-cpu
        Set-KvmCpu kvmps-t6c-cpu -Mode HostPassthrough -WhatIf
        Export-KvmVM kvmps-t6c-cpu | Should -Be $before
    }

    It 'changes a running VM''s configuration for its next start and says so' {
        Set-KvmCpu test -Mode HostModel -WarningVariable warn -WarningAction SilentlyContinue
        $warn | Should -Match 'next start'
        (Get-KvmCpu test).Mode | Should -BeNullOrEmpty
        (Get-KvmCpu test -Config).Mode | Should -Be 'HostModel'
        (Get-KvmCpu test -Config).FromConfig | Should -BeTrue
    }

    It 'reports a missing VM as ObjectNotFound and goes on with the others' {
        New-KvmVM -Name kvmps-t6c-cpu2 -Memory 256MB -VCpuCount 2
        'kvmps-t6c-cpu', 'kvmps-t6c-nope', 'kvmps-t6c-cpu2' | Set-KvmCpu -Mode HostModel -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'VMNotFound,KvmPS.Commands.SetKvmCpuCommand'
        (Get-KvmCpu kvmps-t6c-cpu*).Mode | Should -Be @('HostModel', 'HostModel')
    }
}

Describe 'Set-KvmCpuPin and Get-KvmCpuPin on the 16-CPU, 2-cell test host' {
    BeforeEach {
        Initialize-TestHost kvmps-t6c-p1 -VCpus 4 -Memory 512MB
    }

    It 'pins one vCPU and reads it back, others following the default affinity' {
        Set-KvmCpuPin kvmps-t6c-p1 -VCpu 2 -HostCpu '9-10'
        $pins = Get-KvmCpuPin kvmps-t6c-p1
        $pins | Should -HaveCount 4
        $pins[0] | Should -BeOfType ([KvmPS.KvmCpuPin])
        $pins[2].HostCpus | Should -Be '9,10'
        $pins[2].Pinned | Should -BeTrue
        $pins[0].HostCpus | Should -Be '0-15'
        $pins[0].Pinned | Should -BeFalse
        $pins[0].EmulatorCpus | Should -Be '0-15'
        $pins.VMName | Select-Object -Unique | Should -Be 'kvmps-t6c-p1'
        $pins[0].Uri | Should -Be 'test:///default'
    }

    It 'pins from a map, with the emulator' {
        Set-KvmCpuPin kvmps-t6c-p1 -Map @{ 0 = '2'; 1 = 3; 2 = '4'; 3 = '5' } -EmulatorCpu 0
        Pins kvmps-t6c-p1 | Should -Be '0=2 1=3 2=4 3=5'
        (Get-KvmCpuPin kvmps-t6c-p1)[0].EmulatorCpus | Should -Be '0'
        [xml] $x = Export-KvmVM kvmps-t6c-p1
        $x.domain.cputune.emulatorpin.cpuset | Should -Be '0'
    }

    It 'plans -Auto within one cell, with the emulator on a free CPU of that cell' {
        Set-KvmCpuPin kvmps-t6c-p1 -Auto
        Pins kvmps-t6c-p1 | Should -Be '0=0 1=1 2=2 3=3'
        (Get-KvmCpuPin kvmps-t6c-p1)[0].EmulatorCpus | Should -Be '4'
    }

    It 'does not give a second VM the first one''s CPUs unless -AllowOverlap' {
        New-KvmVM -Name kvmps-t6c-p2 -Memory 512MB -VCpuCount 4
        New-KvmVM -Name kvmps-t6c-p3 -Memory 512MB -VCpuCount 4
        Set-KvmCpuPin kvmps-t6c-p1 -Auto
        Set-KvmCpuPin kvmps-t6c-p2 -Auto
        $a = (Get-KvmCpuPin kvmps-t6c-p1).HostCpus
        $b = (Get-KvmCpuPin kvmps-t6c-p2).HostCpus
        $a | Where-Object { $_ -in $b } | Should -BeNullOrEmpty
        # The second VM went to the emptier cell, and stays inside it.
        $b -join ',' | Should -Be '8,9,10,11'
        Set-KvmCpuPin kvmps-t6c-p3 -Auto -AllowOverlap
        (Get-KvmCpuPin kvmps-t6c-p3).HostCpus -join ',' | Should -Be '0,1,2,3'
    }

    It 'keeps -ExcludeHostCpu free and re-plans a VM without counting its own old pins' {
        Set-KvmCpuPin kvmps-t6c-p1 -Auto -ExcludeHostCpu '0-1,8-9'
        Pins kvmps-t6c-p1 | Should -Be '0=2 1=3 2=4 3=5'
        Set-KvmCpuPin kvmps-t6c-p1 -Auto
        Pins kvmps-t6c-p1 | Should -Be '0=0 1=1 2=2 3=3'
    }

    It 'spreads a VM with guest NUMA cells over the host cells' {
        Set-KvmNuma kvmps-t6c-p1 -Cell @{ Cpus = '0-1' }, @{ Cpus = '2-3' }
        Set-KvmCpuPin kvmps-t6c-p1 -Auto
        Pins kvmps-t6c-p1 | Should -Be '0=0 1=1 2=8 3=9'
    }

    It 'refuses -Auto when the host has too few free CPUs' {
        New-KvmVM -Name kvmps-t6c-big -Memory 512MB -VCpuCount 14
        Set-KvmCpuPin kvmps-t6c-big -Auto -WarningAction SilentlyContinue
        Assert-Refused kvmps-t6c-p1 NotEnoughHostCpus SetKvmCpuPinCommand { Set-KvmCpuPin kvmps-t6c-p1 -Auto @args } -Category ResourceUnavailable
    }

    It 'pins the running test VM live and in its configuration' {
        Set-KvmCpuPin test -Map @{ 0 = '12'; 1 = '13' } -EmulatorCpu 14
        Pins test | Should -Be '0=12 1=13'
        Pins test -Config | Should -Be '0=12 1=13'
        (Get-KvmCpuPin test)[0].FromConfig | Should -BeFalse
        # libvirt's own live definition carries the pins.
        [xml] $live = (Get-KvmVM test).Xml
        ($live.domain.cputune.vcpupin | ForEach-Object { "$($_.vcpu)=$($_.cpuset)" }) -join ' ' | Should -Be '0=12 1=13'
        $live.domain.cputune.emulatorpin.cpuset | Should -Be '14'
    }

    It 'clears every pin' {
        Set-KvmCpuPin kvmps-t6c-p1 -Auto
        Set-KvmCpuPin kvmps-t6c-p1 -Clear
        (Get-KvmCpuPin kvmps-t6c-p1).Pinned | Should -Not -Contain $true
        ([xml] (Export-KvmVM kvmps-t6c-p1)).domain.cputune | Should -BeNullOrEmpty
    }

    It 'pins IOThreads, all or one' {
        Import-KvmVM -Xml "<domain type='test'><name>kvmps-t6c-io</name><memory>262144</memory><vcpu>2</vcpu><iothreads>2</iothreads><os><type>hvm</type></os></domain>"
        Set-KvmCpuPin kvmps-t6c-io -IOThreadCpu '6-7'
        Set-KvmCpuPin kvmps-t6c-io -IOThreadCpu 5 -IOThread 2
        $io = (Get-KvmCpuPin kvmps-t6c-io)[0].IOThreads
        ($io | ForEach-Object { "$($_.IOThread)=$($_.HostCpus)" }) -join ' ' | Should -Be '1=6,7 2=5'
        # -Auto puts IOThreads beside the emulator.
        Set-KvmCpuPin kvmps-t6c-io -Auto
        $p = (Get-KvmCpuPin kvmps-t6c-io)[0]
        $p.IOThreads.HostCpus | Select-Object -Unique | Should -Be $p.EmulatorCpus
    }

    It 'refuses <Case> with <Id> and leaves the configuration as it was' -ForEach @(
        @{ Case = 'a vCPU out of range'; Id = 'VCpuOutOfRange'; Params = @{ VCpu = 4; HostCpu = '1' } }
        @{ Case = 'a host CPU that does not exist'; Id = 'HostCpuNotFound'; Params = @{ VCpu = 0; HostCpu = '16' } }
        @{ Case = 'a malformed cpuset'; Id = 'InvalidCpuSet'; Params = @{ VCpu = 0; HostCpu = '3-1' } }
        @{ Case = 'a map with a bad vCPU'; Id = 'VCpuOutOfRange'; Params = @{ Map = @{ 0 = '1'; 9 = '2' } } }
        @{ Case = 'a map with a bad key'; Id = 'InvalidPinMap'; Params = @{ Map = @{ x = '1' } } }
        @{ Case = 'a bad emulator cpuset'; Id = 'InvalidCpuSet'; Params = @{ EmulatorCpu = '1,,2' } }
        @{ Case = 'a bad excluded CPU'; Id = 'HostCpuNotFound'; Params = @{ Auto = $true; ExcludeHostCpu = '99' } }
        @{ Case = '-VCpu without -HostCpu'; Id = 'VCpuNeedsHostCpu'; Params = @{ VCpu = 1 } }
        @{ Case = '-Map with -Auto'; Id = 'ConflictingPinParameters'; Params = @{ Map = @{ 0 = '1' }; Auto = $true } }
        @{ Case = '-Strategy without -Auto'; Id = 'AutoOptionWithoutAuto'; Params = @{ Strategy = 'Compact'; EmulatorCpu = '1' } }
        @{ Case = 'nothing to pin'; Id = 'NothingToPin'; Params = @{} }
        @{ Case = 'IOThreads on a VM without any'; Id = 'NoIOThreads'; Params = @{ IOThreadCpu = '1' }; Category = 'InvalidOperation' }
    ) {
        Set-KvmCpuPin kvmps-t6c-p1 -VCpu 0 -HostCpu 7
        $cat = if ($Category) { $Category } else { 'InvalidArgument' }
        Assert-Refused kvmps-t6c-p1 $Id SetKvmCpuPinCommand { Set-KvmCpuPin kvmps-t6c-p1 @Params @args } -Category $cat
    }

    It 'acts on every piped VM even when one is refused' {
        New-KvmVM -Name kvmps-t6c-p2 -Memory 256MB -VCpuCount 1
        New-KvmVM -Name kvmps-t6c-p3 -Memory 256MB -VCpuCount 4
        'kvmps-t6c-p1', 'kvmps-t6c-p2', 'kvmps-t6c-p3' | Set-KvmCpuPin -VCpu 3 -HostCpu 6 -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].TargetObject | Should -Be 'kvmps-t6c-p2'
        (Get-KvmCpuPin kvmps-t6c-p1, kvmps-t6c-p3 | Where-Object VCpu -eq 3).HostCpus | Should -Be @('6', '6')
    }

    It 'changes nothing with -WhatIf, but still reports bad input' {
        $before = Export-KvmVM kvmps-t6c-p1
        Set-KvmCpuPin kvmps-t6c-p1 -Auto -WhatIf
        Export-KvmVM kvmps-t6c-p1 | Should -Be $before
        Set-KvmCpuPin kvmps-t6c-p1 -VCpu 9 -HostCpu 1 -WhatIf -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'VCpuOutOfRange,KvmPS.Commands.SetKvmCpuPinCommand'
    }

    It 'prints a table' {
        Set-KvmCpuPin kvmps-t6c-p1 -Auto
        (Get-KvmCpuPin kvmps-t6c-p1 | Out-String) | Should -Match 'kvmps-t6c-p1\s+0\s+0\s+True\s+4'
    }
}

Describe 'Set-KvmCpuPin -Auto on a test-driver host with SMT' {
    BeforeEach {
        Reset-KvmSession
    }

    It 'reads the SMT layout the host''s node info describes' {
        $h = Get-KvmHost -Uri $SmtHost
        "$($h.NumaNodeCount) nodes, $($h.CpuCount) CPUs, $($h.ThreadsPerCore) threads per core" | Should -Be '2 nodes, 8 CPUs, 2 threads per core'
        # Get-KvmHost sees no NUMA cells there (the test driver lists none for a custom host): the
        # planner derives the layout from the node info instead, and says so.
        $h.NumaCells | Should -BeNullOrEmpty
        Set-KvmCpuPin kvmps-t6c-smt1 -Uri $SmtHost -Auto -Verbose 4>&1 | Out-String | Should -Match 'reports no NUMA topology'
    }

    It 'Spread puts the vCPUs on different cores, Compact on sibling threads' {
        Set-KvmCpuPin kvmps-t6c-smt1 -Uri $SmtHost -Auto -Strategy Spread
        Pins kvmps-t6c-smt1 -Uri $SmtHost | Should -Be '0=0 1=1'
        Set-KvmCpuPin kvmps-t6c-smt1 -Uri $SmtHost -Auto -Strategy Compact
        Pins kvmps-t6c-smt1 -Uri $SmtHost | Should -Be '0=0 1=4'
    }

    It 'keeps two VMs apart, following each object''s own host' {
        Get-KvmVM -Uri $SmtHost | Set-KvmCpuPin -Auto
        $all = Get-KvmVM -Uri $SmtHost | Get-KvmCpuPin
        $all | ForEach-Object Uri | Select-Object -Unique | Should -Be $SmtHost
        ($all | Where-Object VMName -eq kvmps-t6c-smt1).HostCpus -join ',' | Should -Be '0,1'
        ($all | Where-Object VMName -eq kvmps-t6c-smt2).HostCpus -join ',' | Should -Be '2,3'
        # Both run: the pins reached them live.
        ($all | Where-Object FromConfig).Count | Should -Be 0
    }

    It 'warns when Spread has to put two vCPUs on one core' {
        Import-KvmVM -Uri $SmtHost -Xml "<domain type='test'><name>kvmps-t6c-smt4</name><memory>262144</memory><vcpu>4</vcpu><os><type>hvm</type></os></domain>"
        Set-KvmCpuPin kvmps-t6c-smt4 -Uri $SmtHost -Auto -WarningVariable warn -WarningAction SilentlyContinue
        Pins kvmps-t6c-smt4 -Uri $SmtHost | Should -Be '0=0 1=1 2=4 3=5'
        $warn | Should -Match 'SMT siblings'
    }
}

Describe 'Set-KvmNuma and Get-KvmNuma' {
    BeforeEach {
        Initialize-TestHost kvmps-t6c-n -VCpus 4 -Memory 2GB
    }

    It 'sets guest cells and binds the memory to host nodes' {
        Set-KvmNuma kvmps-t6c-n -Cell @{ Cpus = '0-1'; Memory = 1GB; HostNode = 0 }, @{ Cpus = '2-3'; Memory = 1GB; HostNode = 1 } -MemoryMode Strict -HostNode '0-1'
        $n = Get-KvmNuma kvmps-t6c-n
        $n | Should -BeOfType ([KvmPS.KvmNuma])
        ($n.Cells | ForEach-Object { "$($_.Id):$($_.Cpus):$($_.MemoryBytes):$($_.HostNodes)" }) -join ' ' | Should -Be "0:0-1:$(1GB):0 1:2-3:$(1GB):1"
        $n.MemoryMode | Should -Be 'Strict'
        $n.HostNodes | Should -Be '0-1'
        [xml] $x = Export-KvmVM kvmps-t6c-n
        $x.domain.numatune.memory.mode | Should -Be 'strict'
        @($x.domain.numatune.memnode).Count | Should -Be 2
        (Get-KvmNuma kvmps-t6c-n | Out-String) | Should -Match '0: vCPU 0-1, 1024 MiB on node 0'
    }

    It 'shares the memory evenly when the cells do not say, and -SetMemory takes the cells'' sum' {
        Set-KvmNuma kvmps-t6c-n -Cell @{ Cpus = '0,1' }, @{ Cpus = '2,3' }
        (Get-KvmNuma kvmps-t6c-n).Cells.MemoryBytes | Should -Be @(1GB, 1GB)
        (Set-KvmNuma kvmps-t6c-n -Cell @{ Cpus = '0-1'; Memory = 2GB }, @{ Cpus = '2-3'; Memory = 2GB } -SetMemory -PassThru).MemoryBytes | Should -Be 4GB
    }

    It 'clears the layout' {
        Set-KvmNuma kvmps-t6c-n -Cell @{ Cpus = '0-3' } -HostNode 1
        Set-KvmNuma kvmps-t6c-n -Clear
        $n = Get-KvmNuma kvmps-t6c-n
        $n.Cells | Should -BeNullOrEmpty
        $n.MemoryMode | Should -BeNullOrEmpty
    }

    It 'refuses <Case> with <Id> and leaves the configuration as it was' -ForEach @(
        @{ Case = 'cells that miss a vCPU'; Id = 'NumaCellsIncomplete'; Params = @{ Cell = @(@{ Cpus = '0-1' }, @{ Cpus = '2' }) } }
        @{ Case = 'cells that overlap'; Id = 'NumaCellsOverlap'; Params = @{ Cell = @(@{ Cpus = '0-2' }, @{ Cpus = '2-3' }) } }
        @{ Case = 'a vCPU the VM does not have'; Id = 'VCpuOutOfRange'; Params = @{ Cell = @(@{ Cpus = '0-1' }, @{ Cpus = '2-4' }) } }
        @{ Case = 'a malformed cpuset'; Id = 'InvalidCpuSet'; Params = @{ Cell = @(@{ Cpus = '0-' }) } }
        @{ Case = 'memory that does not sum to the VM''s'; Id = 'NumaMemoryMismatch'; Params = @{ Cell = @(@{ Cpus = '0-1'; Memory = 1GB }, @{ Cpus = '2-3'; Memory = 2GB }) } }
        @{ Case = 'memory on some cells only'; Id = 'NumaCellMemoryPartial'; Params = @{ Cell = @(@{ Cpus = '0-1'; Memory = 1GB }, @{ Cpus = '2-3' }) } }
        @{ Case = 'a cell without Cpus'; Id = 'CellWithoutCpus'; Params = @{ Cell = @(@{ Memory = 2GB }) } }
        @{ Case = 'an unknown cell key'; Id = 'UnknownCellKey'; Params = @{ Cell = @(@{ Cpus = '0-3'; Mem = 2GB }) } }
        @{ Case = 'a host node that does not exist'; Id = 'HostNodeNotFound'; Params = @{ MemoryMode = 'Strict'; HostNode = '2' } }
        @{ Case = 'preferred over two nodes'; Id = 'PreferredNeedsOneNode'; Params = @{ MemoryMode = 'Preferred'; HostNode = '0-1' } }
        @{ Case = 'a mode without nodes'; Id = 'HostNodeRequired'; Params = @{ MemoryMode = 'Interleave' } }
        @{ Case = 'nothing to set'; Id = 'NothingToSet'; Params = @{} }
    ) {
        Assert-Refused kvmps-t6c-n $Id SetKvmNumaCommand { Set-KvmNuma kvmps-t6c-n @Params @args }
    }
}

Describe 'Set-KvmMemory and Get-KvmMemory' {
    BeforeEach {
        Initialize-TestHost kvmps-t6c-m -VCpus 2 -Memory 128MB
    }

    It 'backs the memory with huge pages, locks it, removes the balloon' {
        Set-KvmMemory kvmps-t6c-m -HugePageSize 2MB -Locked -NoBalloon -Memfd -WarningVariable warn
        $warn | Should -BeNullOrEmpty   # 64 pages needed, 194 free
        $m = Get-KvmMemory kvmps-t6c-m
        $m | Should -BeOfType ([KvmPS.KvmMemory])
        $m.HugePageSizeBytes | Should -Be 2MB
        $m.Locked | Should -BeTrue
        $m.BalloonModel | Should -Be 'none'
        $m.Source | Should -Be 'memfd'
        [xml] $x = Export-KvmVM kvmps-t6c-m
        $x.domain.memoryBacking.hugepages.page.size | Should -Be '2048'
        $x.domain.memoryBacking.ChildNodes.Name -join ',' | Should -Be 'hugepages,locked,source'
        $x.domain.devices.memballoon.model | Should -Be 'none'
        (Get-KvmMemory kvmps-t6c-m | Out-String) | Should -Match '128\s+128\s+2 MiB\s+True\s+none'

        Set-KvmMemory kvmps-t6c-m -HugePageSize 0 -Locked:$false -NoBalloon:$false -Memfd:$false
        $m = Get-KvmMemory kvmps-t6c-m
        $m.HugePageSizeBytes | Should -BeNullOrEmpty
        $m.Locked | Should -BeFalse
        $m.BalloonModel | Should -Be 'virtio'
    }

    It 'sets the memory sizes' {
        $vm = Set-KvmMemory kvmps-t6c-m -Memory 1GB -CurrentMemory 512MB -PassThru
        $vm.MemoryBytes | Should -Be 1GB
        $vm.CurrentMemoryBytes | Should -Be 512MB
    }

    It 'changes a running VM''s balloon live' {
        Set-KvmMemory test -CurrentMemory 1GB
        (Get-KvmMemory test).CurrentMemoryBytes | Should -Be 1GB
        (Get-KvmVM test).CurrentMemoryBytes | Should -Be 1GB
    }

    It 'warns when the host has too few free huge pages of that size' {
        Set-KvmMemory kvmps-t6c-m -Memory 1GB -HugePageSize 1GB -WarningVariable warn -WarningAction SilentlyContinue
        # The test driver reports 2 x 201 free 1 GiB pages: enough.
        $warn | Should -BeNullOrEmpty
        Set-KvmMemory kvmps-t6c-m -HugePageSize 2MB -WarningVariable warn -WarningAction SilentlyContinue
        $warn | Should -Match 'needs 512 huge pages of 2 MiB but the host has 194 free'
        # Memory bound strictly to one node counts that node's pages only.
        Set-KvmNuma kvmps-t6c-m -MemoryMode Strict -HostNode 1
        Set-KvmMemory kvmps-t6c-m -HugePageSize 2MB -WarningVariable warn -WarningAction SilentlyContinue
        $warn | Should -Match 'host has 97 free on node\(s\) 1'
    }

    It 'refuses <Case> with <Id> and leaves the configuration as it was' -ForEach @(
        @{ Case = 'an unknown huge page size'; Id = 'UnknownHugePageSize'; Params = @{ HugePageSize = 3MB } }
        @{ Case = 'the base page as a huge page'; Id = 'UnknownHugePageSize'; Params = @{ HugePageSize = 4KB } }
        @{ Case = 'memory that is no whole number of pages'; Id = 'MemoryNotPageAligned'; Params = @{ HugePageSize = 1GB } }
        @{ Case = 'current memory above the maximum'; Id = 'CurrentMemoryExceedsMemory'; Params = @{ Memory = 256MB; CurrentMemory = 512MB } }
    ) {
        Assert-Refused kvmps-t6c-m $Id SetKvmMemoryCommand { Set-KvmMemory kvmps-t6c-m @Params @args }
    }

    It 'refuses a memory size that does not match the guest NUMA cells' {
        Set-KvmNuma kvmps-t6c-m -Cell @{ Cpus = '0' }, @{ Cpus = '1' }
        Assert-Refused kvmps-t6c-m MemoryDoesNotMatchNumaCells SetKvmMemoryCommand { Set-KvmMemory kvmps-t6c-m -Memory 1GB @args }
    }
}
