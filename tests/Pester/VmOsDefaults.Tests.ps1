# New-KvmVM's OS-variant rules, -SecureBoot/-Tpm checks and -Debug without a console, on the test
# driver (the definitions on a real daemon: VirtInstallParity.System.Tests.ps1).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Iso = Join-Path ([IO.Path]::GetTempPath()) "kvmps-osdef-$PID.iso"
    Set-Content -Path $script:Iso -Value 'not an ISO'
}

AfterAll {
    Remove-Item -LiteralPath $script:Iso -ErrorAction Ignore
}

Describe 'New-KvmVM and the OS variant' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'refuses an install without -OSVariant (<Case>) and creates nothing' -ForEach @(
        @{ Case = 'CD-ROM'; Params = @{ Cdrom = 'ISO' } }
        @{ Case = 'kernel'; Params = @{ Kernel = 'ISO' } }
        @{ Case = 'import'; Params = @{ DiskPath = 'ISO'; Import = $true } }
        @{ Case = 'existing disk'; Params = @{ DiskPath = 'ISO' } }
    ) {
        $p = @{}
        foreach ($k in $Params.Keys) { $p[$k] = ($Params[$k] -is [string] -and $Params[$k] -eq 'ISO') ? $Iso : $Params[$k] }
        New-KvmVM -Name osdef1 -Memory 256MB @p -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'OSVariantRequired,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match '-OSVariant generic'
        Get-KvmVM -Name osdef1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'takes -OSVariant generic for an OS that is not listed, and a VM with nothing to boot without one' {
        New-KvmVM -Name osdef2 -Memory 256MB -Cdrom $Iso -OSVariant generic | Should -Not -BeNullOrEmpty
        New-KvmVM -Name osdef3 -Memory 256MB | Should -Not -BeNullOrEmpty
        Remove-KvmVM -Name osdef2, osdef3 -Confirm:$false
    }

    It 'refuses -SecureBoot with BIOS firmware' {
        New-KvmVM -Name osdef4 -Memory 256MB -Firmware Bios -SecureBoot -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SecureBootWithoutUefi,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'gives Windows 11 UEFI firmware without being asked' {
        if (-not (Test-Path /usr/share/osinfo/os/microsoft.com/win-11.xml)) { Set-ItResult -Skipped -Because 'needs osinfo-db'; return }
        (New-KvmVM -Name osdef5 -Memory 256MB -OSVariant win11).Firmware | Should -Be 'Uefi'
        (New-KvmVM -Name osdef6 -Memory 256MB -OSVariant win11 -Firmware Bios).Firmware | Should -Be 'Bios'
        Remove-KvmVM -Name osdef5, osdef6 -Confirm:$false
    }
}

Describe '-Debug without a console' {
    It '<Command> -Debug writes its debug output and does not prompt with stdin at EOF' -ForEach @(
        @{ Command = 'New-KvmVM'; Line = 'New-KvmVM -Uri test:///default -Name dbg1 -Memory 256MB -Debug | Out-Null; "ok $?"' }
        @{ Command = 'New-KvmNetwork'; Line = 'New-KvmNetwork -Uri test:///default -Name dbgnet -Debug | Out-Null; "ok $?"' }
        @{ Command = 'Get-KvmVM'; Line = 'Get-KvmVM -Uri test:///default -Debug | Out-Null; "ok $?"' }
    ) {
        $pwsh = @(Get-PwshCommand)
        $script = "Import-Module '$ModulePath'; $Line"
        $out = '' | & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoLogo -NoProfile -Command $script 2>&1 | Out-String
        $out | Should -Not -Match 'Object reference not set'
        $out | Should -Not -Match 'Continue with this operation'
        $out | Should -Match 'ok True'
        if ($Command -eq 'New-KvmVM') { $out | Should -Match '<domain' }
    }
}
