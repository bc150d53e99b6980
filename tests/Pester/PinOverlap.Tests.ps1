# Set-KvmCpuPin -Auto keeps off every host CPU another VM holds: vCPU pins, the emulator pin,
# IOThread pins and <vcpu cpuset>. On a private test-driver host
# (tests/fixtures/testdriver/pinned-vms.xml: 2 cells, CPUs 0-3 and 4-7) whose VMs hold 0, 1, 2, 4, 5.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Fixture = Join-Path $script:RepoRoot 'tests/fixtures/testdriver/pinned-vms.xml'

    function Pins([string] $Name) {
        (Get-KvmCpuPin $Name -Uri $script:HostUri | ForEach-Object { "$($_.VCpu)=$($_.HostCpus)" }) -join ' '
    }
}

Describe 'Set-KvmCpuPin -Auto among VMs that hold host CPUs' {
    BeforeEach {
        # A fresh copy per test: a custom test-driver host is private to its file and connection.
        $script:HostFile = Join-Path ([IO.Path]::GetTempPath()) "kvmps-overlap-$([guid]::NewGuid().ToString('N')).xml"
        Copy-Item $script:Fixture $script:HostFile
        $script:HostUri = "test://$script:HostFile"
        Reset-KvmSession
    }
    AfterEach {
        Reset-KvmSession
        Remove-Item $script:HostFile -ErrorAction Ignore
    }

    It 'places vCPUs and the emulator on CPUs no other VM holds' {
        Set-KvmCpuPin kvmps-po-small -Uri $script:HostUri -Auto
        Pins kvmps-po-small | Should -Be '0=6 1=7'
        (Get-KvmCpuPin kvmps-po-small -Uri $script:HostUri)[0].EmulatorCpus | Should -Be '3'
    }

    It 'keeps off a CPU that another VM''s emulator pin holds' {
        # Only the emulator pin of kvmps-po-emulator holds CPU 1 once its vCPU pin moves away.
        Set-KvmCpuPin kvmps-po-emulator -Uri $script:HostUri -VCpu 0 -HostCpu 3
        Set-KvmCpuPin kvmps-po-iothread -Uri $script:HostUri -Clear
        Set-KvmCpuPin kvmps-po-small -Uri $script:HostUri -Auto -ExcludeHostCpu '4-7'
        $p = Get-KvmCpuPin kvmps-po-small -Uri $script:HostUri
        $p.HostCpus | Should -Not -Contain '1'
        $p.HostCpus | Should -Not -Contain '3'
        $p[0].EmulatorCpus | Should -Not -BeIn @('1', '3')
        ($p.HostCpus -join ',') | Should -Be '0,2'
    }

    It 'refuses when too few CPUs are free, naming the VMs that hold them, and changes nothing' {
        [xml] $before = Export-KvmVM kvmps-po-target -Uri $script:HostUri
        $err = $null
        Set-KvmCpuPin kvmps-po-target -Uri $script:HostUri -Auto -ErrorAction SilentlyContinue -ErrorVariable err
        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'NotEnoughHostCpus,KvmPS.Commands.SetKvmCpuPinCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $err[0].TargetObject | Should -Be 'kvmps-po-target'
        $msg = $err[0].Exception.Message
        $msg | Should -Match "'kvmps-po-emulator' \(vCPUs 0, emulator 1\)"
        $msg | Should -Match "'kvmps-po-iothread' \(vCPUs 0, emulator 0, IOThreads 2\)"
        $msg | Should -Match "'kvmps-po-cpuset' \(cpuset 4,5\)"
        $msg | Should -Match '-AllowOverlap'
        $msg | Should -Not -Match 'kvmps-po-wide'
        ([xml] (Export-KvmVM kvmps-po-target -Uri $script:HostUri)).OuterXml | Should -Be $before.OuterXml
    }

    It 'shares held CPUs with -AllowOverlap' {
        Set-KvmCpuPin kvmps-po-target -Uri $script:HostUri -Auto -AllowOverlap
        Pins kvmps-po-target | Should -Be '0=0 1=1 2=2 3=3'
    }

    It 'counts a pinned VM''s IOThreads for the next VM' {
        Set-KvmCpuPin kvmps-po-iothread -Uri $script:HostUri -IOThreadCpu 6
        Set-KvmCpuPin kvmps-po-small -Uri $script:HostUri -Auto
        (Get-KvmCpuPin kvmps-po-small -Uri $script:HostUri).HostCpus | Should -Not -Contain '6'
    }
}
