# The tiny test guest (tests/guest) that system tests boot to see what a setting did inside a
# guest: its XML builder, its report reader, and a real boot on qemu:///system.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
}

BeforeDiscovery {
    $script:CanValidate = [bool](Get-Command virt-xml-validate -ErrorAction Ignore)
}

Describe 'New-TestGuestDomainXml' {
    BeforeAll {
        $script:Fake = @{ Kernel = '/nonexistent/vmlinuz'; Initrd = '/nonexistent/initrd.gz' }
        function Test-DomainXml([string] $Xml) {
            $file = Join-Path $TestDrive 'domain.xml'
            Set-Content -Path $file -Value $Xml
            $out = & virt-xml-validate $file domain 2>&1
            if ($LASTEXITCODE -ne 0) { throw "virt-xml-validate: $out" }
            $true
        }
    }

    It 'builds a qemu domain with direct kernel boot, ACPI and a serial log file' {
        [xml] $x = New-TestGuestDomainXml -Name kvmps-tg-unit -SerialLog /tmp/x.log @Fake
        $x.domain.type | Should -Be 'qemu'
        $x.domain.name | Should -Be 'kvmps-tg-unit'
        $x.domain.memory.'#text' | Should -Be '262144'
        $x.domain.memory.unit | Should -Be 'KiB'
        $x.domain.os.kernel | Should -Be '/nonexistent/vmlinuz'
        $x.domain.os.initrd | Should -Be '/nonexistent/initrd.gz'
        $x.domain.os.cmdline | Should -Match '(^| )console=ttyS0( |$)'
        $x.domain.os.cmdline | Should -Not -Match 'kvmps\.hold'
        $x.domain.features.SelectSingleNode('acpi') | Should -Not -BeNullOrEmpty
        $x.domain.features.SelectSingleNode('apic') | Should -Not -BeNullOrEmpty
        $x.domain.devices.serial.type | Should -Be 'file'
        $x.domain.devices.serial.source.path | Should -Be '/tmp/x.log'
    }

    It 'splits vCPUs and memory into NUMA cells and sets -Hold on the command line' {
        [xml] $x = New-TestGuestDomainXml -Name n -VCpu 3 -NumaNodes 2 -MemoryMiB 256 -Hold -ExtraCmdline 'kvmps.debug=1' @Fake
        $cells = @($x.domain.cpu.numa.cell)
        $cells.cpus | Should -Be @('0-1', '2')
        ($cells | ForEach-Object { [long]$_.memory } | Measure-Object -Sum).Sum | Should -Be 262144
        $x.domain.vcpu | Should -Be '3'
        $x.domain.os.cmdline | Should -Match 'kvmps\.hold=1 kvmps\.debug=1$'
    }

    It 'offers CPU hotplug room with -MaxVCpu and a topology' {
        [xml] $x = New-TestGuestDomainXml -Name t -VCpu 2 -MaxVCpu 4 -Sockets 2 -Cores 2 @Fake
        $x.domain.vcpu.current | Should -Be '2'
        $x.domain.vcpu.'#text' | Should -Be '4'
        $x.domain.cpu.topology.sockets | Should -Be '2'
        $x.domain.cpu.topology.cores | Should -Be '2'
        $x.domain.cpu.topology.threads | Should -Be '1'
    }

    It 'adds extra devices and rejects a fragment that is not XML' {
        [xml] $x = New-TestGuestDomainXml -Name d @Fake -ExtraDevicesXml "<interface type='network'><source network='x'/></interface>"
        $x.domain.devices.interface.source.network | Should -Be 'x'
        { New-TestGuestDomainXml -Name d @Fake -ExtraDevicesXml '<disk' } | Should -Throw '*not one XML element*'
    }

    It 'adds the agent channel, a pty console with its log and the option flags' {
        [xml] $x = New-TestGuestDomainXml -Name a -SerialLog /tmp/a.log -Agent -Shell -Counter @Fake
        $x.domain.devices.channel.type | Should -Be 'unix'
        $x.domain.devices.channel.target.name | Should -Be 'org.qemu.guest_agent.0'
        $x.domain.devices.serial.type | Should -Be 'pty'
        $x.domain.devices.serial.log.file | Should -Be '/tmp/a.log'
        $x.domain.os.cmdline | Should -Match 'kvmps\.hold=1 kvmps\.agent=1 kvmps\.shell=1 kvmps\.counter=1$'
    }

    It 'rejects a topology that does not match the vCPU count' {
        { New-TestGuestDomainXml -Name d -VCpu 4 -Sockets 3 @Fake } | Should -Throw '*must equal*'
    }

    It 'passes virt-xml-validate: <Case>' -Skip:(-not $script:CanValidate) -ForEach @(
        @{ Case = 'minimal'; Arguments = @{} }
        @{ Case = 'NUMA, hotplug, topology, UUID'; Arguments = @{ VCpu = 2; MaxVCpu = 4; NumaNodes = 2; Sockets = 2; Cores = 2; Uuid = [guid]::NewGuid(); Machine = 'q35' } }
        @{ Case = 'serial log and a NIC'; Arguments = @{ SerialLog = '/tmp/x.log'; Hold = $true; ExtraDevicesXml = "<interface type='network'><source network='x'/><model type='virtio'/></interface>" } }
        @{ Case = 'agent, shell, counter'; Arguments = @{ SerialLog = '/tmp/x.log'; Agent = $true; Shell = $true; Counter = $true } }
    ) {
        Test-DomainXml (New-TestGuestDomainXml -Name kvmps-tg-valid @Fake @Arguments) | Should -BeTrue
    }
}

