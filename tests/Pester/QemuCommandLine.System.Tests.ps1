# QEMU command lines on a real libvirtd: a VM's command line from libvirt's QEMU driver
# (Get-KvmQemuCommandLine) parses back (ConvertFrom-KvmQemuCommandLine) into a VM that libvirt
# defines with the same settings, on everything the parser covers.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Uri = $SystemUri
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "kvmps-qemu-rt-$PID"
    $null = New-Item -ItemType Directory -Force -Path $Work
    [IO.File]::SetUnixFileMode($Work, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute')
    $script:Disk = Join-Path $Work 'rt.raw'
    & qemu-img create -q -f raw $Disk 64M
    $script:Net = "kvmps-qemu-rt-$PID"
    New-IsolatedTestNetwork $Net -Uri $Uri -Start
    Reset-KvmSession
}

AfterAll {
    foreach ($n in 'kvmps-qemu-rt', 'kvmps-qemu-rt2') {
        & virsh -c $script:Uri undefine $n *> $null
    }
    Remove-IsolatedTestNetwork $script:Net -Uri $script:Uri
    Remove-Item -Recurse -Force $script:Work -ErrorAction Ignore
}

Describe 'A QEMU command line from libvirt, parsed back' -Tag System {
    BeforeAll {
        $xml = @"
<domain type='qemu'>
  <name>kvmps-qemu-rt</name>
  <memory unit='MiB'>1024</memory>
  <vcpu>8</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <features><acpi/><apic/></features>
  <cpu mode='custom' match='exact'><model>qemu64</model><topology sockets='2' dies='1' cores='4' threads='1'/><feature policy='require' name='x2apic'/>
    <numa><cell id='0' cpus='0-3' memory='512' unit='MiB'/><cell id='1' cpus='4-7' memory='512' unit='MiB'/></numa></cpu>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='raw' cache='none'/><source file='$Disk'/><target dev='vda' bus='virtio'/></disk>
    <interface type='network'><mac address='52:54:00:5e:00:42'/><source network='$Net'/><model type='virtio'/></interface>
  </devices>
</domain>
"@
        $null = $xml | Import-KvmVM -Uri $Uri
        $script:Line = Get-KvmQemuCommandLine -Name kvmps-qemu-rt -Uri $Uri
        $script:Parsed = ConvertFrom-KvmQemuCommandLine -CommandLine $Line.CommandLine -Name kvmps-qemu-rt2 -WarningAction SilentlyContinue
        # The command line carries the original's UUID and MAC: the parsed VM takes its place.
        & virsh -c $Uri undefine kvmps-qemu-rt *> $null
        $null = $Parsed | Import-KvmVM -Uri $Uri
        [xml] $script:Back = & virsh -c $Uri dumpxml kvmps-qemu-rt2 --inactive
    }

    It 'is labelled as a debugging view and names QEMU' {
        $Line.IsDebugView | Should -BeTrue
        $Line.CommandLine | Should -Match 'qemu-system-x86_64'
    }

    It 'keeps memory, vCPUs, the topology and the CPU flag' {
        [long]$Back.domain.memory.'#text' | Should -Be (1024 * 1024)
        $Back.domain.vcpu.'#text' | Should -Be '8'
        $Back.domain.cpu.topology.sockets | Should -Be '2'
        $Back.domain.cpu.topology.cores | Should -Be '4'
        @($Back.domain.cpu.feature | Where-Object name -eq 'x2apic').policy | Should -Be 'require'
    }

    It 'keeps the two NUMA cells' {
        $cells = @($Back.domain.cpu.numa.cell)
        $cells.cpus | Should -Be @('0-3', '4-7')
        $cells | ForEach-Object { [long]$_.memory } | Should -Be @(524288, 524288)
    }

    It 'keeps the raw disk with cache=none on virtio' {
        $d = @($Back.domain.devices.disk | Where-Object device -eq 'disk')[0]
        $d.source.file | Should -Be $Disk
        $d.driver.type | Should -Be 'raw'
        $d.driver.cache | Should -Be 'none'
        $d.target.bus | Should -Be 'virtio'
    }

    It 'keeps the virtio NIC and its MAC, and reports what it could not map' {
        $nic = @($Back.domain.devices.interface)[0]
        $nic.model.type | Should -Be 'virtio'
        $nic.mac.address | Should -Be '52:54:00:5e:00:42'
        $Parsed.Unknown | Should -Not -BeNullOrEmpty -Because 'libvirt adds options (-sandbox, -msg, ...) that no VM setting carries'
    }
}
