# Backup-KvmVM and Restore-KvmBackup on libvirt's test driver: binding, -WhatIf, and the refusals
# that come before anything is written. The test driver has no backup job, so a real backup is
# refused there (BackupNotSupported) and must leave nothing behind; real backups are in
# Backup.System.Tests.ps1.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:savedUri = $env:LIBVIRT_DEFAULT_URI
    $env:LIBVIRT_DEFAULT_URI = 'test:///default'
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "kvmps-backup-t-$PID"
    $null = New-Item -ItemType Directory -Force $root

    function New-Manifest([string] $Dir, [object[]] $Chain, [string] $Vm = 'test', [string] $Uuid = '6695eb01-f6a4-8304-79aa-97f2502e193f') {
        $null = New-Item -ItemType Directory -Force $Dir
        @{ formatVersion = 1; vmName = $Vm; vmUuid = $Uuid; chain = @($Chain) } | ConvertTo-Json -Depth 6 | Set-Content (Join-Path $Dir manifest.json)
    }
    function New-Entry([int] $Index, [string] $Kind, [string] $Checkpoint, [string] $Parent, [string] $Sha = ('0' * 64)) {
        @{ index = $Index; kind = $Kind; checkpoint = $Checkpoint; parentCheckpoint = $Parent; definition = ('{0:D2}-definition.xml' -f $Index)
           disks = @(@{ target = 'vda'; file = ('{0:D2}-vda.qcow2' -f $Index); sha256 = $Sha; virtualSizeBytes = 1048576 }) }
    }
}

AfterAll {
    Remove-Item -Recurse -Force $root -ErrorAction Ignore
    Get-KvmVM -Name 'kvmps-bk-*' | Remove-KvmVM -Confirm:$false -ErrorAction Ignore
    $env:LIBVIRT_DEFAULT_URI = $script:savedUri
}

