# Export-KvmVM -IncludeStorage, Import-KvmVM of an export directory and Copy-KvmVM across pools and
# hosts on libvirt's test driver. It has no volume streams (virStorageVolDownload/Upload), so a
# real export or -Copy import fails there: that shows the clean-up (no directory, volume or VM
# left). The imports read export directories written here; ExportImport.System.Tests.ps1 runs
# the whole round trip on a real daemon.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "kvmps-exim-t-$PID"
    $null = New-Item -ItemType Directory -Force $Work

    function New-TestExport([string] $Name, [string] $Uuid = '0e7b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d', [string] $Mac = '52:54:00:7e:10:01') {
        # An export directory as Export-KvmVM -IncludeStorage writes it: definition, one raw image, manifest.
        $dir = Join-Path $Work ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $dir
        $xml = "<domain type='test'><name>$Name</name><uuid>$Uuid</uuid><memory>262144</memory><vcpu>1</vcpu><os><type>hvm</type></os>" +
            "<devices><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/nowhere/$Name.img'/><target dev='vda' bus='virtio'/></disk>" +
            "<interface type='network'><mac address='$Mac'/><source network='default'/></interface></devices></domain>"
        [IO.File]::WriteAllText((Join-Path $dir "$Name.xml"), $xml)
        [IO.File]::WriteAllBytes((Join-Path $dir 'vda.img'), [byte[]]::new(8192))
        $sha = { param($f) (Get-FileHash -Algorithm SHA256 (Join-Path $dir $f)).Hash.ToLowerInvariant() }
        @{
            kind = 'KvmPS.VMExport'; formatVersion = 1; vmName = $Name; vmUuid = $Uuid; sourceUri = 'test:///default'; vmState = 'ShutOff'
            createdUtc = '2026-12-01T10:00:00Z'; definition = "$Name.xml"; definitionSha256 = (& $sha "$Name.xml")
            disks = @(@{ target = 'vda'; file = 'vda.img'; format = 'raw'; virtualSizeBytes = 8192; fileSizeBytes = 8192; sha256 = (& $sha 'vda.img'); sourcePool = 'default-pool' })
        } | ConvertTo-Json -Depth 5 | Set-Content (Join-Path $dir 'manifest.json')
        $dir
    }
}

AfterAll {
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}

Describe 'Export-KvmVM -IncludeStorage on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $script:src = New-KvmVM -Name eximsrc -Memory 256MB -DiskSize 1GB -Pool default-pool -Network default
        $script:Dest = Join-Path $Work ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $Dest
    }
    AfterEach {
        Get-KvmVM exim* -ErrorAction SilentlyContinue | Sort-Object Name -Descending | Remove-KvmVM -Force -DeleteStorage -Confirm:$false -ErrorAction SilentlyContinue
        Reset-KvmSession
    }

    It 'keeps the definition-only export as it was' {
        $xml = Export-KvmVM eximsrc
        ([xml] $xml).domain.name | Should -Be eximsrc
    }

    It 'refuses a missing -Path, a missing directory and an export that exists' {
        Export-KvmVM eximsrc -IncludeStorage -ErrorAction SilentlyContinue -ErrorVariable e1
        $e1[0].FullyQualifiedErrorId | Should -Be 'PathRequired,KvmPS.Commands.ExportKvmVMCommand'
        Export-KvmVM eximsrc -IncludeStorage -Path (Join-Path $Dest none) -ErrorAction SilentlyContinue -ErrorVariable e2
        $e2[0].FullyQualifiedErrorId | Should -Be 'DirectoryNotFound,KvmPS.Commands.ExportKvmVMCommand'
        $e2[0].CategoryInfo.Category | Should -Be ObjectNotFound
        $null = New-Item -ItemType Directory (Join-Path $Dest eximsrc)
        Export-KvmVM eximsrc -IncludeStorage -Path $Dest -ErrorAction SilentlyContinue -ErrorVariable e3
        $e3[0].FullyQualifiedErrorId | Should -Be 'ExportExists,KvmPS.Commands.ExportKvmVMCommand'
        $e3[0].CategoryInfo.Category | Should -Be ResourceExists
    }

    It 'refuses a running VM unless -Suspend, and -WhatIf makes nothing' {
        Start-KvmVM eximsrc
        Export-KvmVM eximsrc -IncludeStorage -Path $Dest -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'SourceRunning,KvmPS.Commands.ExportKvmVMCommand'
        $err[0].Exception.Message | Should -Match '-Suspend'
        Export-KvmVM eximsrc -IncludeStorage -Suspend -Path $Dest -WhatIf
        @(Get-ChildItem $Dest).Count | Should -Be 0
        (Get-KvmVM eximsrc).State | Should -Be Running
    }

    It 'removes the directory of an export that fails (no volume download here) and resumes the VM it paused' {
        Start-KvmVM eximsrc
        Export-KvmVM eximsrc -IncludeStorage -Suspend -Path $Dest -ErrorAction SilentlyContinue -ErrorVariable err
        $err | Should -Not -BeNullOrEmpty
        $err[0].Exception.Message | Should -Match 'virStorageVolDownload'
        Test-Path (Join-Path $Dest eximsrc) | Should -BeFalse
        (Get-KvmVM eximsrc).State | Should -Be Running
    }
}

