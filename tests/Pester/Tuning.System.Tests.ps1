# CPU, pinning, NUMA and memory tuning on a real libvirtd with QEMU. What the cmdlets write is read
# back with virsh and checked with virt-xml-validate; live pins are checked against QEMU's own
# vCPU thread ids and the kernel's affinity of those threads; huge pages against /sys.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Uri = 'qemu:///system'
    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-t6c-$PID"
    $null = New-Item -ItemType Directory -Force -Path $script:Dir
    $script:Names = 'kvmps-t6c-seed', 'kvmps-t6c-run', 'kvmps-t6c-one', 'kvmps-t6c-huge', 'kvmps-t6c-nest', 'kvmps-t6c-bad'
    $script:HugeDir = '/sys/kernel/mm/hugepages/hugepages-2048kB'
    $script:OldHugePages = [int](Get-Content /proc/sys/vm/nr_hugepages)
    Reset-KvmSession
    Connect-KvmHost $script:Uri

    [xml] $script:Caps = virsh -c $script:Uri capabilities
    $caps = $script:Caps
    $script:Arch = $caps.capabilities.host.cpu.arch
    $script:Vendor = $caps.capabilities.host.cpu.vendor
    # A domain type the host offers for its own architecture: qemu (TCG) runs wherever QEMU does,
    # even where kvm is offered but unusable; both run a guest without an OS, which is all these
    # tests need.
    $types = @($caps.capabilities.guest | Where-Object { $_.arch.name -eq $script:Arch } | ForEach-Object { $_.arch.domain.type })
    $script:DomainType = if ($types -contains 'qemu') { 'qemu' } else { $types[0] }

    function Set-HugePages([int] $Count) {
        # Set-Content cannot write to /proc; a single write of the number does.
        [IO.File]::WriteAllText('/proc/sys/vm/nr_hugepages', "$Count`n")
    }

    function Remove-TestVM([string] $Name) {
        virsh -c $script:Uri destroy $Name *> $null
        virsh -c $script:Uri undefine $Name --nvram *> $null
    }

    function New-TinyVM([string] $Name, [int] $VCpus = 2) {
        # No disk, no OS: the firmware finds nothing to boot and waits, its vCPU threads alive.
        Remove-TestVM $Name
        Import-KvmVM -Xml ("<domain type='$($script:DomainType)'><name>$Name</name><memory unit='MiB'>64</memory>" +
            "<vcpu placement='static'>$VCpus</vcpu><os><type arch='$($script:Arch)'>hvm</type></os>" +
            "<features><acpi/><apic/></features><devices><memballoon model='none'/></devices></domain>")
    }

    function Get-VCpuAffinity([string] $Name) {
        # cpu-index -> Cpus_allowed_list of its QEMU thread, as '0=1 1=0'.
        $reply = virsh -c $script:Uri qemu-monitor-command $Name '{"execute":"query-cpus-fast"}' | ConvertFrom-Json
        $qemuPid = [int](Get-Content "/run/libvirt/qemu/$Name.pid")
        ($reply.return | Sort-Object 'cpu-index' | ForEach-Object {
            $status = Get-Content "/proc/$qemuPid/task/$($_.'thread-id')/status"
            $allowed = ($status | Where-Object { $_ -like 'Cpus_allowed_list:*' }) -replace '^Cpus_allowed_list:\s*', ''
            "$($_.'cpu-index')=$allowed"
        }) -join ' '
    }

    function Get-EmulatorAffinity([string] $Name) {
        # QEMU's main thread (thread id = process id) is one of the emulator threads.
        $qemuPid = [int](Get-Content "/run/libvirt/qemu/$Name.pid")
        (Get-Content "/proc/$qemuPid/task/$qemuPid/status" | Where-Object { $_ -like 'Cpus_allowed_list:*' }) -replace '^Cpus_allowed_list:\s*', ''
    }

    function Get-VirshVCpuPin([string] $Name, [switch] $Config) {
        # 'virsh vcpupin' prints ' 0      1' rows: vCPU and affinity.
        $opt = if ($Config) { '--config' } else { '--live' }
        (virsh -c $script:Uri vcpupin $Name $opt | Where-Object { $_ -match '^\s*\d+\s+\S+\s*$' } |
            ForEach-Object { $f = -split $_; "$($f[0])=$($f[1])" }) -join ' '
    }
}

