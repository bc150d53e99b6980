# Set-KvmCpu -Baseline / -BaselineUri on libvirt's test driver. The test driver cannot compare or
# baseline CPUs, so here every request ends in a refusal: these tests check which refusal, that it
# comes before anything changes, and how the parameters bind. The change itself is checked on a
# real daemon (CpuBaseline.System.Tests.ps1) and in the engine's tests.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Baseline = "<cpu mode='custom' match='exact'><model fallback='forbid'>EPYC</model><vendor>AMD</vendor><feature policy='require' name='x2apic'/></cpu>"

    function Assert-OneRefusal {
        # Runs the block; exactly one error with the id and category for the VM, its definition unchanged.
        param([string] $VM, [string] $Id, [string] $Category, [scriptblock] $Block)
        $before = Export-KvmVM $VM
        $Error.Clear()
        & { $ErrorActionPreference = 'SilentlyContinue'; & $Block }
        $err = @($Error)
        $err.Count | Should -Be 1 -Because "one error for $Id"
        $err[0].FullyQualifiedErrorId | Should -Be "$Id,KvmPS.Commands.SetKvmCpuCommand"
        $err[0].CategoryInfo.Category | Should -Be $Category
        $err[0].TargetObject | Should -Be $VM
        Export-KvmVM $VM | Should -Be $before
        $err[0]
    }
}

AfterAll { Reset-KvmSession }

Describe 'Set-KvmCpu -Baseline on a host that cannot compare CPUs' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmVM -Name cpubl1 -Memory 512MB -VCpuCount 2 -NoNetwork | Out-Null
    }

    It 'refuses with CpuCompareUnsupported and changes nothing: a baseline that cannot be checked is not applied' {
        $e = Assert-OneRefusal cpubl1 CpuCompareUnsupported ResourceUnavailable { Set-KvmCpu -Name cpubl1 -Baseline $script:Baseline }
        $e.Exception.Message | Should -BeLike "*'cpubl1'*EPYC*nothing was changed*"
    }

    It 'takes the baseline as the CPU element text (virsh cpu-baseline output) as well as the object' {
        # The text became a KvmCpuBaseline (else binding would fail) and reached the host check.
        $text = "<?xml version='1.0'?>`n" + $script:Baseline
        $null = Assert-OneRefusal cpubl1 CpuCompareUnsupported ResourceUnavailable { Set-KvmCpu -Name cpubl1 -Baseline $text }
    }

    It 'refuses -BaselineUri of a host that cannot make a baseline (CpuBaselineUnavailable), naming it' {
        $e = Assert-OneRefusal cpubl1 CpuBaselineUnavailable ResourceUnavailable { Set-KvmCpu -Name cpubl1 -BaselineUri test:///default }
        $e.Exception.Message | Should -BeLike '*test:///default*'
    }

    It 'refuses -Model or another -Mode with a baseline (BaselineConflict) before asking the host' {
        $null = Assert-OneRefusal cpubl1 BaselineConflict InvalidArgument { Set-KvmCpu -Name cpubl1 -Baseline $script:Baseline -Model Westmere }
        $null = Assert-OneRefusal cpubl1 BaselineConflict InvalidArgument { Set-KvmCpu -Name cpubl1 -Baseline $script:Baseline -Mode HostPassthrough }
        # -Mode Custom is what a baseline is: no conflict, the host check is next.
        $null = Assert-OneRefusal cpubl1 CpuCompareUnsupported ResourceUnavailable { Set-KvmCpu -Name cpubl1 -Baseline $script:Baseline -Mode Custom }
    }

    It 'refuses -Baseline together with -BaselineUri' {
        $null = Assert-OneRefusal cpubl1 BaselineAndBaselineUriGiven InvalidArgument { Set-KvmCpu -Name cpubl1 -Baseline $script:Baseline -BaselineUri test:///default }
    }

    It 'refuses text that is no baseline CPU at binding, saying why' -TestCases @(
        @{ Text = '<domain><name>x</name></domain>'; Why = '*<cpu>*' }
        @{ Text = "<cpu mode='host-model'><model>EPYC</model></cpu>"; Why = "*mode 'host-model'*" }
        @{ Text = "<cpu mode='custom'></cpu>"; Why = '*no <model>*' }
        @{ Text = '<cpu'; Why = '*not XML*' }
    ) {
        param($Text, $Why)
        $before = Export-KvmVM cpubl1
        { Set-KvmCpu -Name cpubl1 -Baseline $Text -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,KvmPS.Commands.SetKvmCpuCommand' -ExpectedMessage $Why
        Export-KvmVM cpubl1 | Should -Be $before
    }

    It 'binds a piped VM to -VM and piped names to -Name while -Baseline is given' {
        New-KvmVM -Name cpubl2 -Memory 512MB -VCpuCount 1 -NoNetwork | Out-Null
        $Error.Clear()
        Get-KvmVM -Name cpubl1, cpubl2 | Set-KvmCpu -Baseline $script:Baseline -ErrorAction SilentlyContinue
        'cpubl1', 'cpubl2' | Set-KvmCpu -Baseline $script:Baseline -ErrorAction SilentlyContinue
        $err = @($Error)
        $err.Count | Should -Be 4
        ($err | ForEach-Object { $_.FullyQualifiedErrorId } | Select-Object -Unique) | Should -Be 'CpuCompareUnsupported,KvmPS.Commands.SetKvmCpuCommand'
        ($err | ForEach-Object TargetObject | Sort-Object) | Should -Be @('cpubl1', 'cpubl1', 'cpubl2', 'cpubl2')
    }

    It 'leaves the other parameters working as before: no baseline, no host check' {
        Set-KvmCpu -Name cpubl1 -Mode Custom -Model Westmere
        (Get-KvmCpu -Name cpubl1).Model | Should -Be 'Westmere'
    }
}