Describe 'Import-KvmVM of an export directory on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }
    AfterEach {
        Get-KvmVM exim* -ErrorAction SilentlyContinue | Remove-KvmVM -Force -Confirm:$false -ErrorAction SilentlyContinue
        Reset-KvmSession
    }

    It 'registers in place: the disks are the export''s files, the UUID and MAC are kept, nothing is owned' {
        $dir = New-TestExport eximplace
        $vm = Import-KvmVM -Path $dir
        $vm.Name | Should -Be eximplace
        $vm.Uuid | Should -Be '0e7b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d'
        $disk = Get-KvmDisk eximplace | Where-Object Target -eq vda
        $disk.Path | Should -Be (Join-Path $dir 'vda.img')
        $disk.OwnedByVM | Should -BeFalse
        (Get-KvmNetworkAdapter eximplace).MacAddress | Should -Be '52:54:00:7e:10:01'
    }

    It 'refuses the name, then the UUID, then the MAC in use; -GenerateNewId -NewName imports beside it' {
        $dir = New-TestExport eximtwice
        $first = Import-KvmVM -Path $dir
        Import-KvmVM -Path $dir -ErrorAction SilentlyContinue -ErrorVariable e1
        $e1[0].FullyQualifiedErrorId | Should -Be 'VMExists,KvmPS.Commands.ImportKvmVMCommand'
        $e1[0].CategoryInfo.Category | Should -Be ResourceExists
        Import-KvmVM -Path $dir -NewName eximtwice2 -ErrorAction SilentlyContinue -ErrorVariable e2
        $e2[0].FullyQualifiedErrorId | Should -Be 'VMUuidInUse,KvmPS.Commands.ImportKvmVMCommand'
        $other = New-TestExport eximmac -Uuid '1f8c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e'
        Import-KvmVM -Path $other -ErrorAction SilentlyContinue -ErrorVariable e3
        $e3[0].CategoryInfo.Category | Should -Be ResourceExists
        $e3[0].Exception.Message | Should -Match 'GenerateNewId'
        $copy = Import-KvmVM -Path $dir -NewName eximtwice2 -GenerateNewId
        $copy.Uuid | Should -Not -Be $first.Uuid
        (Get-KvmNetworkAdapter eximtwice2).MacAddress | Should -Not -Be '52:54:00:7e:10:01'
    }

    It 'refuses a missing directory, one without a manifest, a backup''s manifest and bad options' {
        Import-KvmVM -Path (Join-Path $Work none) -Copy -ErrorAction SilentlyContinue -ErrorVariable e1
        $e1[0].FullyQualifiedErrorId | Should -Be 'DirectoryNotFound,KvmPS.Commands.ImportKvmVMCommand'
        $empty = Join-Path $Work ([guid]::NewGuid()); $null = New-Item -ItemType Directory $empty
        Import-KvmVM -Path $empty -ErrorAction SilentlyContinue -ErrorVariable e2
        $e2[0].FullyQualifiedErrorId | Should -Be 'ExportManifestNotFound,KvmPS.Commands.ImportKvmVMCommand'
        '{"formatVersion": 1, "vmName": "x", "chain": []}' | Set-Content (Join-Path $empty manifest.json)
        Import-KvmVM -Path $empty -ErrorAction SilentlyContinue -ErrorVariable e3
        $e3[0].FullyQualifiedErrorId | Should -Be 'InvalidExportManifest,KvmPS.Commands.ImportKvmVMCommand'
        $e3[0].Exception.Message | Should -Match 'Restore-KvmBackup'
        $dir = New-TestExport eximopts
        Import-KvmVM -Path $dir -Pool default-pool -ErrorAction SilentlyContinue -ErrorVariable e4
        $e4[0].FullyQualifiedErrorId | Should -Be 'PoolNeedsCopy,KvmPS.Commands.ImportKvmVMCommand'
        Import-KvmVM -Path $dir -Name other -ErrorAction SilentlyContinue -ErrorVariable e5
        $e5[0].FullyQualifiedErrorId | Should -Be 'NameForExportDirectory,KvmPS.Commands.ImportKvmVMCommand'
        Import-KvmVM -Path (Join-Path $dir eximopts.xml) -Copy -ErrorAction SilentlyContinue -ErrorVariable e6
        $e6[0].FullyQualifiedErrorId | Should -Be 'ExportDirectoryExpected,KvmPS.Commands.ImportKvmVMCommand'
        Import-KvmVM -Path $dir -Copy -Pool nosuchpool -ErrorAction SilentlyContinue -ErrorVariable e7
        $e7[0].FullyQualifiedErrorId | Should -Be 'PoolNotFound,KvmPS.Commands.ImportKvmVMCommand'
        Get-KvmVM eximopts -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a file changed since the export (length or SHA-256) before anything is made' {
        $dir = New-TestExport eximbad
        $f = [IO.File]::OpenWrite((Join-Path $dir 'vda.img'))
        try { $f.WriteByte(1) } finally { $f.Dispose() }
        Import-KvmVM -Path $dir -ErrorAction SilentlyContinue -ErrorVariable e1
        $e1[0].FullyQualifiedErrorId | Should -Be 'ExportFileCorrupt,KvmPS.Commands.ImportKvmVMCommand'
        Add-Content (Join-Path $dir 'vda.img') 'more'
        Import-KvmVM -Path $dir -ErrorAction SilentlyContinue -ErrorVariable e2
        $e2[0].FullyQualifiedErrorId | Should -Be 'ExportFileChanged,KvmPS.Commands.ImportKvmVMCommand'
        Get-KvmVM eximbad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'removes the volume of a -Copy import that fails half-way (no volume upload here), and -WhatIf makes nothing' {
        $dir = New-TestExport eximcopy
        $before = @(Get-KvmVolume -Pool default-pool).Count
        Import-KvmVM -Path $dir -Copy -WhatIf
        Import-KvmVM -Path $dir -Copy -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].Exception.Message | Should -Match 'virStorageVolUpload'
        @(Get-KvmVolume -Pool default-pool).Count | Should -Be $before
        Get-KvmVM eximcopy -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Copy-KvmVM across pools and hosts on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $null = New-KvmVM -Name eximcsrc -Memory 256MB -DiskSize 1GB -Pool default-pool -Network default
        $script:Pool2 = "eximpool-$PID"
        New-KvmStoragePool -Name $Pool2 -Type Dir -Path "/kvmps-exim-$PID" | Out-Null
        Start-KvmStoragePool -Name $Pool2
    }
    AfterEach {
        Get-KvmVM eximc* -ErrorAction SilentlyContinue | Sort-Object Name -Descending | Remove-KvmVM -Force -DeleteStorage -Confirm:$false -ErrorAction SilentlyContinue
        Stop-KvmStoragePool -Name $Pool2 -ErrorAction SilentlyContinue
        Remove-KvmStoragePool -Name $Pool2 -Confirm:$false -Force -ErrorAction SilentlyContinue
        Reset-KvmSession
    }

    It 'leaves nothing when the copy into -DestinationPool fails (the test driver clones volumes within one pool only)' {
        # On a real daemon the copy's disk is made in that pool (ExportImport.System.Tests.ps1).
        Copy-KvmVM eximcsrc -NewName eximcpool -DestinationPool $Pool2 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].Exception.Message | Should -Match 'virStorageVolCreateXMLFrom'
        @(Get-KvmVolume -Pool $Pool2).Count | Should -Be 0
        Get-KvmVM eximcpool -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a missing pool, -KeepId on one host, the same host as destination and a linked clone to another host' {
        $before = @(Get-KvmVolume -Pool default-pool).Count
        Copy-KvmVM eximcsrc -NewName eximcx -DestinationPool nosuchpool -ErrorAction SilentlyContinue -ErrorVariable e1
        $e1[0].FullyQualifiedErrorId | Should -Be 'DestinationPoolNotFound,KvmPS.Commands.CopyKvmVMCommand'
        $e1[0].CategoryInfo.Category | Should -Be ObjectNotFound
        Copy-KvmVM eximcsrc -NewName eximcx -KeepId -ErrorAction SilentlyContinue -ErrorVariable e2
        $e2[0].FullyQualifiedErrorId | Should -Be 'KeepIdSameHost,KvmPS.Commands.CopyKvmVMCommand'
        Copy-KvmVM eximcsrc -NewName eximcx -DestinationUri test:///default -ErrorAction SilentlyContinue -ErrorVariable e3
        $e3[0].FullyQualifiedErrorId | Should -Be 'SameHost,KvmPS.Commands.CopyKvmVMCommand'
        Copy-KvmVM eximcsrc -NewName eximcx -DestinationUri test:///default -Linked -ErrorAction SilentlyContinue -ErrorVariable e4
        $e4[0].FullyQualifiedErrorId | Should -Be 'LinkedCloneAcrossHosts,KvmPS.Commands.CopyKvmVMCommand'
        Copy-KvmVM eximcsrc -NewName eximcx -DestinationUri test:///default -DestinationConnection (Get-KvmConnection)[0] -ErrorAction SilentlyContinue -ErrorVariable e5
        $e5[0].FullyQualifiedErrorId | Should -Be 'DestinationTwice,KvmPS.Commands.CopyKvmVMCommand'
        @(Get-KvmVolume -Pool default-pool).Count | Should -Be $before
        Get-KvmVM eximcx -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
