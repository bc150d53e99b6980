# Names: an object from the pipeline names exactly one object; a typed literal matches exactly
# (libvirt names are case-sensitive); a typed wildcard is PowerShell's, case-insensitive; names
# with [ ] * ? can be managed by literal name. All on libvirt's test driver.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    function Get-Names([string] $Kind) {
        switch ($Kind) {
            'VM' { @(Get-KvmVM).Name }
            'Network' { @(Get-KvmNetwork).Name }
            'Pool' { @(Get-KvmStoragePool).Name }
        }
    }
}

Describe 'VM names' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        foreach ($n in 'w1', 'w[1]', 'star-a', 'star-b', 'star-*', 'x-[br]', 'x-b', 'x-[y', 'v1') {
            New-KvmVM -Name $n -Memory 256MB
        }
    }
    AfterEach {
        Get-KvmVM -Name * | Where-Object Name -ne 'test' | Remove-KvmVM -Force -Confirm:$false -ErrorAction SilentlyContinue
        Reset-KvmSession
    }

    It 'removes only the piped w[1] object, not w1' {
        Get-KvmVM | Where-Object Name -eq 'w[1]' | Remove-KvmVM -Confirm:$false
        $names = Get-Names VM
        $names | Should -Not -Contain 'w[1]'
        $names | Should -Contain 'w1'
    }

    It 'removes only the piped star-* object, not the VMs its name would match' {
        Get-KvmVM | Where-Object Name -eq 'star-*' | Remove-KvmVM -Confirm:$false
        $names = Get-Names VM
        $names | Should -Not -Contain 'star-*'
        $names | Should -Contain 'star-a'
        $names | Should -Contain 'star-b'
    }

    It 'starts a piped VM object, and only that one' {
        $v = Get-KvmVM | Where-Object Name -eq 'star-*'
        $v | Start-KvmVM
        (Get-KvmVM | Where-Object Name -eq 'star-*').State | Should -Be 'Running'
        (Get-KvmVM star-a).State | Should -Be 'ShutOff'
        (Get-KvmVM star-b).State | Should -Be 'ShutOff'
    }

    It 'finds a piped VM by its UUID, not by a VM that took its name since' {
        $old = Get-KvmVM | Where-Object Name -eq 'w[1]'
        Remove-KvmVM -VM $old -Confirm:$false
        New-KvmVM -Name 'w[1]' -Memory 256MB
        $old | Start-KvmVM -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'VMNotFound,KvmPS.Commands.StartKvmVMCommand'
        (Get-KvmVM | Where-Object Name -eq 'w[1]').State | Should -Be 'ShutOff'
    }

    It 'starts x-[br] by its literal name, not x-b' {
        Start-KvmVM 'x-[br]' -ErrorVariable err
        $err | Should -BeNullOrEmpty
        (Get-KvmVM | Where-Object Name -eq 'x-[br]').State | Should -Be 'Running'
        (Get-KvmVM x-b).State | Should -Be 'ShutOff'
    }

    It 'starts x-[y (not a valid wildcard) by its literal name without an exception' {
        { Start-KvmVM 'x-[y' -ErrorAction Stop } | Should -Not -Throw
        (Get-KvmVM 'x-[y').State | Should -Be 'Running'
    }

    It 'still expands a typed wildcard that names no VM literally' {
        Start-KvmVM 'star-[ab]'
        (Get-KvmVM star-a).State | Should -Be 'Running'
        (Get-KvmVM star-b).State | Should -Be 'Running'
        (Get-KvmVM | Where-Object Name -eq 'star-*').State | Should -Be 'ShutOff'
    }

    It 'reports <Command> V1 when only v1 exists, and suggests v1' -ForEach @(
        @{ Command = 'Start-KvmVM'; Class = 'StartKvmVMCommand' }
        @{ Command = 'Get-KvmVM'; Class = 'GetKvmVMCommand' }
    ) {
        $out = & $Command V1 -ErrorAction SilentlyContinue -ErrorVariable err
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be "VMNotFound,KvmPS.Commands.$Class"
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'V1'
        $err[0].ToString() | Should -Match "did you mean 'v1'"
        (Get-KvmVM v1).State | Should -Be 'ShutOff'
    }

    It 'Get-KvmVM takes a wildcard case-insensitively and finds the literal name too' {
        (Get-KvmVM 'V*').Name | Should -Be 'v1'
        (Get-KvmVM 'x-[br]').Name | Should -Be @('x-[br]', 'x-b')
        (Get-KvmVM 'w[1]').Name | Should -Be @('w1', 'w[1]')
    }

    It 'Get-KvmVM takes an invalid pattern as a literal name' {
        { Get-KvmVM 'x-[y' -ErrorAction Stop } | Should -Not -Throw
        (Get-KvmVM 'x-[y').Name | Should -Be 'x-[y'
        Get-KvmVM 'x-[z' -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'VMNotFound,KvmPS.Commands.GetKvmVMCommand'
    }
}

