# -CloudInit takes the user-data or the path of a file holding it; the seed ISO is owner-only.
# On libvirt's test driver, with the disk and seed as local files (needs qemu-img and xorriso).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'New-KvmVM -OSVariant linux2022 -CloudInit' -Skip:(-not (Get-Command xorriso, qemu-img -ErrorAction SilentlyContinue | Measure-Object).Count.Equals(2)) {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $script:dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-ci-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path $dir
        Set-Content -LiteralPath (Join-Path $dir 'user-data.yaml') -Value "#cloud-config`nhostname: from-the-file"
    }
    AfterEach {
        Remove-KvmVM -Name kvmps-ci -DeleteStorage -Confirm:$false -ErrorAction SilentlyContinue
        Reset-KvmSession
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'reads the user-data from a file given <How>' -ForEach @(
        @{ How = 'by full path'; Relative = $false }
        @{ How = 'relative to the current location'; Relative = $true }
    ) {
        $file = if ($Relative) { 'user-data.yaml' } else { Join-Path $dir 'user-data.yaml' }
        Push-Location $dir
        try {
            New-KvmVM -OSVariant linux2022 -Name kvmps-ci -Memory 256MB -DiskPath (Join-Path $dir 'kvmps-ci.qcow2') -DiskSize 16MB -CloudInit $file
        } finally {
            Pop-Location
        }
        $iso = Join-Path $dir 'kvmps-ci-cidata.iso'
        $text = [Text.Encoding]::ASCII.GetString([IO.File]::ReadAllBytes($iso))
        $text | Should -Match 'hostname: from-the-file'
        [IO.File]::GetUnixFileMode($iso) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'takes user-data text as before' {
        New-KvmVM -OSVariant linux2022 -Name kvmps-ci -Memory 256MB -DiskPath (Join-Path $dir 'kvmps-ci.qcow2') -DiskSize 16MB -CloudInit "#cloud-config`nhostname: from-text"
        $iso = Join-Path $dir 'kvmps-ci-cidata.iso'
        [Text.Encoding]::ASCII.GetString([IO.File]::ReadAllBytes($iso)) | Should -Match 'hostname: from-text'
        [IO.File]::GetUnixFileMode($iso) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'refuses a directory and creates nothing' {
        New-KvmVM -OSVariant linux2022 -Name kvmps-ci -Memory 256MB -DiskPath (Join-Path $dir 'kvmps-ci.qcow2') -DiskSize 16MB -CloudInit $dir -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'CloudInitIsDirectory,KvmPS.Commands.NewKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-KvmVM -Name kvmps-ci -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $dir).Name | Should -Be @('user-data.yaml')
    }
}