Describe 'Backup-KvmVM on the test driver' {
    It 'binds a VM from the pipeline and a name by position, and -WhatIf writes nothing' {
        $dir = Join-Path $root 'whatif'
        Get-KvmVM -Name test | Backup-KvmVM -Destination $dir -WhatIf
        Backup-KvmVM test $dir -WhatIf
        Test-Path $dir | Should -BeFalse
    }

    It 'says under -Verbose that the test disk can hold no checkpoint' {
        $text = (Backup-KvmVM test -Destination (Join-Path $root 'verbose') -WhatIf -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        $text | Should -Match 'No checkpoint is made'
        $text | Should -Match 'vda \(unknown format\)'
    }

    It 'refuses the job the test driver cannot run, and leaves no directory, checkpoint or file' {
        $dir = Join-Path $root 'refused'
        Backup-KvmVM -Name test -Destination $dir -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Be 'BackupNotSupported,KvmPS.Commands.BackupKvmVMCommand'
        $e[0].CategoryInfo.Category | Should -Be 'NotImplemented'
        $e[0].Exception.Message | Should -Match 'virDomainBackupBegin'
        Test-Path $dir | Should -BeFalse
    }

    It 'keeps an existing directory and its files when the job is refused' {
        $dir = Join-Path $root 'existing'
        $null = New-Item -ItemType Directory -Force $dir
        Backup-KvmVM -Name test -Destination $dir -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Match '^BackupNotSupported'
        Test-Path $dir | Should -BeTrue
        @(Get-ChildItem -Force $dir).Count | Should -Be 0
    }

    It 'refuses a read-only destination before anything: <Dir>' -ForEach @(@{ Dir = '/proc/kvmps-backup' }, @{ Dir = '/sys/kvmps-backup' }) {
        Backup-KvmVM -Name test -Destination $Dir -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Be 'DestinationNotWritable,KvmPS.Commands.BackupKvmVMCommand'
        $e[0].CategoryInfo.Category | Should -Be 'WriteError'
        Test-Path $Dir | Should -BeFalse
    }

    It 'refuses a file as destination' {
        $file = Join-Path $root 'a-file'
        'x' | Set-Content $file
        Backup-KvmVM -Name test -Destination $file -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Match '^DestinationNotWritable'
        Get-Content $file | Should -Be 'x'
    }

    It 'refuses a full backup into a directory that holds other files' {
        $dir = Join-Path $root 'other'
        $null = New-Item -ItemType Directory -Force $dir
        'keep' | Set-Content (Join-Path $dir 'notes.txt')
        Backup-KvmVM -Name test -Destination $dir -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Match '^DestinationNotEmpty'
        $e[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-Content (Join-Path $dir 'notes.txt') | Should -Be 'keep'
    }

    It 'refuses -Incremental without a full backup' {
        Backup-KvmVM -Name test -Destination (Join-Path $root 'nofull') -Incremental -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Match '^NoFullBackup'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
    }

    It 'refuses a second full backup into a chain, and the chain of another VM' {
        $uuid = (Get-KvmVM test).Uuid.ToString()
        $dir = Join-Path $root 'chain'
        New-Manifest $dir @(New-Entry 0 Full cp0) -Uuid $uuid
        Backup-KvmVM -Name test -Destination $dir -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Match '^BackupChainExists'
        $other = Join-Path $root 'other-vm'
        New-Manifest $other @(New-Entry 0 Full cp0) -Vm web9 -Uuid ([guid]::NewGuid())
        Backup-KvmVM -Name test -Destination $other -Incremental -ErrorAction SilentlyContinue -ErrorVariable e2
        $e2[0].FullyQualifiedErrorId | Should -Match '^BackupOfAnotherVM'
    }

    It 'refuses -Incremental when the last checkpoint is gone from the VM' {
        $uuid = (Get-KvmVM test).Uuid.ToString()
        $dir = Join-Path $root 'gone'
        New-Manifest $dir @(New-Entry 0 Full cp0) -Uuid $uuid
        Backup-KvmVM -Name test -Destination $dir -Incremental -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Match '^CheckpointMissing'
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses a damaged manifest' {
        $dir = Join-Path $root 'damaged'
        $null = New-Item -ItemType Directory -Force $dir
        '{ not json' | Set-Content (Join-Path $dir manifest.json)
        Backup-KvmVM -Name test -Destination $dir -Incremental -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Match '^InvalidBackupManifest'
    }

    It 'refuses a VM without disks' {
        '<domain type="test"><name>kvmps-bk-nodisk</name><memory>65536</memory><os><type>hvm</type></os></domain>' | Import-KvmVM | Out-Null
        Backup-KvmVM -Name kvmps-bk-nodisk -Destination (Join-Path $root 'nodisk') -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Match '^NothingToBackUp'
    }

    It 'reports a missing VM as VMNotFound' {
        Backup-KvmVM -Name kvmps-bk-missing -Destination (Join-Path $root 'missing') -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Be 'VMNotFound,KvmPS.Commands.BackupKvmVMCommand'
    }

    It 'needs -Destination' {
        (Get-Command Backup-KvmVM).Parameters['Destination'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).Mandatory | Should -Contain $true
    }
}

Describe 'Restore-KvmBackup on the test driver' {
    It 'refuses a directory without a manifest' {
        $dir = Join-Path $root 'empty'
        $null = New-Item -ItemType Directory -Force $dir
        Restore-KvmBackup -Path $dir -Pool default-pool -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Be 'BackupManifestNotFound,KvmPS.Commands.RestoreKvmBackupCommand'
    }

    It 'refuses a broken chain: <Why>' -ForEach @(
        @{ Why = 'no backups'; Chain = @() ; Id = 'BackupChainBroken' }
        @{ Why = 'incremental first'; Chain = @(@{ index = 0; kind = 'Incremental'; disks = @(@{ target = 'vda'; file = '00-vda.qcow2' }) }); Id = 'BackupChainBroken' }
        @{ Why = 'a path as file name'; Chain = @(@{ index = 0; kind = 'Full'; disks = @(@{ target = 'vda'; file = '../etc/passwd' }) }); Id = 'BackupChainBroken' }
    ) {
        $dir = Join-Path $root "broken-$($Why -replace '\W', '')"
        New-Manifest $dir $Chain
        Restore-KvmBackup -Path $dir -Name kvmps-bk-r -Pool default-pool -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Be "$Id,KvmPS.Commands.RestoreKvmBackupCommand"
        Get-KvmVM -Name kvmps-bk-r -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a missing backup file, and a file whose checksum does not match' {
        $dir = Join-Path $root 'files'
        New-Manifest $dir @(New-Entry 0 Full cp0) -Vm kvmps-bk-gone
        Restore-KvmBackup -Path $dir -Pool default-pool -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Match '^BackupFileMissing'
        'not an image' | Set-Content (Join-Path $dir '00-vda.qcow2')
        '<domain/>' | Set-Content (Join-Path $dir '00-definition.xml')
        Restore-KvmBackup -Path $dir -Pool default-pool -ErrorAction SilentlyContinue -ErrorVariable e2
        $e2[0].FullyQualifiedErrorId | Should -Match '^BackupFileCorrupt'
        Get-KvmVolume -Pool default-pool | Where-Object Name -like 'kvmps-bk-gone*' | Should -BeNullOrEmpty
    }

    It 'refuses the name of an existing VM, and -WhatIf restores nothing' {
        $dir = Join-Path $root 'exists'
        New-Manifest $dir @(New-Entry 0 Full cp0)
        'x' | Set-Content (Join-Path $dir '00-vda.qcow2')
        '<domain/>' | Set-Content (Join-Path $dir '00-definition.xml')
        Restore-KvmBackup -Path $dir -Pool default-pool -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Be 'VMExists,KvmPS.Commands.RestoreKvmBackupCommand'
        $e[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Restore-KvmBackup -Path $dir -Name kvmps-bk-whatif -Pool default-pool -WhatIf
        Get-KvmVM -Name kvmps-bk-whatif -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses an unknown checkpoint, a bad name and a missing pool' {
        $dir = Join-Path $root 'cp'
        New-Manifest $dir @(New-Entry 0 Full cp0)
        Restore-KvmBackup -Path $dir -Name kvmps-bk-cp -Pool default-pool -Checkpoint nope -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -Match '^CheckpointNotInBackup'
        Restore-KvmBackup -Path $dir -Name 'bad/name' -Pool default-pool -ErrorAction SilentlyContinue -ErrorVariable e2
        $e2[0].FullyQualifiedErrorId | Should -Match '^InvalidName'
        Restore-KvmBackup -Path $dir -Name kvmps-bk-cp -Pool kvmps-no-pool -ErrorAction SilentlyContinue -ErrorVariable e3
        $e3[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