Describe 'Network names' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmNetwork -Name 'n-[1]' -Mode Isolated
        New-KvmNetwork -Name 'n-1' -Mode Isolated
    }
    AfterEach {
        Remove-KvmNetwork 'n-[1]', 'n-1' -Force -Confirm:$false -ErrorAction SilentlyContinue
        Reset-KvmSession
    }

    It 'starts, stops and removes the piped n-[1] object only' {
        Get-KvmNetwork | Where-Object Name -eq 'n-[1]' | Start-KvmNetwork
        (Get-KvmNetwork | Where-Object Name -eq 'n-[1]').IsActive | Should -BeTrue
        (Get-KvmNetwork n-1).IsActive | Should -BeFalse
        Get-KvmNetwork | Where-Object Name -eq 'n-[1]' | Stop-KvmNetwork -Confirm:$false
        (Get-KvmNetwork | Where-Object Name -eq 'n-[1]').IsActive | Should -BeFalse
        Get-KvmNetwork | Where-Object Name -eq 'n-[1]' | Remove-KvmNetwork -Confirm:$false
        Get-Names Network | Should -Not -Contain 'n-[1]'
        Get-Names Network | Should -Contain 'n-1'
    }

    It 'starts, stops and removes n-[1] by its literal name only' {
        Start-KvmNetwork 'n-[1]'
        (Get-KvmNetwork | Where-Object Name -eq 'n-[1]').IsActive | Should -BeTrue
        (Get-KvmNetwork n-1).IsActive | Should -BeFalse
        Stop-KvmNetwork 'n-[1]' -Confirm:$false
        (Get-KvmNetwork | Where-Object Name -eq 'n-[1]').IsActive | Should -BeFalse
        Remove-KvmNetwork 'n-[1]' -Confirm:$false
        Get-Names Network | Should -Not -Contain 'n-[1]'
        Get-Names Network | Should -Contain 'n-1'
    }

    It 'Get-KvmNetwork finds the literal name and the wildcard, case-insensitively only for the wildcard' {
        (Get-KvmNetwork 'n-[1]').Name | Should -Be @('n-1', 'n-[1]')
        (Get-KvmNetwork 'N-[1]').Name | Should -Be 'n-1'
        Get-KvmNetwork DEFAULT -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'NetworkNotFound,KvmPS.Commands.GetKvmNetworkCommand'
        $err[0].ToString() | Should -Match "did you mean 'default'"
    }

    It 'Start-KvmNetwork DEFAULT is not found (names are case-sensitive)' {
        Start-KvmNetwork DEFAULT -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'NetworkNotFound,KvmPS.Commands.StartKvmNetworkCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Storage pool names' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmStoragePool -Name 'p-[1]' -Path /kvmps-names/pb
        New-KvmStoragePool -Name 'p-1' -Path /kvmps-names/p1
    }
    AfterEach {
        Remove-KvmStoragePool 'p-[1]', 'p-1' -Confirm:$false -ErrorAction SilentlyContinue
        Reset-KvmSession
    }

    It 'starts, stops and removes the piped p-[1] object only' {
        Get-KvmStoragePool | Where-Object Name -eq 'p-[1]' | Start-KvmStoragePool
        (Get-KvmStoragePool | Where-Object Name -eq 'p-[1]').State | Should -Be 'Running'
        (Get-KvmStoragePool p-1).State | Should -Be 'Inactive'
        Get-KvmStoragePool | Where-Object Name -eq 'p-[1]' | Stop-KvmStoragePool -Confirm:$false
        (Get-KvmStoragePool | Where-Object Name -eq 'p-[1]').State | Should -Be 'Inactive'
        Get-KvmStoragePool | Where-Object Name -eq 'p-[1]' | Remove-KvmStoragePool -Confirm:$false
        Get-Names Pool | Should -Not -Contain 'p-[1]'
        Get-Names Pool | Should -Contain 'p-1'
    }

    It 'starts, stops and removes p-[1] by its literal name only' {
        Start-KvmStoragePool 'p-[1]'
        (Get-KvmStoragePool | Where-Object Name -eq 'p-[1]').State | Should -Be 'Running'
        (Get-KvmStoragePool p-1).State | Should -Be 'Inactive'
        Stop-KvmStoragePool 'p-[1]' -Confirm:$false
        Remove-KvmStoragePool 'p-[1]' -Confirm:$false
        Get-Names Pool | Should -Not -Contain 'p-[1]'
        Get-Names Pool | Should -Contain 'p-1'
    }

    It 'Get-KvmStoragePool: a wildcard finds the literal name too; a literal matches exactly' {
        (Get-KvmStoragePool 'p-[1]').Name | Should -Be @('p-1', 'p-[1]')
        (Get-KvmStoragePool 'P-?').Name | Should -Be 'p-1'
        Get-KvmStoragePool 'P-1' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'StoragePoolNotFound,KvmPS.Commands.GetKvmStoragePoolCommand'
        $err[0].ToString() | Should -Match "did you mean 'p-1'"
    }

    It 'Get-KvmVolume of a piped p-[1] pool reads only that pool' {
        Start-KvmStoragePool 'p-[1]', 'p-1'
        New-KvmVolume -Pool 'p-1' -Name only-in-p1.qcow2 -Size 1MB
        New-KvmVolume -Pool 'p-[1]' -Name only-in-pb.qcow2 -Size 1MB
        $v = Get-KvmStoragePool | Where-Object Name -eq 'p-[1]' | Get-KvmVolume
        $v.Name | Should -Be 'only-in-pb.qcow2'
        Get-KvmStoragePool | Where-Object Name -like 'p-*' | ForEach-Object {
            Get-KvmVolume -Pool $_.Name | Where-Object Name -like 'only-in-*' | ForEach-Object { Remove-KvmVolume -Pool $_.Pool -Name $_.Name -Confirm:$false }
        }
        Stop-KvmStoragePool 'p-[1]', 'p-1' -Confirm:$false
    }
}
