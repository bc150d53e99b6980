# A real guest made by New-KvmVM (direct kernel boot of the test guest, see tests/guest) boots and
# reports from inside what it was given; the lifecycle cmdlets act on it while it runs.
BeforeDiscovery {
    $script:HaveImageTools = [bool](Get-Command apt-get -ErrorAction Ignore) -and (Test-Path /bin/busybox)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Uri = 'qemu:///system'
    $script:Image = Get-TestGuestImage
    $script:Work = New-TestGuestWorkDirectory -Prefix 'kvmps-boot-' -Parent /var/lib/libvirt/images
    $script:Net = "kvmps-boot-$PID"
    New-IsolatedTestNetwork $script:Net -Start
    Reset-KvmSession
    Connect-KvmHost $script:Uri
}

AfterAll {
    virsh -c $script:Uri destroy kvmps-boot-1 *> $null
    virsh -c $script:Uri undefine kvmps-boot-1 *> $null
    Remove-IsolatedTestNetwork $script:Net
    Remove-Item $script:Work -Recurse -Force -ErrorAction Ignore
}

Describe 'A guest made by New-KvmVM' -Tag System -Skip:(-not $HaveImageTools) {
    BeforeAll {
        $script:Log = Join-Path $script:Work 'serial.log'
        $script:Disk = Join-Path $script:Work 'boot.qcow2'
        $sw = [Diagnostics.Stopwatch]::StartNew()
        New-KvmVM -Name kvmps-boot-1 -Memory 256MB -VCpuCount 2 -Graphics None -OSVariant linux2022 `
            -Kernel $script:Image.Kernel -Initrd $script:Image.Initrd -KernelArgs (Get-TestGuestKernelCmdline -Hold) `
            -SerialLogPath $script:Log -Network $script:Net -MacAddress 52:54:00:77:00:01 `
            -DiskPath $script:Disk -DiskSize 64MB -Start -WarningAction SilentlyContinue
        $script:Report = Read-TestGuestReport -SerialLog $script:Log -TimeoutSec 120
        $script:BootSeconds = $sw.Elapsed.TotalSeconds
        Write-Information ("New-KvmVM -Start to the guest's report: {0:N1} s" -f $script:BootSeconds) -InformationAction Continue
    }

    It 'sees the vCPUs it was given' {
        $Report.cpus | Should -Be 2
    }

    It 'sees the memory it was given' {
        # MemTotal is the RAM less what the kernel keeps for itself.
        $Report.memtotal_kib | Should -BeLessOrEqual (256MB / 1KB)
        $Report.memtotal_kib | Should -BeGreaterThan (160MB / 1KB)
    }

    It 'sees its virtio NIC with the MAC it was given' {
        @($Report.nic).Count | Should -Be 1
        $Report.nic[0].Mac | Should -Be '52:54:00:77:00:01'
        $Report.nic[0].Driver | Should -Be 'virtio_net'
    }

    It 'sees its virtio disk with the size it was given' {
        $vda = $Report.disk | Where-Object Name -eq 'vda'
        $vda.Driver | Should -Be 'virtio_blk'
        $vda.Sectors | Should -Be (64MB / 512)
    }

    It 'runs with the UUID libvirt reports' {
        $Report.uuid | Should -Be (Get-KvmVM kvmps-boot-1).Uuid.ToString()
    }

    It 'pauses and resumes while running' {
        Suspend-KvmVM kvmps-boot-1
        (virsh -c $script:Uri domstate kvmps-boot-1 | Select-Object -First 1) | Should -Be 'paused'
        Resume-KvmVM kvmps-boot-1
        (virsh -c $script:Uri domstate kvmps-boot-1 | Select-Object -First 1) | Should -Be 'running'
    }

    It 'reboots the guest with Restart-KvmVM' {
        Restart-KvmVM kvmps-boot-1
        $second = Read-TestGuestReport -SerialLog $script:Log -TimeoutSec 120 -Occurrence 2
        $second.boot_id | Should -Not -Be $Report.boot_id
    }

    It 'shuts the guest down gracefully with Stop-KvmVM' {
        $vm = Stop-KvmVM kvmps-boot-1 -TimeoutSec 60 -PassThru
        $vm.State | Should -Be 'ShutOff'
        (Get-Content $script:Log -Raw) | Should -Match 'KVMPS shutdown=acpi'
        (virsh -c $script:Uri domstate kvmps-boot-1 --reason | Select-Object -First 1) | Should -Match 'shut off \(shutdown\)'
    }
}
