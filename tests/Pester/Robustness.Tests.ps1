# Input checks as strict everywhere, one ErrorId for one situation, on the test driver. The faults
# of a real daemon (frozen, killed) are in Faults.System.Tests.ps1.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Strict input checks' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $script:tmp = Join-Path ([IO.Path]::GetTempPath()) "kvmps-robust-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path $tmp
    }
    AfterAll {
        Reset-KvmSession
        Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'Import-KvmVolume of a directory says it is a directory' {
        Import-KvmVolume -Path $tmp -Pool default-pool -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'ImportPathIsDirectory,KvmPS.Commands.ImportKvmVolumeCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -BeLike '*is a directory, not an image file*'
        $err[0].Exception.Message | Should -Not -BeLike '*does not exist*'
    }

    It 'Import-KvmVM refuses a definition whose name has a tab, before defining anything' {
        $before = @(Get-KvmVM).Name
        "<domain type='test'><name>`tweb</name><memory>65536</memory><os><type>hvm</type></os></domain>" |
            Import-KvmVM -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidName,KvmPS.Commands.ImportKvmVMCommand'
        $err[0].Exception.Message | Should -BeLike "'\tweb' is not a valid VM name*"
        @(Get-KvmVM).Name | Should -Be $before
    }

    It 'New-KvmVM refuses memory no guest can address, and says the limit' {
        New-KvmVM -Name huge -Memory 8PB -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'MemoryTooLarge,KvmPS.Commands.NewKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match '4 PiB'
        Get-KvmVM huge -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'Set-KvmVM and Set-KvmMemory refuse it too and change nothing' {
        $before = (Get-KvmVM test).MemoryBytes
        Set-KvmVM test -Memory 8PB -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'MemoryTooLarge,KvmPS.Commands.SetKvmVMCommand'
        Set-KvmMemory test -Memory 8PB -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2[0].FullyQualifiedErrorId | Should -Be 'MemoryTooLarge,KvmPS.Commands.SetKvmMemoryCommand'
        (Get-KvmVM test).MemoryBytes | Should -Be $before
    }

    It 'an unreachable host is ConnectionFailed in <Command> alike' -ForEach @(
        @{ Command = 'Get-KvmVM' }, @{ Command = 'Get-KvmNetwork' }, @{ Command = 'Get-KvmStoragePool' },
        @{ Command = 'Get-KvmHost' }, @{ Command = 'Connect-KvmHost' }
    ) {
        $uri = 'qemu+unix:///system?socket=/nonexistent/kvmps.sock'
        & $Command -Uri $uri -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed,*'
        $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $err[0].TargetObject | Should -Be $uri
    }

    It 'a connection on the test driver says keepalive is not used' {
        Reset-KvmSession
        $v = Get-KvmHost -Uri test:///default -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($v.Message -join "`n") | Should -Match 'Keepalive: not used'
    }
}