Describe 'Read-TestGuestReport' {
    BeforeAll {
        $script:Sample = @(
            '[    0.000000] Linux version 6.1.0',
            'KVMPS begin', 'KVMPS report=1', 'KVMPS cpus=2', 'KVMPS cmdline=console=ttyS0 quiet',
            'KVMPS cpu=0,0,0,0,0', 'KVMPS cpu=1,1,1,0,1',
            'KVMPS nic=eth0,52:54:00:00:00:01,virtio_net,1500,0000:00:02.0,down',
            'KVMPS disk=vda,131072,virtio_blk,0,serial1', 'KVMPS done',
            'KVMPS begin', 'KVMPS report=2', 'KVMPS cpus=3', 'KVMPS done'
        ) -join "`r`n"
    }

    It 'parses the first report: numbers, strings and lists of objects' {
        $log = Join-Path $TestDrive 'a.log'
        Set-Content -Path $log -Value $Sample -NoNewline
        $r = Read-TestGuestReport -SerialLog $log -TimeoutSec 1
        $r.cpus | Should -Be 2
        $r.cpus | Should -BeOfType ([long])
        $r.cmdline | Should -Be 'console=ttyS0 quiet'
        $r.cpu.Count | Should -Be 2
        $r.cpu[1].Node | Should -Be 1
        $r.nic[0].Mac | Should -Be '52:54:00:00:00:01'
        $r.nic[0].Driver | Should -Be 'virtio_net'
        $r.nic[0].State | Should -Be 'down'
        $r.disk[0].Sectors | Should -Be 131072
        $r.disk[0].Serial | Should -Be 'serial1'
        $r.node | Should -BeNullOrEmpty
    }

    It 'returns a later report with -Occurrence' {
        $log = Join-Path $TestDrive 'b.log'
        Set-Content -Path $log -Value $Sample
        (Read-TestGuestReport -SerialLog $log -Occurrence 2 -TimeoutSec 1).cpus | Should -Be 3
    }

    It 'fails after the timeout with the end of the log' {
        $log = Join-Path $TestDrive 'c.log'
        Set-Content -Path $log -Value 'KVMPS begin', 'still booting'
        { Read-TestGuestReport -SerialLog $log -TimeoutSec 1 } | Should -Throw '*within 1 s*still booting*'
    }

    It 'fails at once on a kernel panic' {
        $log = Join-Path $TestDrive 'd.log'
        Set-Content -Path $log -Value 'Kernel panic - not syncing: Attempted to kill init!'
        $elapsed = Measure-Command { { Read-TestGuestReport -SerialLog $log -TimeoutSec 30 } | Should -Throw '*Kernel panic*' }
        $elapsed.TotalSeconds | Should -BeLessThan 10
    }
}

