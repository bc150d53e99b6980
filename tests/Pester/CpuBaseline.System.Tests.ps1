# Set-KvmCpu -Baseline on a real libvirtd with QEMU: the VM's CPU becomes the baseline model, which
# virsh reads back and validates; a baseline the VM's host cannot run for the VM's kind of
# virtualization is refused, as virsh hypervisor-cpu-compare (an independent check) says; and the
# test guest boots under TCG with the baseline made for TCG (-BaselineUri, or virsh's own
# hypervisor-cpu-baseline output given as text).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Uri = $SystemUri
    $script:Dir = New-TestGuestWorkDirectory -Prefix kvmps-cpubl-
    $script:Names = 'kvmps-cpubl-kvm', 'kvmps-cpubl-tcg', 'kvmps-cpubl-boot', 'kvmps-cpubl-text'
    [xml] $caps = virsh -c $script:Uri capabilities
    $arch = $caps.capabilities.host.cpu.arch
    $script:Types = @($caps.capabilities.guest | Where-Object { $_.arch.name -eq $arch } | ForEach-Object { $_.arch.domain.type })

    function Remove-TestVM([string] $Name) {
        virsh -c $script:Uri destroy $Name *> $null
        virsh -c $script:Uri undefine $Name --nvram *> $null
    }
    function New-GuestVM([string] $Name, [string] $Type = 'qemu') {
        Remove-TestVM $Name
        $log = Join-Path $script:Dir "$Name.log"
        [xml] $xml = New-TestGuestDomainXml -Name $Name -SerialLog $log -VCpu 2 -Sockets 1 -Cores 2
        $xml.domain.SetAttribute('type', $Type)
        $xml.OuterXml | Import-KvmVM -Uri $script:Uri | Out-Null
        $log
    }
    function Get-CpuXml([string] $Name, [switch] $Inactive) {
        $flag = if ($Inactive) { '--inactive' } else { $null }
        ([xml](virsh -c $script:Uri dumpxml $Name $flag)).domain.cpu
    }
    function Test-VirshValidates([string] $Name) {
        # libvirt's own schema on the definition as virsh dumps it.
        $file = Join-Path $script:Dir "$Name-dump.xml"
        virsh -c $script:Uri dumpxml --inactive $Name | Set-Content $file
        (virt-xml-validate $file domain 2>&1 | Out-String) -match 'validates'
    }
    function Get-VirshBaseline([string] $VirtType) {
        # virsh's own baseline of this host for a virtualization type, as text.
        $dc = Join-Path $script:Dir "domcaps-$VirtType.xml"
        virsh -c $script:Uri domcapabilities --virttype $VirtType | Set-Content $dc
        (virsh -c $script:Uri hypervisor-cpu-baseline $dc --virttype $VirtType --migratable) -join "`n"
    }
}

AfterAll {
    foreach ($n in $script:Names) { Remove-TestVM $n }
    Remove-Item -Recurse -Force $script:Dir -ErrorAction Ignore
    Reset-KvmSession
}