AfterAll {
    foreach ($n in $script:Names) { Remove-TestVM $n }
    Set-HugePages $script:OldHugePages
    Remove-Item $script:Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'Tuning XML on a real libvirtd' -Tag System {
    It 'writes the seed''s CPU, pinning, NUMA and huge page XML, which libvirt keeps and its schema accepts' {
        Remove-TestVM kvmps-t6c-seed
        # -AllowOverlap: other test runs may pin their VMs on this shared daemon at the same time;
        # keeping VMs apart is tested on the test driver.
        New-KvmVM -Name kvmps-t6c-seed -Memory 1GB -VCpuCount 2 -Graphics None -PassThru -WarningAction SilentlyContinue |
            Set-KvmCpu -Mode HostPassthrough -Sockets 1 -Cores 2 -Threads 1 -CachePassthrough -PassThru |
            Set-KvmNuma -Cell @{ Cpus = '0'; Memory = 512MB }, @{ Cpus = '1'; Memory = 512MB } -MemoryMode Strict -HostNode 0 -PassThru |
            Set-KvmCpuPin -Auto -AllowOverlap -PassThru |
            Set-KvmMemory -HugePageSize 2MB -Locked -NoBalloon -WarningAction SilentlyContinue

        $file = Join-Path $script:Dir 'seed.xml'
        virsh -c $script:Uri dumpxml --inactive kvmps-t6c-seed | Set-Content $file
        [xml] $x = Get-Content -Raw $file
        $d = $x.domain
        # 5.1 CPU model and topology
        $d.cpu.mode | Should -Be 'host-passthrough'
        "$($d.cpu.topology.sockets) $($d.cpu.topology.dies) $($d.cpu.topology.cores) $($d.cpu.topology.threads)" | Should -Be '1 1 2 1'
        $d.cpu.cache.mode | Should -Be 'passthrough'
        # 5.2 pinning: one host CPU per vCPU, the emulator off the vCPUs when the host has room
        ($d.cputune.vcpupin | ForEach-Object { "$($_.vcpu)=$($_.cpuset)" }) -join ' ' | Should -Be '0=0 1=1'
        $hostCpus = @($script:Caps.capabilities.host.topology.cells.cell.cpus.cpu).Count
        $d.cputune.emulatorpin.cpuset | Should -Be $(if ($hostCpus -gt 2) { '2' } else { '0-1' })
        # 5.3 guest NUMA cells and host memory binding
        ($d.cpu.numa.cell | ForEach-Object { "$($_.id):$($_.cpus):$($_.memory)$($_.unit)" }) -join ' ' | Should -Be '0:0:524288KiB 1:1:524288KiB'
        "$($d.numatune.memory.mode):$($d.numatune.memory.nodeset)" | Should -Be 'strict:0'
        # 5.4 huge pages, locked, no balloon
        "$($d.memoryBacking.hugepages.page.size)$($d.memoryBacking.hugepages.page.unit)" | Should -Be '2048KiB'
        $d.memoryBacking.ChildNodes.Name | Should -Contain 'locked'
        $d.devices.memballoon.model | Should -Be 'none'

        virt-xml-validate $file domain 2>&1 | Out-String | Should -Match 'validates'
        # What the Get-* cmdlets report agrees with libvirt.
        (Get-KvmCpu kvmps-t6c-seed).Mode | Should -Be 'HostPassthrough'
        (Get-KvmCpuPin kvmps-t6c-seed).HostCpus -join ',' | Should -Be '0,1'
        (Get-KvmNuma kvmps-t6c-seed).Cells.Count | Should -Be 2
        (Get-KvmMemory kvmps-t6c-seed).HugePageSizeBytes | Should -Be 2MB
    }

    It 'adds the host vendor''s virtualization flag for -Nested' {
        if (-not $script:Vendor) {
            Set-ItResult -Skipped -Because 'the host does not report its CPU vendor'
            return
        }
        Remove-TestVM kvmps-t6c-nest
        New-KvmVM -Name kvmps-t6c-nest -Memory 256MB -Graphics None -WarningAction SilentlyContinue
        Set-KvmCpu kvmps-t6c-nest -Mode HostPassthrough -Nested -Feature '-x2apic' -WarningVariable warn -WarningAction SilentlyContinue
        $flag = if ($script:Vendor -eq 'AMD') { 'svm' } else { 'vmx' }
        # A host whose own CPU lacks the flag (nested virtualization off) cannot start the VM: said.
        $hostHasFlag = @($script:Caps.capabilities.host.cpu.feature.name) -contains $flag
        if ($hostHasFlag) { $warn | Should -BeNullOrEmpty } else { ($warn -join "`n") | Should -Match "does not offer $flag" }
        $file = Join-Path $script:Dir 'nest.xml'
        virsh -c $script:Uri dumpxml --inactive kvmps-t6c-nest | Set-Content $file
        [xml] $x = Get-Content -Raw $file
        ($x.domain.cpu.feature | ForEach-Object { "$($_.policy):$($_.name)" }) -join ',' | Should -Be "disable:x2apic,require:$flag"
        virt-xml-validate $file domain 2>&1 | Out-String | Should -Match 'validates'
        (Get-KvmCpu kvmps-t6c-nest).Nested | Should -BeTrue
    }

    It 'refuses a host CPU the host does not have and leaves the definition as it was' {
        New-TinyVM kvmps-t6c-bad
        $before = virsh -c $script:Uri dumpxml --inactive kvmps-t6c-bad | Out-String
        $hostCpus = @($script:Caps.capabilities.host.topology.cells.cell.cpus.cpu).Count
        Set-KvmCpuPin kvmps-t6c-bad -VCpu 0 -HostCpu "$hostCpus" -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'HostCpuNotFound,KvmPS.Commands.SetKvmCpuPinCommand'
        Set-KvmNuma kvmps-t6c-bad -Cell @{ Cpus = '0' } -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2[0].FullyQualifiedErrorId | Should -Be 'NumaCellsIncomplete,KvmPS.Commands.SetKvmNumaCommand'
        Set-KvmMemory kvmps-t6c-bad -HugePageSize 3MB -ErrorAction SilentlyContinue -ErrorVariable err3
        $err3[0].FullyQualifiedErrorId | Should -Be 'UnknownHugePageSize,KvmPS.Commands.SetKvmMemoryCommand'
        virsh -c $script:Uri dumpxml --inactive kvmps-t6c-bad | Out-String | Should -Be $before
    }
}

Describe 'Live pinning of a running QEMU guest' -Tag System {
    BeforeAll {
        New-TinyVM kvmps-t6c-run
        Start-KvmVM kvmps-t6c-run
        $null = Wait-Until { (virsh -c $script:Uri domstate kvmps-t6c-run) -match 'running' }
    }
    AfterAll {
        Remove-TestVM kvmps-t6c-run
    }

    It 'pins each vCPU thread where it was asked: virsh, QEMU''s thread ids and the kernel agree' {
        Set-KvmCpuPin kvmps-t6c-run -Map @{ 0 = '1'; 1 = '0' }
        Get-VirshVCpuPin kvmps-t6c-run | Should -Be '0=1 1=0'
        Get-VCpuAffinity kvmps-t6c-run | Should -Be '0=1 1=0'
        # The persistent definition has the same pins for the next start.
        Get-VirshVCpuPin kvmps-t6c-run -Config | Should -Be '0=1 1=0'

        Set-KvmCpuPin kvmps-t6c-run -VCpu 0 -HostCpu '0-1'
        Get-VirshVCpuPin kvmps-t6c-run | Should -Be '0=0-1 1=0'
        Get-VCpuAffinity kvmps-t6c-run | Should -Be '0=0-1 1=0'
        (Get-KvmCpuPin kvmps-t6c-run | ForEach-Object { "$($_.VCpu)=$($_.HostCpus)" }) -join ' ' | Should -Be '0=0,1 1=0'
    }

    It 'pins the emulator threads live' {
        Set-KvmCpuPin kvmps-t6c-run -EmulatorCpu 1
        (virsh -c $script:Uri emulatorpin kvmps-t6c-run --live | Out-String) | Should -Match '\*:\s*1\s'
        Get-EmulatorAffinity kvmps-t6c-run | Should -Be '1'
    }

    It 'plans -Auto and -Clear puts every thread back on all host CPUs' {
        Set-KvmCpuPin kvmps-t6c-run -Auto -AllowOverlap
        Get-VCpuAffinity kvmps-t6c-run | Should -Be '0=0 1=1'
        Get-VirshVCpuPin kvmps-t6c-run | Should -Be '0=0 1=1'
        Set-KvmCpuPin kvmps-t6c-run -Clear
        $all = (Get-Content /sys/devices/system/cpu/online).Trim()
        Get-VCpuAffinity kvmps-t6c-run | Should -Be "0=$all 1=$all"
        Get-EmulatorAffinity kvmps-t6c-run | Should -Be $all
        (Get-KvmCpuPin kvmps-t6c-run).Pinned | Should -Not -Contain $true
        ([xml] (virsh -c $script:Uri dumpxml --inactive kvmps-t6c-run)).domain.cputune | Should -BeNullOrEmpty
    }

    It 'gives a one-vCPU guest''s emulator the CPU its vCPU does not use' {
        New-TinyVM kvmps-t6c-one -VCpus 1
        Start-KvmVM kvmps-t6c-one
        try {
            Set-KvmCpuPin kvmps-t6c-one -Auto -AllowOverlap
            Get-VCpuAffinity kvmps-t6c-one | Should -Be '0=0'
            Get-EmulatorAffinity kvmps-t6c-one | Should -Be '1'
        }
        finally {
            Remove-TestVM kvmps-t6c-one
        }
    }
}

Describe 'Huge pages on a real host' -Tag System {
    AfterEach {
        Remove-TestVM kvmps-t6c-huge
        Set-HugePages $script:OldHugePages
    }

    It 'warns before pages are reserved; with 64 reserved the guest starts and takes 32 of them' {
        New-TinyVM kvmps-t6c-huge
        Set-HugePages $script:OldHugePages
        $free0 = [int](Get-Content "$script:HugeDir/free_hugepages")
        if ($free0 -lt 32) {
            Set-KvmMemory kvmps-t6c-huge -HugePageSize 2MB -Memfd -WarningVariable warn -WarningAction SilentlyContinue
            ($warn -join "`n") | Should -Match "needs 32 huge pages of 2 MiB but the host has $free0 free"
        }
        Set-HugePages ($script:OldHugePages + 64)
        $free1 = [int](Get-Content "$script:HugeDir/free_hugepages")
        $free1 | Should -BeGreaterOrEqual 32 -Because 'the kernel reserved the pages'
        # memfd needs no hugetlbfs mount, which libvirtd would only have seen when it started.
        Set-KvmMemory kvmps-t6c-huge -HugePageSize 2MB -Memfd -WarningVariable warn2 -WarningAction SilentlyContinue
        $warn2 | Should -BeNullOrEmpty
        Start-KvmVM kvmps-t6c-huge
        (Get-KvmVM kvmps-t6c-huge).State | Should -Be 'Running'
        $free2 = [int](Get-Content "$script:HugeDir/free_hugepages")
        $free1 - $free2 | Should -Be 32
        ((Get-KvmHost).NumaCells.Pages | Where-Object PageSizeBytes -eq 2MB | Measure-Object Free -Sum).Sum | Should -Be $free2
        Stop-KvmVM kvmps-t6c-huge -TurnOff -Force
        [int](Get-Content "$script:HugeDir/free_hugepages") | Should -Be $free1
    }

    It 'starts a guest on file-backed huge pages when the daemon has a hugetlbfs mount' {
        # build.ps1 mounts hugetlbfs before it starts the test daemon; a daemon found running may
        # have started without one, and libvirtd looks for mounts only when it starts.
        if (-not ($env:KVMPS_DAEMON_OWNED -and ((Get-Content /proc/mounts) -match ' hugetlbfs '))) {
            Set-ItResult -Skipped -Because 'the daemon was not started by this run after a hugetlbfs mount'
            return
        }
        New-TinyVM kvmps-t6c-huge
        Set-HugePages ($script:OldHugePages + 64)
        $free1 = [int](Get-Content "$script:HugeDir/free_hugepages")
        Set-KvmMemory kvmps-t6c-huge -HugePageSize 2MB -WarningVariable warn -WarningAction SilentlyContinue
        $warn | Should -BeNullOrEmpty
        Start-KvmVM kvmps-t6c-huge
        (Get-KvmVM kvmps-t6c-huge).State | Should -Be 'Running'
        $free1 - [int](Get-Content "$script:HugeDir/free_hugepages") | Should -Be 32
        Stop-KvmVM kvmps-t6c-huge -TurnOff -Force
    }

    It 'says when file-backed huge pages have no hugetlbfs mount' {
        if ((Get-Content /proc/mounts) -match ' hugetlbfs ') {
            Set-ItResult -Skipped -Because 'this host has a hugetlbfs mount'
            return
        }
        New-TinyVM kvmps-t6c-huge
        Set-KvmMemory kvmps-t6c-huge -HugePageSize 2MB -WarningVariable warn -WarningAction SilentlyContinue
        ($warn -join "`n") | Should -Match 'no hugetlbfs of 2 MiB pages is mounted'
        ($warn -join "`n") | Should -Match '-Memfd'
    }
}
