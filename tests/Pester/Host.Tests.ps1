BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Get-KvmHost on the test driver' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $script:h = Get-KvmHost
    }

    It 'shows the test host: 16 CPUs in 2 NUMA cells' {
        $h.CpuCount | Should -Be 16
        $h.NumaNodeCount | Should -Be 2
        $h.NumaCells.Count | Should -Be 2
        $h.Sockets | Should -Be 2
        $h.CoresPerSocket | Should -Be 8
        $h.ThreadsPerCore | Should -Be 1
    }

    It 'reports no KVM on the test driver' {
        $h.KvmSupported | Should -BeFalse
        $h.DomainTypes | Should -Be @('test')
    }

    It 'gives each cell its CPUs with socket, core and siblings' {
        $h.NumaCells[0].Cpus | Should -Be '0-7'
        $h.NumaCells[1].Cpus | Should -Be '8-15'
        $cpu9 = $h.NumaCells[1].CpuList | Where-Object Id -eq 9
        $cpu9.SocketId | Should -Be 1
        $cpu9.CoreId | Should -Be 1
        $cpu9.Siblings | Should -Be '9'
    }

    It 'agrees with virsh on memory and per-cell free memory' -Skip:(-not (Get-Command virsh -ErrorAction Ignore)) {
        # virsh opens its own test driver: the same fixed host.
        $node = virsh -c test:///default nodeinfo
        $kib = [ulong](($node | Select-String 'Memory size:\s+(\d+)').Matches[0].Groups[1].Value)
        $h.MemoryBytes | Should -Be ($kib * 1KB)
        $free = virsh -c test:///default freecell --all
        $cell1 = [ulong](($free | Select-String '^\s*1:\s+(\d+) KiB').Matches[0].Groups[1].Value)
        $h.NumaCells[1].FreeMemoryBytes | Should -Be ($cell1 * 1KB)
    }

    It 'agrees with virsh on free pages per cell' -Skip:(-not (Get-Command virsh -ErrorAction Ignore)) {
        # The test driver makes its counts up from the request, so ask what virsh asks: all sizes.
        $out = virsh -c test:///default freepages --all
        $expected = [ulong](($out | Select-String '2048KiB:\s+(\d+)').Matches[0].Groups[1].Value)
        ($h.NumaCells[0].Pages | Where-Object PageSizeBytes -eq 2MB).Free | Should -Be $expected
    }

    It 'remembers the URI it came from' {
        $h.Uri | Should -Be 'test:///default'
    }

    It 'binds -Uri from a piped object' {
        $fromPipe = [pscustomobject]@{ Uri = 'test:///default' } | Get-KvmHost
        $fromPipe.CpuCount | Should -Be 16
    }
}

Describe 'Get-KvmHost on a real libvirtd' -Tag System {
    BeforeAll {
        $script:q = Get-KvmHost -Uri qemu:///system
    }

    It 'reads the QEMU host and says KvmSupported False without /dev/kvm' {
        $q.HypervisorType | Should -Be 'QEMU'
        $q.KvmSupported | Should -Be (Test-Path /dev/kvm)
        $q.DomainTypes | Should -Contain 'qemu'
    }

    It 'says KvmUsable only where the CPU also shows vmx/svm (not with paravirtualized KVM)' {
        $flags = (Get-Content /proc/cpuinfo | Select-String '^flags' | Select-Object -First 1).Line -split '\s+'
        $q.KvmUsable | Should -Be ($q.KvmSupported -and ($flags -contains 'vmx' -or $flags -contains 'svm'))
    }

    It 'agrees with the kernel on CPUs and memory' {
        $q.CpuCount | Should -Be ([Environment]::ProcessorCount)
        # On a NUMA-capable kernel libvirt sums the nodes' MemTotal (which can differ from
        # /proc/meminfo on a virtual machine with hot-plugged memory); read the same files.
        $memKiB = [ulong]0
        foreach ($f in Get-ChildItem /sys/devices/system/node/node*/meminfo) {
            $memKiB += [ulong]((Get-Content $f | Select-String 'MemTotal:\s+(\d+)').Matches[0].Groups[1].Value)
        }
        $q.MemoryBytes | Should -Be ($memKiB * 1KB)
        ($q.NumaCells | Measure-Object MemoryBytes -Sum).Sum | Should -Be ($memKiB * 1KB)
    }

    It 'agrees with virsh on the hypervisor version' {
        $v = virsh -c qemu:///system version | Select-String 'Running hypervisor: QEMU ([\d.]+)'
        $q.HypervisorVersion.ToString() | Should -Be $v.Matches[0].Groups[1].Value
    }

    It 'has one NUMA cell per node in /sys' {
        $nodes = @(Get-ChildItem /sys/devices/system/node -Directory -Filter 'node*' | Where-Object Name -match '^node\d+$')
        $q.NumaNodeCount | Should -Be $nodes.Count
    }

    It 'returns a live connection object for the daemon' {
        $c = Connect-KvmHost -Uri qemu:///system -PassThru
        $c.IsAlive | Should -BeTrue
        $c.Uri | Should -Be 'qemu:///system'
    }
}
