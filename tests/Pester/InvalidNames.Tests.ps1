# One naming rule for every New-* cmdlet: a name with a tab, a leading or trailing space or
# another control character is refused (InvalidName, InvalidArgument) before anything is made.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'New-* refuse names that would look like other names' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $script:tmp = Join-Path ([IO.Path]::GetTempPath()) "kvmps-names-$([guid]::NewGuid().ToString('N'))"
    }
    AfterAll {
        Reset-KvmSession
        Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
    }

    It '<Command> refuses <Shown>' -ForEach @(
        foreach ($c in 'New-KvmVM', 'New-KvmNetwork', 'New-KvmStoragePool', 'New-KvmVolume') {
            @{ Command = $c; Name = "`tweb"; Shown = 'a leading tab' }
            @{ Command = $c; Name = ' web'; Shown = 'a leading space' }
            @{ Command = $c; Name = 'web '; Shown = 'a trailing space' }
            @{ Command = $c; Name = "w`u{1}eb"; Shown = 'a control character' }
        }
    ) {
        $list = switch ($Command) {
            'New-KvmVM' { { @(Get-KvmVM -Name *).Name } }
            'New-KvmNetwork' { { @(Get-KvmNetwork -Name *).Name } }
            'New-KvmStoragePool' { { @(Get-KvmStoragePool -Name *).Name } }
            'New-KvmVolume' { { @(Get-KvmVolume -Pool default-pool).Name } }
        }
        $before = & $list
        $p = switch ($Command) {
            'New-KvmVM' { @{ Memory = 256MB } }
            'New-KvmNetwork' { @{ Subnet = '10.231.40.0/24' } }
            'New-KvmStoragePool' { @{ Path = (Join-Path $tmp 'pool') } }
            'New-KvmVolume' { @{ Pool = 'default-pool'; Size = 1MB } }
        }
        & $Command -Name $Name @p -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidName,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -BeLike "*is not a valid * name: it must be non-empty, without '/', control characters or leading/trailing spaces."
        & $list | Should -Be $before
        Test-Path -LiteralPath (Join-Path $tmp 'pool') | Should -BeFalse
    }

    It 'shows a tab in the message as \t' {
        New-KvmVM -Name "`tweb" -Memory 256MB -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].Exception.Message | Should -BeLike "'\tweb' is not a valid VM name:*"
    }
}
