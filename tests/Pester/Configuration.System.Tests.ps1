# Desired state on a real libvirtd: a lab of 2 networks, 2 pools, a volume and 4 VMs with tuning
# (one of them a running test guest) is made, checked with virsh, re-run without a byte changing,
# updated in place (UUIDs and MACs kept; a running VM's boot-time change waits, or restarts with
# -AllowRestart), pruned only with -Prune (its disk kept), and drift made with virsh is repaired.
BeforeDiscovery {
    $script:HaveImageTools = [bool](Get-Command apt-get -ErrorAction Ignore) -and (Test-Path /bin/busybox)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Uri = $SystemUri
    $script:Work = New-TestGuestWorkDirectory -Prefix 'kvmps-cfgs-'
    foreach ($d in 'p1', 'p2') { $null = New-Item -ItemType Directory -Path (Join-Path $Work $d); [IO.File]::SetUnixFileMode((Join-Path $Work $d), [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute') }
    $script:VMNames = 'cfgs-vm1', 'cfgs-vm2', 'cfgs-vm3', 'cfgs-run'

    function Invoke-Virsh {
        $out = & virsh -c $script:Uri @args 2>&1
        if ($LASTEXITCODE -ne 0) { throw "virsh $($args -join ' ') failed: $out" }
        $out
    }

    function New-SystemLab {
        $image = Get-TestGuestImage
        @{
            Uri          = $script:Uri
            Networks     = @(
                @{ Name = 'cfgs-net1'; Mode = 'Isolated'; Subnet = '10.201.0.0/24'; Start = $true }
                @{ Name = 'cfgs-net2'; Mode = 'Isolated'; Subnet = '10.202.0.0/24'; Start = $true; Autostart = $true }
            )
            StoragePools = @(
                @{ Name = 'cfgs-pool1'; Type = 'Dir'; Path = (Join-Path $Work 'p1'); Start = $true }
                @{ Name = 'cfgs-pool2'; Type = 'Dir'; Path = (Join-Path $Work 'p2'); Start = $true; Autostart = $true }
            )
            Volumes      = @(@{ Name = 'cfgs-data.qcow2'; Pool = 'cfgs-pool2'; Size = 32MB })
            VMs          = @(
                @{ Name = 'cfgs-vm1'; Memory = 256MB; VCpuCount = 2; Pool = 'cfgs-pool1'; DiskSize = 64MB; Network = 'cfgs-net1'; OSVariant = 'ubuntu22.04'
                    Graphics = 'None'; VirtType = 'Qemu'; Cpu = @{ Sockets = 1; Cores = 2; Threads = 1 }; CpuPin = 'Auto' }
                @{ Name = 'cfgs-vm2'; Memory = 256MB; VCpuCount = 1; Pool = 'cfgs-pool2'; DiskSize = 64MB; Network = 'cfgs-net1', 'cfgs-net2'; OSVariant = 'ubuntu22.04'
                    Graphics = 'None'; VirtType = 'Qemu'; MemoryBacking = @{ NoBalloon = $true } }
                @{ Name = 'cfgs-vm3'; Memory = 256MB; VCpuCount = 2; Pool = 'cfgs-pool1'; DiskSize = 32MB; Network = 'cfgs-net2'; OSVariant = 'ubuntu22.04'
                    Graphics = 'None'; VirtType = 'Qemu'; Numa = @{ Cell = @(@{ Cpus = '0'; Memory = 128MB }, @{ Cpus = '1'; Memory = 128MB }) } }
                @{ Name = 'cfgs-run'; Memory = 256MB; VCpuCount = 1; Network = 'cfgs-net1'; OSVariant = 'ubuntu22.04'; Graphics = 'None'; VirtType = 'Qemu'
                    Kernel = $image.Kernel; Initrd = $image.Initrd; KernelArgs = (Get-TestGuestKernelCmdline -Hold); SerialLogPath = (Join-Path $Work 'run.log'); Start = $true }
            )
        }
    }

    function Get-HostXml {
        # Every definition the lab touches, as libvirt prints it with secrets (so nothing hides).
        $h = [ordered]@{}
        foreach ($n in $script:VMNames) { if ((& virsh -c $script:Uri dominfo $n 2>$null)) { $h["vm:$n"] = (Invoke-Virsh dumpxml $n --inactive --security-info) -join "`n" } }
        foreach ($n in 'cfgs-net1', 'cfgs-net2') { $h["net:$n"] = (Invoke-Virsh net-dumpxml $n --inactive) -join "`n" }
        foreach ($n in 'cfgs-pool1', 'cfgs-pool2') { $h["pool:$n"] = (Invoke-Virsh pool-dumpxml $n --inactive) -join "`n" }
        $h
    }

    $script:Lab = New-SystemLab
    Reset-KvmSession
}

AfterAll {
    foreach ($n in $script:VMNames) {
        & virsh -c $script:Uri destroy $n *> $null
        & virsh -c $script:Uri undefine $n --nvram *> $null
    }
    foreach ($p in 'cfgs-pool1', 'cfgs-pool2') {
        & virsh -c $script:Uri pool-destroy $p *> $null
        & virsh -c $script:Uri pool-undefine $p *> $null
    }
    foreach ($n in 'cfgs-net1', 'cfgs-net2') {
        & virsh -c $script:Uri net-destroy $n *> $null
        & virsh -c $script:Uri net-undefine $n *> $null
    }
    Remove-Item -Recurse -Force $script:Work -ErrorAction Ignore
}

Describe 'A lab as desired state on a real libvirtd' -Tag System -Skip:(-not $HaveImageTools) {
    It 'makes everything on the first run (checked with virsh)' {
        $r = @(Invoke-KvmConfiguration -Configuration $Lab -ConfigurationName cfgs -Confirm:$false)
        ($r | Where-Object Status -ne 'Done' | ForEach-Object { "$($_.Name): $($_.Status) $($_.Message)" }) | Should -BeNullOrEmpty
        $r.Count | Should -Be 9
        [xml] $net = Invoke-Virsh net-dumpxml cfgs-net1
        $net.network.ip.address | Should -Be '10.201.0.1'
        (Invoke-Virsh net-info cfgs-net2) -join ' ' | Should -Match 'Autostart:\s+yes'
        [xml] $pool = Invoke-Virsh pool-dumpxml cfgs-pool2
        $pool.pool.target.path | Should -Be (Join-Path $Work 'p2')
        (Invoke-Virsh vol-info --pool cfgs-pool2 cfgs-data.qcow2) -join ' ' | Should -Match 'Capacity:\s+32\.00 MiB'
        [xml] $vm1 = Invoke-Virsh dumpxml cfgs-vm1 --inactive
        $vm1.domain.cpu.topology.cores | Should -Be '2'
        @($vm1.domain.cputune.vcpupin).Count | Should -Be 2
        $vm1.domain.devices.interface.source.network | Should -Be 'cfgs-net1'
        [xml] $vm2 = Invoke-Virsh dumpxml cfgs-vm2 --inactive
        $vm2.domain.devices.memballoon.model | Should -Be 'none'
        @($vm2.domain.devices.interface.source.network) | Should -Be @('cfgs-net1', 'cfgs-net2')
        [xml] $vm3 = Invoke-Virsh dumpxml cfgs-vm3 --inactive
        @($vm3.domain.cpu.numa.cell).Count | Should -Be 2
        (Invoke-Virsh domstate cfgs-run) -join '' | Should -Match 'running'
        $report = Read-TestGuestReport -SerialLog (Join-Path $Work 'run.log') -TimeoutSec 180
        $report.cpus | Should -Be 1
    }

    It 'finds NoChange on the second run and changes no byte of any definition' {
        $before = Get-HostXml
        $plan = @(Get-KvmConfigurationPlan -Configuration $Lab -ConfigurationName cfgs)
        ($plan | Where-Object Action -ne 'NoChange' | ForEach-Object { "$($_.Name): $($_.Action) $($_.ChangedProperties)" }) | Should -BeNullOrEmpty
        $r = @(Invoke-KvmConfiguration -Configuration $Lab -ConfigurationName cfgs -Confirm:$false)
        $r.Status | Sort-Object -Unique | Should -Be 'Unchanged'
        $after = Get-HostXml
        foreach ($k in $before.Keys) { $after[$k] | Should -BeExactly $before[$k] -Because $k }
    }

    It 'updates memory, vCPUs and a NIC in place: same UUID, same MACs' {
        $uuid = (Invoke-Virsh domuuid cfgs-vm2) -join ''
        $macs = @(([xml](Invoke-Virsh dumpxml cfgs-vm2 --inactive)).SelectNodes('//devices/interface/mac/@address').Value)
        $Lab.VMs[1].Memory = 384MB
        $Lab.VMs[1].VCpuCount = 2
        $Lab.VMs[1].Network = 'cfgs-net1', 'cfgs-net1'
        $item = Get-KvmConfigurationPlan -Configuration $Lab -ConfigurationName cfgs | Where-Object Name -eq 'cfgs-vm2'
        $item.Action | Should -Be 'Update'
        $item.Changes.Property | Should -Be @('Memory', 'VCpuCount', 'NetworkAdapter[1].Network')
        $r = Invoke-KvmConfiguration -Configuration $Lab -ConfigurationName cfgs -Confirm:$false | Where-Object Name -eq 'cfgs-vm2'
        $r.Status | Should -Be 'Done'
        [xml] $x = Invoke-Virsh dumpxml cfgs-vm2 --inactive
        $x.domain.uuid | Should -Be $uuid.Trim()
        @($x.SelectNodes('//devices/interface/mac/@address').Value) | Should -Be $macs
        @($x.domain.devices.interface.source.network) | Should -Be @('cfgs-net1', 'cfgs-net1')
        [long]$x.domain.memory.'#text' | Should -Be (384MB / 1KB)
        $x.domain.vcpu.'#text' | Should -Be '2'
    }

    It 'writes a running VM''s boot-time change for the next boot, and restarts it only with -AllowRestart' {
        $Lab.VMs[3].Memory = 320MB
        $item = Get-KvmConfigurationPlan -Configuration $Lab -ConfigurationName cfgs | Where-Object Name -eq 'cfgs-run'
        $item.NeedsRestart | Should -BeTrue
        $item.Changes[0].Timing | Should -Be 'NextBoot'
        $r = Invoke-KvmConfiguration -Configuration $Lab -ConfigurationName cfgs -Confirm:$false -WarningAction SilentlyContinue | Where-Object Name -eq 'cfgs-run'
        $r.Status | Should -Be 'PendingRestart'
        $drift = @(Compare-KvmVM cfgs-run -Uri $Uri)
        ($drift | Where-Object Property -eq 'Memory').DifferenceValue | Should -Be ([string](320MB))
        $bootId = (Read-TestGuestReport -SerialLog (Join-Path $Work 'run.log')).boot_id
        $r = Invoke-KvmConfiguration -Configuration $Lab -ConfigurationName cfgs -Confirm:$false -AllowRestart | Where-Object Name -eq 'cfgs-run'
        $r.Status | Should -Be 'Done'
        $r.Commands[0] | Should -Match '^Stop-KvmVM'
        $report = Read-TestGuestReport -SerialLog (Join-Path $Work 'run.log') -TimeoutSec 180
        $report.boot_id | Should -Not -Be $bootId
        @(Compare-KvmVM cfgs-run -Uri $Uri | Where-Object Property -eq 'Memory') | Should -BeNullOrEmpty
        [long]([xml](Invoke-Virsh dumpxml cfgs-run)).domain.memory.'#text' | Should -Be (320MB / 1KB)
    }

    It 'finds a change made with virsh behind its back and repairs it' {
        Invoke-Virsh setmaxmem cfgs-vm1 200M --config | Out-Null
        $d = @(Compare-KvmVM cfgs-vm1 -Uri $Uri -Desired @{ Memory = 256MB })
        $d.Property | Should -Be 'Memory'
        $item = Get-KvmConfigurationPlan -Configuration $Lab -ConfigurationName cfgs | Where-Object Name -eq 'cfgs-vm1'
        $item.Changes.Property | Should -Be 'Memory'
        $null = Invoke-KvmConfiguration -Configuration $Lab -ConfigurationName cfgs -Confirm:$false
        [long]([xml](Invoke-Virsh dumpxml cfgs-vm1 --inactive)).domain.memory.'#text' | Should -Be (256MB / 1KB)
    }

    It 'leaves a VM it no longer lists alone, and removes it with -Prune, keeping its disk' {
        $disk = ([xml](Invoke-Virsh dumpxml cfgs-vm3 --inactive)).domain.devices.disk | Where-Object device -eq 'disk' | ForEach-Object { $_.source.file }
        $Lab.VMs = @($Lab.VMs | Where-Object Name -ne 'cfgs-vm3')
        $null = Invoke-KvmConfiguration -Configuration $Lab -ConfigurationName cfgs -Confirm:$false
        (Invoke-Virsh domstate cfgs-vm3) -join '' | Should -Match 'shut off'
        $r = @(Invoke-KvmConfiguration -Configuration $Lab -ConfigurationName cfgs -Prune -Confirm:$false | Where-Object Action -eq 'Remove')
        $r.Name | Should -Be 'cfgs-vm3'
        $r.Status | Should -Be 'Done'
        & virsh -c $Uri dominfo cfgs-vm3 *> $null
        $LASTEXITCODE | Should -Not -Be 0
        Test-Path $disk | Should -BeTrue
    }
}