Describe 'The test guest on a real libvirtd' -Tag System {
    BeforeAll {
        $script:Uri = $SystemUri
        function Invoke-Virsh {
            $out = & virsh -c $script:Uri @args 2>&1
            if ($LASTEXITCODE -ne 0) { throw "virsh $($args -join ' ') failed: $out" }
            $out
        }
        function Get-DomainState([string] $Name) { (& virsh -c $script:Uri domstate $Name 2>$null | Select-Object -First 1) }
        function Write-Timing([string] $What, [double] $Seconds) {
            $script:Timings[$What] = [Math]::Round($Seconds, 2)
            Write-Information ("  timing: {0} = {1:N2} s" -f $What, $Seconds) -InformationAction Continue
        }
        $script:Timings = [ordered]@{}

        $sw = [Diagnostics.Stopwatch]::StartNew()
        $script:Image = Get-TestGuestImage
        Write-Timing "image ($(if ($Image.Cached) { 'cached' } else { 'built' }))" $sw.Elapsed.TotalSeconds

        $script:WorkDir = New-TestGuestWorkDirectory -Prefix 'kvmps-tg-'
        # An isolated network: no <forward> and no <ip>, so no route, no NAT, no dnsmasq - just a
        # bridge in the daemon's network namespace.
        $script:NetName = 'kvmps-tg-isolated'
        $netXml = [System.Xml.Linq.XElement]::new('network', [System.Xml.Linq.XElement]::new('name', $NetName)).ToString()
        $netFile = Join-Path $WorkDir 'network.xml'
        Set-Content -Path $netFile -Value $netXml
        Invoke-Virsh net-create $netFile | Out-Null

        $script:Mac = '52:54:00:{0:x2}:{1:x2}:{2:x2}' -f (Get-Random -Max 256), (Get-Random -Max 256), (Get-Random -Max 256)
        $script:Disk = Join-Path $WorkDir 'disk.qcow2'
        & qemu-img create -q -f qcow2 $Disk 64M
        $script:Nic = "<interface type='network'><source network='$NetName'/><mac address='$Mac'/><model type='virtio'/></interface>"
        $script:DiskXml = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$Disk'/><target dev='vda' bus='virtio'/><serial>kvmps-tg-1</serial></disk>"

        function New-Guest([string] $Name, [hashtable] $Options) {
            $log = Join-Path $script:WorkDir "$Name.log"
            $file = Join-Path $script:WorkDir "$Name.xml"
            Set-Content -Path $file -Value (New-TestGuestDomainXml -Name $Name -SerialLog $log @Options)
            Invoke-Virsh define $file | Out-Null
            $log
        }
    }

    AfterAll {
        foreach ($name in 'kvmps-tg-report', 'kvmps-tg-once', 'kvmps-tg-hotplug', 'kvmps-tg-agent', 'kvmps-tg-install') {
            & virsh -c $script:Uri destroy $name *> $null
            & virsh -c $script:Uri undefine $name *> $null
        }
        & virsh -c $script:Uri net-destroy $script:NetName *> $null
        if ($script:WorkDir -and (Test-Path $script:WorkDir)) { Remove-Item -Recurse -Force $script:WorkDir }
        if ($script:Timings.Count) {
            $dir = Join-Path $script:RepoRoot 'out/test-results'
            $null = New-Item -ItemType Directory -Force -Path $dir
            $script:Timings | ConvertTo-Json | Set-Content (Join-Path $dir 'test-guest-timings.json')
        }
    }

    Context 'a held guest with 2 vCPUs, 2 NUMA cells, 256 MiB, a NIC and a disk' {
        BeforeAll {
            $script:Log = New-Guest 'kvmps-tg-report' @{
                VCpu = 2; NumaNodes = 2; MemoryMiB = 256; Hold = $true; ExtraDevicesXml = $Nic, $DiskXml
            }
            $sw = [Diagnostics.Stopwatch]::StartNew()
            Invoke-Virsh start kvmps-tg-report | Out-Null
            $script:Report = Read-TestGuestReport -SerialLog $Log -TimeoutSec 120
            Write-Timing 'virsh start to KVMPS done (2 vCPUs, NIC, disk)' $sw.Elapsed.TotalSeconds
        }

        It 'sees 2 CPUs in 2 NUMA nodes' {
            $Report.cpus | Should -Be 2
            $Report.cpus_online | Should -Be '0-1'
            $Report.nodes | Should -Be 2
            $Report.node.Cpus | Should -Be @('0', '1')
            $Report.cpu.Node | Should -Be @(0, 1)
        }

        It 'sees about 256 MiB of memory, split over the nodes' {
            $Report.memtotal_kib | Should -BeLessOrEqual 262144
            $Report.memtotal_kib | Should -BeGreaterThan 180000
            ($Report.node.MemTotalKiB | Measure-Object -Sum).Sum | Should -Be $Report.memtotal_kib
        }

        It 'sees the NIC with the MAC from the domain XML, on virtio_net' {
            $Report.nic.Count | Should -Be 1
            $Report.nic[0].Mac | Should -Be $Mac
            $Report.nic[0].Driver | Should -Be 'virtio_net'
            (Invoke-Virsh domiflist kvmps-tg-report) -match [regex]::Escape($Mac) | Should -Not -BeNullOrEmpty
        }

        It 'sends nothing: the guest leaves its NIC down and the network has no address or forward' {
            $Report.nic[0].State | Should -Be 'down'
            [xml] $net = Invoke-Virsh net-dumpxml $NetName
            $net.network.SelectSingleNode('forward') | Should -BeNullOrEmpty
            $net.network.SelectSingleNode('ip') | Should -BeNullOrEmpty
            # The host's counters of the guest's tap device (guest's view): nothing transmitted.
            $line = @((Invoke-Virsh domiflist kvmps-tg-report) -match [regex]::Escape($Mac))[0]
            $target = ($line.Trim() -split '\s+')[0]
            $stat = Invoke-Virsh domifstat kvmps-tg-report $target
            ($stat | Select-String 'tx_packets (\d+)').Matches[0].Groups[1].Value | Should -Be '0'
        }

        It 'sees the virtio disk with its size and serial' {
            $Report.disk.Count | Should -Be 1
            $Report.disk[0].Name | Should -Be 'vda'
            $Report.disk[0].Sectors | Should -Be (64MB / 512)
            $Report.disk[0].Driver | Should -Be 'virtio_blk'
            $Report.disk[0].Serial | Should -Be 'kvmps-tg-1'
        }

        It 'carries the domain UUID and the kernel command line' {
            $Report.uuid | Should -Be ((Invoke-Virsh domuuid kvmps-tg-report) -join '').Trim()
            $Report.cmdline | Should -Match 'console=ttyS0.* kvmps\.hold=1'
        }

        It 'stays up after its report, watching the ACPI power button' {
            $Report.hold | Should -Be 1
            $Report.power_button | Should -Match '^event\d+'
            Start-Sleep -Seconds 2
            Get-DomainState kvmps-tg-report | Should -Be 'running'
        }

        It 'shuts down gracefully on virsh shutdown (ACPI)' {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            Invoke-Virsh shutdown kvmps-tg-report --mode acpi | Out-Null
            Wait-Until { (Get-DomainState kvmps-tg-report) -eq 'shut off' } -TimeoutSec 60 | Should -BeTrue
            Write-Timing 'virsh shutdown to shut off' $sw.Elapsed.TotalSeconds
            Get-Content $Log | Should -Contain 'KVMPS shutdown=acpi'
            # The guest powered itself off; libvirt did not destroy it.
            (Invoke-Virsh domstate kvmps-tg-report --reason) -join ' ' | Should -Match '\(shutdown\)'
        }
    }

    Context 'a guest without -Hold' {
        It 'reports and powers the domain off by itself' {
            $uuid = [guid]::NewGuid()
            $log = New-Guest 'kvmps-tg-once' @{ Uuid = $uuid }
            $sw = [Diagnostics.Stopwatch]::StartNew()
            Invoke-Virsh start kvmps-tg-once | Out-Null
            $r = Read-TestGuestReport -SerialLog $log -TimeoutSec 120
            Write-Timing 'virsh start to KVMPS done (1 vCPU)' $sw.Elapsed.TotalSeconds
            $r.cpus | Should -Be 1
            $r.hold | Should -Be 0
            $r.uuid | Should -Be $uuid.ToString()
            Wait-Until { (Get-DomainState kvmps-tg-once) -eq 'shut off' } -TimeoutSec 60 | Should -BeTrue
            Get-Content $log | Should -Contain 'KVMPS shutdown=report'
            (Invoke-Virsh domstate kvmps-tg-once --reason) -join ' ' | Should -Match '\(shutdown\)'
        }
    }

    Context 'a held guest and a vCPU hotplug' {
        It 'prints a new report when a vCPU is added' {
            $log = New-Guest 'kvmps-tg-hotplug' @{ VCpu = 1; MaxVCpu = 2; Hold = $true }
            Invoke-Virsh start kvmps-tg-hotplug | Out-Null
            $first = Read-TestGuestReport -SerialLog $log -TimeoutSec 120
            $first.cpus | Should -Be 1
            $first.cpus_possible | Should -Be '0-1'
            Invoke-Virsh setvcpus kvmps-tg-hotplug 2 --live | Out-Null
            $second = Read-TestGuestReport -SerialLog $log -Occurrence 2 -TimeoutSec 60
            $second.cpus | Should -Be 2
            $second.report | Should -Be 2
            $second.boot_id | Should -Be $first.boot_id
        }
    }

    Context 'a guest with the agent, a shell on its console and a counter' {
        BeforeAll {
            $script:AgentLog = New-Guest 'kvmps-tg-agent' @{ Agent = $true; Shell = $true; Counter = $true }
            Invoke-Virsh start kvmps-tg-agent | Out-Null
            $script:AgentReport = Read-TestGuestReport -SerialLog $AgentLog -TimeoutSec 120
        }

        It 'runs qemu-ga on the agent port, which answers guest-exec with the output and exit code' {
            if (-not (Get-TestGuestImage).HasAgent) { Set-ItResult -Skipped -Because 'qemu-ga is not installed here (Debian package qemu-guest-agent), so the image has no agent' }
            $AgentReport.agent | Should -Match '^running:vport'
            Wait-TestGuestAgent -Uri $Uri -Domain kvmps-tg-agent -TimeoutSec 60 | Should -BeTrue
            $r = Invoke-TestGuestCommand -Uri $Uri -Domain kvmps-tg-agent -Script 'echo out-$((2+3)); echo err >&2; exit 4'
            $r.ExitCode | Should -Be 4
            $r.StdOut.Trim() | Should -Be 'out-5'
            $r.StdErr.Trim() | Should -Be 'err'
        }

        It 'answers a command typed on its console (pty)' {
            [xml] $live = Invoke-Virsh dumpxml kvmps-tg-agent
            $pty = $live.domain.devices.serial.source.path
            $pty | Should -Match '^/dev/pts/'
            $stream = [IO.File]::Open($pty, 'Open', 'ReadWrite')
            try {
                $bytes = [Text.Encoding]::ASCII.GetBytes("echo typed-`$((6*7))`n")
                $stream.Write($bytes, 0, $bytes.Length)
                $stream.Flush()
                Wait-Until { Select-String -LiteralPath $AgentLog -SimpleMatch 'typed-42' -Quiet } -TimeoutSec 30 | Should -BeTrue
            } finally { $stream.Dispose() }
        }

        It 'counts on its console' {
            Wait-Until { @(Select-String -LiteralPath $AgentLog -Pattern '^kvmps-counter \d+').Count -ge 2 } -TimeoutSec 30 | Should -BeTrue
            $n = @(Select-String -LiteralPath $AgentLog -Pattern '^kvmps-counter (\d+)' | ForEach-Object { [int]$_.Matches[0].Groups[1].Value })
            $n[-1] | Should -BeGreaterThan $n[0]
        }
    }

    Context 'an installer stand-in (kvmps.installonce)' {
        It 'marks its disk and reboots on the first boot, and reports on the next' {
            $disk = Join-Path $WorkDir 'install.raw'
            & qemu-img create -q -f raw $disk 1M
            $diskXml = "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$disk'/><target dev='vda' bus='virtio'/></disk>"
            $log = New-Guest 'kvmps-tg-install' @{ ExtraCmdline = 'kvmps.installonce=/dev/vda'; ExtraDevicesXml = $diskXml }
            Invoke-Virsh start kvmps-tg-install | Out-Null
            $r = Read-TestGuestReport -SerialLog $log -TimeoutSec 120
            $lines = Get-Content $log
            $done = [array]::IndexOf($lines, 'kvmps-install done')
            $done | Should -BeGreaterOrEqual 0
            [array]::IndexOf($lines, 'KVMPS begin') | Should -BeGreaterThan $done
            $r.disk.Name | Should -Contain 'vda'
            Wait-Until { (Get-DomainState kvmps-tg-install) -eq 'shut off' } -TimeoutSec 60 | Should -BeTrue
            [Text.Encoding]::ASCII.GetString([IO.File]::ReadAllBytes($disk), 0, 15) | Should -Be 'KVMPS-INSTALLED'
        }
    }
}