Describe 'Set-KvmCpu -Baseline on a real host' -Tag System {
    It 'gives a kvm VM the baseline piped from Get-KvmHostCpuBaseline; virsh reads it back and it validates' {
        if ($script:Types -notcontains 'kvm') {
            Set-ItResult -Skipped -Because 'the host offers no kvm domain type, and Get-KvmHostCpuBaseline makes the baseline of the kvm CPU'
            return
        }
        $null = New-GuestVM 'kvmps-cpubl-kvm' -Type kvm
        $before = [xml](virsh -c $script:Uri dumpxml --inactive kvmps-cpubl-kvm)
        $baseline = Get-KvmHostCpuBaseline -Uri $script:Uri
        $baseline | Set-KvmCpu -Uri $script:Uri -Name kvmps-cpubl-kvm
        $cpu = Get-CpuXml kvmps-cpubl-kvm -Inactive
        $cpu.mode | Should -Be 'custom'
        $cpu.model.'#text' | Should -Be $baseline.Model
        $required = @($cpu.feature | Where-Object policy -eq 'require' | ForEach-Object name)
        foreach ($f in $baseline.Features) { $required | Should -Contain $f }
        $cpu.topology.cores | Should -Be '2'
        Test-VirshValidates kvmps-cpubl-kvm | Should -BeTrue
        # Everything outside <cpu> is as it was.
        $after = [xml](virsh -c $script:Uri dumpxml --inactive kvmps-cpubl-kvm)
        foreach ($x in $before, $after) { $null = $x.domain.RemoveChild($x.domain.cpu) }
        $after.OuterXml | Should -Be $before.OuterXml
    }

    It 'refuses a baseline the VM''s host cannot run for its type exactly when virsh hypervisor-cpu-compare says so' {
        if ($script:Types -notcontains 'kvm' -or $script:Types -notcontains 'qemu') {
            Set-ItResult -Skipped -Because 'the host does not offer both kvm and qemu domain types'
            return
        }
        $null = New-GuestVM 'kvmps-cpubl-tcg'
        $baseline = Get-KvmHostCpuBaseline -Uri $script:Uri
        $file = Join-Path $script:Dir 'kvm-baseline.xml'
        Set-Content $file $baseline.Xml
        $verdict = virsh -c $script:Uri hypervisor-cpu-compare $file --virttype qemu 2>&1 | Out-String
        $before = virsh -c $script:Uri dumpxml --inactive kvmps-cpubl-tcg | Out-String
        Set-KvmCpu -Uri $script:Uri -Name kvmps-cpubl-tcg -Baseline $baseline -ErrorAction SilentlyContinue -ErrorVariable err
        if ($verdict -match 'incompatible') {
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'CpuBaselineNotRunnable,KvmPS.Commands.SetKvmCpuCommand'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $err[0].Exception.Message | Should -BeLike "*$($baseline.Model)*qemu guests*"
            virsh -c $script:Uri dumpxml --inactive kvmps-cpubl-tcg | Out-String | Should -Be $before
        } else {
            $err.Count | Should -Be 0 -Because "virsh says: $verdict"
            (Get-CpuXml kvmps-cpubl-tcg -Inactive).model.'#text' | Should -Be $baseline.Model
        }
    }

    It 'boots the test guest under TCG with the baseline -BaselineUri makes for its type' {
        if ($script:Types -notcontains 'qemu') {
            Set-ItResult -Skipped -Because 'the host offers no qemu (TCG) domain type'
            return
        }
        $log = New-GuestVM 'kvmps-cpubl-boot'
        $vm = Set-KvmCpu -Uri $script:Uri -Name kvmps-cpubl-boot -BaselineUri $script:Uri -PassThru
        $vm.Name | Should -Be 'kvmps-cpubl-boot'
        $expected = ([xml](Get-VirshBaseline qemu)).cpu.model.'#text'
        (Get-CpuXml kvmps-cpubl-boot -Inactive).model.'#text' | Should -Be $expected
        Test-VirshValidates kvmps-cpubl-boot | Should -BeTrue
        Start-KvmVM -Uri $script:Uri -Name kvmps-cpubl-boot
        $report = Read-TestGuestReport -SerialLog $log -TimeoutSec 120
        $report.cpus | Should -Be 2
        # The running QEMU was given that model.
        (Get-CpuXml kvmps-cpubl-boot).model.'#text' | Should -Be $expected
    }

    It 'takes virsh hypervisor-cpu-baseline output as text and the guest boots with it' {
        if ($script:Types -notcontains 'qemu') {
            Set-ItResult -Skipped -Because 'the host offers no qemu (TCG) domain type'
            return
        }
        $log = New-GuestVM 'kvmps-cpubl-text'
        $text = Get-VirshBaseline qemu
        Set-KvmCpu -Uri $script:Uri -Name kvmps-cpubl-text -Baseline $text
        $cpu = Get-CpuXml kvmps-cpubl-text -Inactive
        $cpu.model.'#text' | Should -Be ([xml]$text).cpu.model.'#text'
        @($cpu.feature).Count | Should -Be @(([xml]$text).cpu.feature).Count
        Start-KvmVM -Uri $script:Uri -Name kvmps-cpubl-text
        (Read-TestGuestReport -SerialLog $log -TimeoutSec 120).cpus | Should -Be 2
    }
}
