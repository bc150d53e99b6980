# Snapshots on libvirt's test driver: the cmdlets, their tree, names that need escaping, and the
# refusals (names in use, missing snapshots, snapshots of another VM, VMs with snapshots).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Snapshots on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $null = New-KvmVM -Name snapvm -Memory 256MB -DiskSize 1GB -Pool default-pool
        $null = New-KvmVM -Name othervm -Memory 256MB -DiskSize 1GB -Pool default-pool
    }
    AfterEach {
        Get-KvmVM snapvm, othervm, renamedvm -ErrorAction SilentlyContinue | Remove-KvmVM -Force -DeleteStorage -Confirm:$false -ErrorAction SilentlyContinue
        Reset-KvmSession
    }

    It 'takes an internal snapshot of a qcow2 VM and says why' {
        $s = Checkpoint-KvmVM snapvm -SnapshotName first -Description 'the first' -Verbose 4>&1
        $verbose = $s | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $snap = $s | Where-Object { $_ -is [KvmPS.KvmSnapshot] }
        $snap.Kind | Should -Be Internal
        $snap.Reason | Should -Match 'qcow2'
        ($verbose.Message -join "`n") | Should -Match ([regex]::Escape($snap.Reason))
        $snap.Description | Should -Be 'the first'
        $snap.VMName | Should -Be snapvm
        $snap.IsCurrent | Should -BeTrue
        $snap.Disks.Target | Should -Contain 'vda'
    }

    It 'chooses an external snapshot for a disk that is not qcow2 (the test VM''s raw disk)' {
        # The test driver cannot take disk-only snapshots, so -WhatIf shows the choice.
        $out = Checkpoint-KvmVM test -SnapshotName ext -WhatIf -Verbose 4>&1
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'external, disks only: an internal snapshot is not possible'
        @(Get-KvmSnapshot test -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'builds the tree: parent, children, current' {
        $null = Checkpoint-KvmVM snapvm -SnapshotName a
        $null = Checkpoint-KvmVM snapvm -SnapshotName b
        $all = Get-KvmSnapshot snapvm
        ($all | Where-Object Name -eq b).Parent | Should -Be a
        ($all | Where-Object Name -eq a).Children | Should -Be @('b')
        ($all | Where-Object IsCurrent).Name | Should -Be b
    }

    It 'keeps names with quotes and angle brackets as given' {
        $name = 'q"<x>&''y'
        $s = Checkpoint-KvmVM snapvm -SnapshotName $name
        $s.Name | Should -BeExactly $name
        (Get-KvmSnapshot snapvm -Name $name).Name | Should -BeExactly $name
        Remove-KvmSnapshot -VMName snapvm -Name $name -Force
        @(Get-KvmSnapshot snapvm).Count | Should -Be 0
    }

    It 'refuses a name in use (ResourceExists) and changes nothing' {
        $null = Checkpoint-KvmVM snapvm -SnapshotName dup
        Checkpoint-KvmVM snapvm -SnapshotName dup -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'SnapshotExists,KvmPS.Commands.CheckpointKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be ResourceExists
        @(Get-KvmSnapshot snapvm).Count | Should -Be 1
    }

    It 'reports a missing snapshot as ObjectNotFound in every cmdlet' {
        Get-KvmSnapshot snapvm -Name nosuch -ErrorAction SilentlyContinue -ErrorVariable e1
        Restore-KvmSnapshot snapvm nosuch -Force -ErrorAction SilentlyContinue -ErrorVariable e2
        Remove-KvmSnapshot snapvm nosuch -Force -ErrorAction SilentlyContinue -ErrorVariable e3
        Rename-KvmSnapshot snapvm nosuch -NewName x -ErrorAction SilentlyContinue -ErrorVariable e4
        foreach ($e in $e1, $e2, $e3, $e4) {
            $e[0].CategoryInfo.Category | Should -Be ObjectNotFound
            $e[0].FullyQualifiedErrorId | Should -Match '^SnapshotNotFound,'
        }
    }

    It 'is silent for a wildcard that matches nothing' {
        Get-KvmSnapshot snapvm -Name 'zz*' -ErrorVariable err
        $err | Should -BeNullOrEmpty
    }

    It 'refuses a piped snapshot of another VM' {
        $null = Checkpoint-KvmVM othervm -SnapshotName theirs
        Get-KvmSnapshot othervm | Restore-KvmSnapshot -VMName snapvm -Force -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'SnapshotOfAnotherVM,KvmPS.Commands.RestoreKvmSnapshotCommand'
        (Get-KvmSnapshot othervm).IsCurrent | Should -BeTrue
        Restore-KvmSnapshot -VMName snapvm -Name theirs -Force -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2[0].FullyQualifiedErrorId | Should -Match '^SnapshotNotFound,'
    }

    It 'restores a snapshot from the pipeline and makes it current' {
        $null = Checkpoint-KvmVM snapvm -SnapshotName one
        $null = Checkpoint-KvmVM snapvm -SnapshotName two
        Get-KvmSnapshot snapvm -Name one | Restore-KvmSnapshot -Force
        (Get-KvmSnapshot snapvm | Where-Object IsCurrent).Name | Should -Be one
    }

    It 'restores only after confirmation (ConfirmImpact High); -WhatIf changes nothing' {
        (Get-Command Restore-KvmSnapshot).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be High
        $null = Checkpoint-KvmVM snapvm -SnapshotName one
        $null = Checkpoint-KvmVM snapvm -SnapshotName two
        Restore-KvmSnapshot snapvm one -WhatIf
        (Get-KvmSnapshot snapvm | Where-Object IsCurrent).Name | Should -Be two
    }

    It 'restores a running VM to a snapshot of it running' {
        Start-KvmVM snapvm
        $null = Checkpoint-KvmVM snapvm -SnapshotName live
        (Get-KvmSnapshot snapvm -Name live).State | Should -Be Running
        Stop-KvmVM snapvm -TurnOff -Confirm:$false
        Restore-KvmSnapshot snapvm live -Force
        (Get-KvmVM snapvm).State | Should -Be Running
    }

    It 'removes a snapshot with its children, or keeps the children on its parent' {
        $null = Checkpoint-KvmVM snapvm -SnapshotName p
        $null = Checkpoint-KvmVM snapvm -SnapshotName c1
        $null = Checkpoint-KvmVM snapvm -SnapshotName c2
        Remove-KvmSnapshot snapvm c1 -Force
        (Get-KvmSnapshot snapvm -Name c2).Parent | Should -Be p
        Remove-KvmSnapshot snapvm p -IncludeChildren -Force
        @(Get-KvmSnapshot snapvm).Count | Should -Be 0
    }

    It 'renames a snapshot; its children and the current mark follow' {
        $null = Checkpoint-KvmVM snapvm -SnapshotName old
        $null = Checkpoint-KvmVM snapvm -SnapshotName kid
        Restore-KvmSnapshot snapvm old -Force
        $r = Rename-KvmSnapshot snapvm old -NewName new -PassThru
        $r.Name | Should -Be new
        $r.IsCurrent | Should -BeTrue
        (Get-KvmSnapshot snapvm -Name kid).Parent | Should -Be new
        Get-KvmSnapshot snapvm -Name old -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Rename-KvmSnapshot snapvm new -NewName kid -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'SnapshotExists,KvmPS.Commands.RenameKvmSnapshotCommand'
    }

    It 'changes and removes the description' {
        $null = Checkpoint-KvmVM snapvm -SnapshotName d -Description before
        (Set-KvmSnapshot snapvm d -Description after -PassThru).Description | Should -Be after
        (Set-KvmSnapshot snapvm d -Description '' -PassThru).Description | Should -BeNullOrEmpty
    }

    It 'refuses -Memory with -DiskOnly, and -Memory or -Quiesce on a stopped VM' {
        Checkpoint-KvmVM snapvm -SnapshotName m -Memory -DiskOnly -ErrorAction SilentlyContinue -ErrorVariable e1
        Checkpoint-KvmVM snapvm -SnapshotName m -Memory -ErrorAction SilentlyContinue -ErrorVariable e2
        Checkpoint-KvmVM snapvm -SnapshotName m -Quiesce -ErrorAction SilentlyContinue -ErrorVariable e3
        $e1[0].FullyQualifiedErrorId | Should -Match '^MemoryWithDiskOnly,'
        $e2[0].FullyQualifiedErrorId | Should -Match '^MemoryOfStoppedVM,'
        $e3[0].FullyQualifiedErrorId | Should -Match '^QuiesceNeedsRunningVM,'
        @(Get-KvmSnapshot snapvm).Count | Should -Be 0
    }

    It 'refuses to remove a VM with snapshots without -Force, naming them' {
        $null = Checkpoint-KvmVM snapvm -SnapshotName keep1
        $null = Checkpoint-KvmVM snapvm -SnapshotName keep2
        Remove-KvmVM snapvm -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'VMHasSnapshots,KvmPS.Commands.RemoveKvmVMCommand'
        $err[0].ToString() | Should -Match 'keep1' -Because 'the refusal names the snapshots'
        $err[0].ToString() | Should -Match 'keep2'
        Get-KvmVM snapvm | Should -Not -BeNullOrEmpty
        Remove-KvmVM snapvm -Force -Confirm:$false
        Get-KvmVM snapvm -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'returns read-only objects' {
        $s = Checkpoint-KvmVM snapvm -SnapshotName ro
        { $s.Name = 'x' } | Should -Throw
        $s.GetType().FullName | Should -Be 'KvmPS.KvmSnapshot'
    }
}
