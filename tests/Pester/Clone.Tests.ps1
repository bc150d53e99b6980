# Copy-KvmVM and Rename-KvmVM on libvirt's test driver: new identity, owned storage, linked
# overlays, refusals; the base of a linked clone is protected.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Copy-KvmVM and Rename-KvmVM' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $script:src = New-KvmVM -Name clonesrc -Memory 256MB -DiskSize 1GB -Pool default-pool -Network default
    }
    AfterEach {
        Get-KvmVM clone*, renamed* -ErrorAction SilentlyContinue | Sort-Object Name -Descending | Remove-KvmVM -Force -DeleteStorage -Confirm:$false -ErrorAction SilentlyContinue
        Reset-KvmSession
    }

    It 'makes a full copy with a new UUID, new MACs and its own owned disk' {
        $c = Copy-KvmVM clonesrc -NewName clonefull
        $c.Name | Should -Be clonefull
        $c.Uuid | Should -Not -Be $src.Uuid
        $srcMac = (Get-KvmNetworkAdapter clonesrc).MacAddress
        (Get-KvmNetworkAdapter clonefull).MacAddress | Should -Not -Be $srcMac
        $disk = Get-KvmDisk clonefull | Where-Object Device -eq disk
        $disk.Path | Should -Not -Be (Get-KvmDisk clonesrc | Where-Object Device -eq disk).Path
        $disk.OwnedByVM | Should -BeTrue
        (Get-KvmVolume -Pool default-pool | Where-Object Path -eq $disk.Path).BackingPath | Should -BeNullOrEmpty
    }

    It 'makes a linked clone: an overlay on the original''s image, which removing the clone keeps' {
        $base = (Get-KvmDisk clonesrc | Where-Object Device -eq disk).Path
        $null = Copy-KvmVM clonesrc -NewName clonelinked -Linked
        $disk = Get-KvmDisk clonelinked | Where-Object Device -eq disk
        (Get-KvmVolume -Pool default-pool | Where-Object Path -eq $disk.Path).BackingPath | Should -Be $base
        Remove-KvmVM clonesrc -DeleteStorage -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'StorageInUse,KvmPS.Commands.RemoveKvmVMCommand'
        Remove-KvmVM clonelinked -DeleteStorage -Confirm:$false
        Get-KvmVolume -Pool default-pool | Where-Object Path -eq $disk.Path | Should -BeNullOrEmpty
        Get-KvmVolume -Pool default-pool | Where-Object Path -eq $base | Should -Not -BeNullOrEmpty
    }

    It 'refuses a running source, a name in use and an invalid name, and creates nothing' {
        $before = @(Get-KvmVolume -Pool default-pool).Count
        Start-KvmVM clonesrc
        Copy-KvmVM clonesrc -NewName clonerun -ErrorAction SilentlyContinue -ErrorVariable e1
        $e1[0].FullyQualifiedErrorId | Should -Be 'SourceRunning,KvmPS.Commands.CopyKvmVMCommand'
        Stop-KvmVM clonesrc -TurnOff -Confirm:$false
        Copy-KvmVM clonesrc -NewName test -ErrorAction SilentlyContinue -ErrorVariable e2
        $e2[0].CategoryInfo.Category | Should -Be ResourceExists
        Copy-KvmVM clonesrc -NewName ' bad' -ErrorAction SilentlyContinue -ErrorVariable e3
        $e3[0].FullyQualifiedErrorId | Should -Be 'InvalidVMName,KvmPS.Commands.CopyKvmVMCommand'
        @(Get-KvmVolume -Pool default-pool).Count | Should -Be $before
    }

    It 'copies a paused VM in full but refuses a linked clone of it' {
        Start-KvmVM clonesrc
        Suspend-KvmVM clonesrc
        Copy-KvmVM clonesrc -NewName clonepaused | Should -Not -BeNullOrEmpty
        Copy-KvmVM clonesrc -NewName clonepl -Linked -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'SourceRunning,KvmPS.Commands.CopyKvmVMCommand'
        Stop-KvmVM clonesrc -TurnOff -Confirm:$false
    }

    It '-WhatIf copies nothing' {
        Copy-KvmVM clonesrc -NewName clonewhatif -WhatIf
        Get-KvmVM clonewhatif -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'renames a shut-off VM, keeping its UUID, and refuses a running one' {
        $r = Rename-KvmVM clonesrc -NewName renamedsrc -PassThru
        $r.Uuid | Should -Be $src.Uuid
        Get-KvmVM clonesrc -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Start-KvmVM renamedsrc
        Rename-KvmVM renamedsrc -NewName renamed2 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'VMRunning,KvmPS.Commands.RenameKvmVMCommand'
        Rename-KvmVM renamedsrc -NewName test -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2 | Should -Not -BeNullOrEmpty
        Stop-KvmVM renamedsrc -TurnOff -Confirm:$false
        Rename-KvmVM renamedsrc -NewName test -ErrorAction SilentlyContinue -ErrorVariable err3
        $err3[0].FullyQualifiedErrorId | Should -Be 'VMExists,KvmPS.Commands.RenameKvmVMCommand'
        Rename-KvmVM renamedsrc -NewName clonesrc
    }
}
