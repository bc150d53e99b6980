# Tuning that must reach the inside of a guest: a VM made by New-KvmVM and tuned in the pipeline
# boots the test guest (tests/guest), which reports the CPUs, sockets and NUMA nodes it sees.
BeforeDiscovery {
    $script:HaveImageTools = [bool](Get-Command apt-get -ErrorAction Ignore) -and (Test-Path /bin/busybox)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Uri = 'qemu:///system'
    $script:Image = Get-TestGuestImage
    $script:Work = New-TestGuestWorkDirectory -Prefix 'kvmps-tune-' -Parent /var/lib/libvirt/images
    $script:Net = "kvmps-tune-$PID"
    New-IsolatedTestNetwork $script:Net -Start
    Reset-KvmSession
    Connect-KvmHost $script:Uri

    function New-GuestVM([string] $Name, [int] $VCpu, [ulong] $Memory, [hashtable] $Extra = @{}, [switch] $Hold) {
        New-KvmVM -Name $Name -Memory $Memory -VCpuCount $VCpu -Graphics None -OSVariant linux2022 `
            -Kernel $script:Image.Kernel -Initrd $script:Image.Initrd -KernelArgs (Get-TestGuestKernelCmdline -Hold:$Hold) `
            -SerialLogPath (Join-Path $script:Work "$Name.log") -Network $script:Net `
            -WarningAction SilentlyContinue -PassThru @Extra
    }
}

AfterAll {
    foreach ($n in 'kvmps-tune-numa', 'kvmps-tune-hp') {
        virsh -c $script:Uri destroy $n *> $null
        virsh -c $script:Uri undefine $n *> $null
    }
    Remove-IsolatedTestNetwork $script:Net
    Remove-Item $script:Work -Recurse -Force -ErrorAction Ignore
}

Describe 'A guest tuned to 2 sockets x 2 cores and two NUMA cells' -Tag System -Skip:(-not $HaveImageTools) {
    BeforeAll {
        New-GuestVM kvmps-tune-numa 4 512MB |
            Set-KvmCpu -Sockets 2 -Cores 2 -Threads 1 -PassThru |
            Set-KvmNuma -Cell @{ Cpus = '0-1'; Memory = 256MB }, @{ Cpus = '2-3'; Memory = 256MB } -PassThru |
            Start-KvmVM
        $script:Report = Read-TestGuestReport -SerialLog (Join-Path $script:Work 'kvmps-tune-numa.log') -TimeoutSec 120
    }

    It 'reports 4 CPUs in 2 sockets of 2 cores' {
        $Report.cpus | Should -Be 4
        $Report.sockets | Should -Be 2
        $Report.cores_per_socket | Should -Be 2
        $Report.threads_per_core | Should -Be 1
    }

    It 'reports 2 NUMA nodes with the CPUs and memory of each cell' {
        $Report.nodes | Should -Be 2
        ($Report.node | Sort-Object Id).Cpus | Should -Be @('0-1', '2-3')
        foreach ($n in $Report.node) {
            $n.MemTotalKiB | Should -BeLessOrEqual (256MB / 1KB)
            $n.MemTotalKiB | Should -BeGreaterThan (96MB / 1KB)
        }
    }
}

Describe 'A guest made with -Profile HighPerformance' -Tag System -Skip:(-not $HaveImageTools) {
    BeforeAll {
        # -Hold keeps the guest running after its report, for the thread checks below.
        $script:Vm = New-GuestVM kvmps-tune-hp 2 256MB @{ Profile = 'HighPerformance'; DiskPath = (Join-Path $script:Work 'hp.qcow2'); DiskSize = 64MB; Start = $true } -Hold
        $script:Report = Read-TestGuestReport -SerialLog (Join-Path $script:Work 'kvmps-tune-hp.log') -TimeoutSec 120
        [xml] $script:Live = virsh -c $script:Uri dumpxml kvmps-tune-hp
    }

    It 'gives the guest one socket with a core per vCPU' {
        $Report.cpus | Should -Be 2
        $Report.sockets | Should -Be 1
        $Report.cores_per_socket | Should -Be 2
    }

    It 'passes the CPU through (or offers every feature under emulation) with its caches' {
        $expected = if ($Live.domain.type -eq 'kvm') { 'host-passthrough' } else { 'maximum' }
        $Live.domain.cpu.mode | Should -Be $expected
        $Live.domain.cpu.cache.mode | Should -Be 'passthrough'
    }

    It 'pins each vCPU to its own host CPU, as virsh and the kernel see it' {
        $pins = @($Live.domain.cputune.vcpupin)
        $pins.Count | Should -Be 2
        $cpus = [Environment]::ProcessorCount
        # One host CPU each; distinct where the host has enough CPUs for vCPUs and emulator alike.
        foreach ($p in $pins) { [int]$p.cpuset | Should -BeLessThan $cpus }
        ($pins.cpuset | Select-Object -Unique).Count | Should -Be ([math]::Min(2, $cpus))
        $vmPid = [int](Get-Content /run/libvirt/qemu/kvmps-tune-hp.pid)
        $threads = (virsh -c $script:Uri qemu-monitor-command kvmps-tune-hp '{"execute":"query-cpus-fast"}' | ConvertFrom-Json).return
        foreach ($t in $threads) {
            $allowed = (Get-Content "/proc/$vmPid/task/$($t.'thread-id')/status" | Select-String '^Cpus_allowed_list:\s+(\S+)').Matches[0].Groups[1].Value
            $want = ($pins | Where-Object vcpu -eq ([string]$t.'cpu-index')).cpuset
            $allowed | Should -Be $want
        }
    }

    It 'uses direct I/O on its disk and multiqueue vhost on its NIC' {
        $disk = $Live.domain.devices.disk | Where-Object device -eq 'disk'
        $disk.driver.cache | Should -Be 'none'
        $disk.driver.io | Should -Be 'native'
        $nic = $Live.domain.devices.interface
        if ($Live.domain.type -eq 'kvm' -and -not (Test-Path /dev/vhost-net)) {
            # QEMU would refuse vhost without /dev/vhost-net: the profile leaves it out here.
            $nic.driver | Should -BeNullOrEmpty
        } else {
            $nic.driver.name | Should -Be 'vhost'
            $nic.driver.queues | Should -Be '2'
        }
        $Report.nic[0].Driver | Should -Be 'virtio_net'
    }
}
