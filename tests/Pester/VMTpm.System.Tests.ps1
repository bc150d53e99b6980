# New-KvmVM -Tpm on a real libvirtd: the emulated TPM 2.0 (swtpm) reaches the guest. The test
# guest's cloud kernel has the TPM drivers built in (CONFIG_TCG_TIS, CONFIG_TCG_CRB); the guest
# agent lists /sys/class/tpm and reads the TPM's major version.
BeforeDiscovery {
    $script:HaveImageTools = [bool](Get-Command apt-get -ErrorAction Ignore) -and (Test-Path /bin/busybox)
    $script:HaveSwtpm = [bool](Get-Command swtpm -ErrorAction Ignore)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Uri = $SystemUri
    $parent = if ($env:KVMPS_SYSTEM_URI) { [IO.Path]::GetTempPath() } else { '/var/lib/libvirt/images' }
    $script:Work = New-TestGuestWorkDirectory -Prefix 'kvmps-vmtpm-' -Parent $parent
    $script:Name = 'kvmps-vmtpm-boot'
}

AfterAll {
    virsh -c $script:Uri destroy $script:Name *> $null
    virsh -c $script:Uri undefine $script:Name --nvram --tpm *> $null
    Remove-Item $script:Work -Recurse -Force -ErrorAction Ignore
}

Describe 'New-KvmVM -Tpm on a real libvirtd' -Tag System {
    It 'gives the guest a TPM 2.0 device' -Skip:(-not ($HaveImageTools -and $HaveSwtpm)) {
        $image = Get-TestGuestImage
        New-KvmVM -Uri $script:Uri -Name $script:Name -Memory 256MB -Graphics None -MachineType pc -OSVariant linux2022 -NoNetwork -Tpm `
            -Kernel $image.Kernel -Initrd $image.Initrd -KernelArgs (Get-TestGuestKernelCmdline -Extra 'kvmps.agent=1') `
            -SerialLogPath (Join-Path $script:Work 'console.log') -Start -WarningAction SilentlyContinue | Out-Null
        [xml] $live = virsh -c $script:Uri dumpxml $script:Name
        $live.domain.devices.tpm.backend.type | Should -Be 'emulator'
        $live.domain.devices.tpm.backend.version | Should -Be '2.0'
        Wait-TestGuestAgent -Uri $script:Uri -Domain $script:Name -TimeoutSec 120 | Should -BeTrue
        $r = Invoke-TestGuestCommand -Uri $script:Uri -Domain $script:Name -Script 'ls /sys/class/tpm; cat /sys/class/tpm/tpm0/tpm_version_major'
        $r.StdOut | Should -Match 'tpm0'
        ($r.StdOut -split "`n" | Where-Object { $_ -match '^\d+$' } | Select-Object -First 1) | Should -Be '2'
    }
}
