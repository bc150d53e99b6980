BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # The XML a cmdlet sends to libvirt, from its debug stream.
    function Get-SentXml([scriptblock] $Action) {
        $DebugPreference = 'Continue'
        & $Action 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } |
            ForEach-Object { $_.Message -replace '^[^<]*', '' }
    }

    function Test-XmlValid([string] $Xml, [string] $Schema) {
        $file = Join-Path ([IO.Path]::GetTempPath()) "kvmps-t4s-$([guid]::NewGuid()).xml"
        try {
            Set-Content -Path $file -Value $Xml
            $out = & virt-xml-validate $file $Schema 2>&1
            if ($LASTEXITCODE -ne 0) { throw "virt-xml-validate $Schema failed: $out`n$Xml" }
            $true
        } finally {
            Remove-Item $file -ErrorAction Ignore
        }
    }

    function Get-VerboseText([scriptblock] $Action) {
        (& $Action 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
    }

    $script:HaveValidator = [bool](Get-Command virt-xml-validate -ErrorAction Ignore)
}

BeforeDiscovery {
    $script:HaveValidator = [bool](Get-Command virt-xml-validate -ErrorAction Ignore)
    $script:PoolTypes = @(
        @{ Type = 'Dir'; Params = @{ Path = '/kvmps-t4s/dir' } }
        @{ Type = 'Fs'; Params = @{ Path = '/kvmps-t4s/fs'; SourceDevice = '/dev/kvmps-t4s-disk1'; SourceFormat = 'ext4' } }
        @{ Type = 'NetFs'; Params = @{ Path = '/kvmps-t4s/nfs'; SourceHost = '127.0.0.1:2049'; SourcePath = '/export/images' } }
        @{ Type = 'Logical'; Params = @{ SourceName = 'kvmps-t4s-vg' } }
        @{ Type = 'Rbd'; Params = @{ SourceHost = 'mon1', '[fd00::1]:6789'; SourceName = 'rbd' } }
        @{ Type = 'Iscsi'; Params = @{ SourceHost = '127.0.0.1'; SourceDevice = 'iqn.2020-01.org.example:kvmps-t4s' } }
    )
}

Describe 'New-KvmStoragePool on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'defines and builds a Dir pool, returning it without -PassThru too' {
        (New-KvmStoragePool -Name kvmps-t4s-a -Path /kvmps-t4s/a).Name | Should -Be 'kvmps-t4s-a'
        $p = Get-KvmStoragePool kvmps-t4s-a
        $p | Should -BeOfType ([KvmPS.KvmStoragePool])
        $p.Type | Should -Be 'Dir'
        $p.Path | Should -Be '/kvmps-t4s/a'
        $p.State | Should -Be 'Inactive'
        $p.Autostart | Should -BeFalse
        $p.Persistent | Should -BeTrue
        $p.Uri | Should -Be 'test:///default'
    }

    It 'starts it and sets autostart when asked' {
        $p = New-KvmStoragePool -Name kvmps-t4s-a -Path /kvmps-t4s/a/ -Start -Autostart -PassThru
        $p.State | Should -Be 'Running'
        $p.Autostart | Should -BeTrue
        $p.Path | Should -Be '/kvmps-t4s/a'
        $p.CapacityBytes | Should -BeGreaterThan 0
        $p.Uuid | Should -Not -Be ([guid]::Empty)
    }

    It 'converges: the same request again changes nothing and says so' {
        New-KvmStoragePool -Name kvmps-t4s-a -Path /kvmps-t4s/a
        $uuid = (Get-KvmStoragePool kvmps-t4s-a).Uuid
        $text = Get-VerboseText { New-KvmStoragePool -Name kvmps-t4s-a -Path /kvmps-t4s/a -ErrorVariable err -Verbose }
        $err | Should -BeNullOrEmpty
        $text | Should -Match 'already exists with this definition'
        (Get-KvmStoragePool kvmps-t4s-a).Uuid | Should -Be $uuid
    }

    It 'converges towards -Start and -Autostart on an existing identical pool' {
        New-KvmStoragePool -Name kvmps-t4s-a -Path /kvmps-t4s/a
        $p = New-KvmStoragePool -Name kvmps-t4s-a -Path /kvmps-t4s/a -Start -Autostart -PassThru
        $p.State | Should -Be 'Running'
        $p.Autostart | Should -BeTrue
    }

    It 'refuses a name used by a different pool (ResourceExists) and changes nothing' {
        New-KvmStoragePool -Name kvmps-t4s-a -Path /kvmps-t4s/a
        New-KvmStoragePool -Name kvmps-t4s-a -Path /kvmps-t4s/b -Start -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'StoragePoolExists,KvmPS.Commands.NewKvmStoragePoolCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $err[0].TargetObject | Should -Be 'kvmps-t4s-a'
        $err[0].Exception.Message | Should -Match "target path is '/kvmps-t4s/a', not '/kvmps-t4s/b'"
        $p = Get-KvmStoragePool kvmps-t4s-a
        $p.Path | Should -Be '/kvmps-t4s/a'
        $p.State | Should -Be 'Inactive'
    }

    It 'refuses a second pool on the same directory' {
        New-KvmStoragePool -Name kvmps-t4s-a -Path /kvmps-t4s/a
        New-KvmStoragePool -Name kvmps-t4s-b -Path /kvmps-t4s//a/ -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'StoragePoolPathInUse,KvmPS.Commands.NewKvmStoragePoolCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-KvmStoragePool kvmps-t4s-b -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a request that does not fit its type before defining anything: <Why>' -ForEach @(
        @{ Why = 'Dir without a path'; Params = @{ Type = 'Dir' }; Message = 'need a target path' }
        @{ Why = 'NetFs without a server'; Params = @{ Type = 'NetFs'; Path = '/mnt/n'; SourcePath = '/e' }; Message = 'source host' }
        @{ Why = 'a bad port'; Params = @{ Type = 'NetFs'; Path = '/mnt/n'; SourceHost = 'srv:99999'; SourcePath = '/e' }; Message = 'invalid port' }
        @{ Why = 'Rbd with a path'; Params = @{ Type = 'Rbd'; Path = '/x'; SourceHost = 'm' }; Message = 'no target path' }
        @{ Why = 'Dir with a source device'; Params = @{ Type = 'Dir'; Path = '/x'; SourceDevice = '/dev/sdb' }; Message = 'do not take -SourceDevice' }
    ) {
        New-KvmStoragePool -Name kvmps-t4s-bad @Params -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidStoragePoolRequest,KvmPS.Commands.NewKvmStoragePoolCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].TargetObject | Should -Be 'kvmps-t4s-bad'
        $err[0].Exception.Message | Should -Match $Message
        Get-KvmStoragePool kvmps-t4s-* | Should -BeNullOrEmpty
    }

    It 'offers only the types it can create' {
        { New-KvmStoragePool -Name kvmps-t4s-d -Type Disk -Path /x } | Should -Throw -ErrorId 'ParameterArgumentValidationError,KvmPS.Commands.NewKvmStoragePoolCommand'
    }

    It 'resolves a relative path against the current location' {
        Push-Location ([IO.Path]::GetTempPath())
        try {
            $p = New-KvmStoragePool -Name kvmps-t4s-rel -Path kvmps-t4s-rel -PassThru
            $p.Path | Should -Be (Join-Path ([IO.Path]::GetTempPath()) 'kvmps-t4s-rel')
        } finally {
            Pop-Location
        }
    }

    It 'defines nothing with -WhatIf' {
        New-KvmStoragePool -Name kvmps-t4s-a -Path /kvmps-t4s/a -Start -WhatIf
        Get-KvmStoragePool kvmps-t4s-a -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'defines a <Type> pool whose XML passes virt-xml-validate' -ForEach $PoolTypes {
        $xml = Get-SentXml { New-KvmStoragePool -Name "kvmps-t4s-$($Type.ToLower())" -Type $Type @Params }
        $xml | Should -Not -BeNullOrEmpty
        ([xml]$xml).pool.type | Should -Be (@{ Dir = 'dir'; Fs = 'fs'; NetFs = 'netfs'; Logical = 'logical'; Rbd = 'rbd'; Iscsi = 'iscsi' }[$Type])
        $p = Get-KvmStoragePool "kvmps-t4s-$($Type.ToLower())"
        $p.Type | Should -Be $Type
        if ($Params.SourceName) { $p.SourceName | Should -Be $Params.SourceName }
        if ($Params.SourceDevice) { $p.SourceDevice | Should -Be $Params.SourceDevice }
        if ($Params.SourceHost) { $p.SourceHost | Should -Be $Params.SourceHost }
        if ($Params.SourcePath) { $p.SourcePath | Should -Be $Params.SourcePath }
        if (-not $HaveValidator) { Set-ItResult -Skipped -Because 'virt-xml-validate is not installed'; return }
        Test-XmlValid $xml storagepool | Should -BeTrue
    }

    It 'gives a Logical pool its volume group and /dev path by default' {
        $p = New-KvmStoragePool -Name kvmps-t4s-vg -Type Logical -PassThru
        $p.SourceName | Should -Be 'kvmps-t4s-vg'
        $p.Path | Should -Be '/dev/kvmps-t4s-vg'
    }
}

Describe 'Get-, Start-, Stop-, Set- and Remove-KvmStoragePool on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmStoragePool -Name kvmps-t4s-a -Path /kvmps-t4s/a -Start
        New-KvmStoragePool -Name kvmps-t4s-b -Path /kvmps-t4s/b
    }

    It 'lists pools sorted by name, and filters by wildcard' {
        (Get-KvmStoragePool).Name | Should -Be @('default-pool', 'kvmps-t4s-a', 'kvmps-t4s-b')
        (Get-KvmStoragePool kvmps-t4s-*).Name | Should -Be @('kvmps-t4s-a', 'kvmps-t4s-b')
        (Get-KvmStoragePool 'KVMPS-T4S-A*').Name | Should -Be 'kvmps-t4s-a'
        # A literal name matches exactly: libvirt names are case-sensitive.
        Get-KvmStoragePool 'KVMPS-T4S-A' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'StoragePoolNotFound,KvmPS.Commands.GetKvmStoragePoolCommand'
    }

    It 'reports a literal name that matches nothing, but not a wildcard' {
        Get-KvmStoragePool kvmps-t4s-none, kvmps-t4s-a -ErrorAction SilentlyContinue -ErrorVariable err | ForEach-Object Name | Should -Be 'kvmps-t4s-a'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'StoragePoolNotFound,KvmPS.Commands.GetKvmStoragePoolCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'kvmps-t4s-none'
        Get-KvmStoragePool kvmps-t4s-none* -ErrorVariable err2 | Should -BeNullOrEmpty
        $err2 | Should -BeNullOrEmpty
    }

    It 'reads default-pool like virsh does' -Skip:(-not (Get-Command virsh -ErrorAction Ignore)) {
        $p = Get-KvmStoragePool default-pool
        [xml]$x = virsh -c test:///default pool-dumpxml default-pool
        $p.CapacityBytes | Should -Be ([ulong]$x.pool.capacity.'#text')
        $p.AvailableBytes | Should -Be ([ulong]$x.pool.available.'#text')
        $p.Path | Should -Be $x.pool.target.path
        $p.Uuid | Should -Be ([guid]$x.pool.uuid)
    }

    It 'stops and starts, and says so when there is nothing to do' {
        Stop-KvmStoragePool kvmps-t4s-a | Should -BeNullOrEmpty
        (Get-KvmStoragePool kvmps-t4s-a).State | Should -Be 'Inactive'
        Get-VerboseText { Stop-KvmStoragePool kvmps-t4s-a -Verbose } | Should -Match 'already stopped'
        (Start-KvmStoragePool kvmps-t4s-a -PassThru).State | Should -Be 'Running'
        Get-VerboseText { Start-KvmStoragePool kvmps-t4s-a -Verbose } | Should -Match 'already running'
    }

    It 'keeps going past a missing pool in the pipeline' {
        'kvmps-t4s-none', 'kvmps-t4s-b' | Start-KvmStoragePool -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'StoragePoolNotFound,KvmPS.Commands.StartKvmStoragePoolCommand'
        (Get-KvmStoragePool kvmps-t4s-b).State | Should -Be 'Running'
    }

    It 'acts on pools piped from Get-KvmStoragePool' {
        Get-KvmStoragePool kvmps-t4s-* | Start-KvmStoragePool
        (Get-KvmStoragePool kvmps-t4s-*).State | Should -Be @('Running', 'Running')
        Get-KvmStoragePool kvmps-t4s-* | Set-KvmStoragePool -Autostart
        (Get-KvmStoragePool kvmps-t4s-*).Autostart | Should -Be @($true, $true)
        (Set-KvmStoragePool kvmps-t4s-a -Autostart:$false -PassThru).Autostart | Should -BeFalse
    }

    It 'does not start or stop anything with -WhatIf' {
        Stop-KvmStoragePool kvmps-t4s-a -WhatIf
        Start-KvmStoragePool kvmps-t4s-b -WhatIf
        Set-KvmStoragePool kvmps-t4s-b -Autostart -WhatIf
        (Get-KvmStoragePool kvmps-t4s-a).State | Should -Be 'Running'
        (Get-KvmStoragePool kvmps-t4s-b).State | Should -Be 'Inactive'
        (Get-KvmStoragePool kvmps-t4s-b).Autostart | Should -BeFalse
    }

    It 'removes (stops and undefines) with ConfirmImpact High, keeping volumes unless -DeleteData' {
        $attr = (Get-Command Remove-KvmStoragePool).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attr.ConfirmImpact | Should -Be 'High'
        Remove-KvmStoragePool kvmps-t4s-a -WhatIf
        Get-KvmStoragePool kvmps-t4s-a | Should -Not -BeNullOrEmpty
        Get-KvmStoragePool kvmps-t4s-* | Remove-KvmStoragePool -Confirm:$false
        Get-KvmStoragePool kvmps-t4s-* | Should -BeNullOrEmpty
    }

    It 'deletes the volumes and the storage with -DeleteData' {
        New-KvmVolume -Pool kvmps-t4s-a -Name v1 -Size 1MB
        $text = Get-VerboseText { Remove-KvmStoragePool kvmps-t4s-a -DeleteData -Confirm:$false -Verbose }
        $text | Should -Match "Deleted volume 'kvmps-t4s-a/v1'"
        $text | Should -Match 'Deleted the storage'
        Get-KvmStoragePool kvmps-t4s-a -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'completes pool names' {
        $line = 'Start-KvmStoragePool -Name kvmps-t4s-'
        $r = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)
        $r.CompletionMatches.CompletionText | Should -Be @('kvmps-t4s-a', 'kvmps-t4s-b')
        $line = 'New-KvmVolume -Pool def'
        $r = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)
        $r.CompletionMatches.CompletionText | Should -Be @('default-pool')
    }
}

Describe 'Volumes on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'creates a thin qcow2 volume by default and returns it with -PassThru' {
        (New-KvmVolume -Pool default-pool -Name kvmps-t4s-a.qcow2 -Size 1GB).Name | Should -Be 'kvmps-t4s-a.qcow2'
        $v = Get-KvmVolume -Pool default-pool -Name kvmps-t4s-a.qcow2
        $v | Should -BeOfType ([KvmPS.KvmVolume])
        $v.Format | Should -Be 'qcow2'
        $v.CapacityBytes | Should -Be 1GB
        $v.Pool | Should -Be 'default-pool'
        $v.Path | Should -Be '/default-pool/kvmps-t4s-a.qcow2'
        $v.Uri | Should -Be 'test:///default'
        (New-KvmVolume -Pool default-pool -Name kvmps-t4s-b.img -Size 10MB -Format Raw -PassThru).Format | Should -Be 'raw'
    }

    It 'sends volume XML that passes virt-xml-validate: <Kind>' -ForEach @(
        @{ Kind = 'qcow2'; Params = @{ Size = 1GB } }
        @{ Kind = 'raw'; Params = @{ Size = 1GB; Format = 'Raw' } }
        @{ Kind = 'overlay'; Params = @{ BackingPath = '/default-pool/kvmps-t4s-base.qcow2' } }
    ) {
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-base.qcow2 -Size 2GB
        $xml = Get-SentXml { New-KvmVolume -Pool default-pool -Name "kvmps-t4s-$Kind" @Params }
        $xml | Should -Not -BeNullOrEmpty
        if (-not $HaveValidator) { Set-ItResult -Skipped -Because 'virt-xml-validate is not installed'; return }
        Test-XmlValid $xml storagevol | Should -BeTrue
    }

    It 'sends import volume XML that passes virt-xml-validate' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "kvmps-t4s-$PID.img"
        [IO.File]::WriteAllBytes($file, [byte[]]::new(4096))
        try {
            $xml = Get-SentXml { Import-KvmVolume -Path $file -Pool default-pool -WhatIf }
        } finally {
            Remove-Item $file
        }
        ([xml]$xml).volume.capacity.'#text' | Should -Be '4096'
        ([xml]$xml).volume.target.format.type | Should -Be 'raw'
        if (-not $HaveValidator) { Set-ItResult -Skipped -Because 'virt-xml-validate is not installed'; return }
        Test-XmlValid $xml storagevol | Should -BeTrue
    }

    It 'makes an overlay on a backing volume with its format and size' {
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-base.qcow2 -Size 2GB
        $o = New-KvmVolume -Pool default-pool -Name kvmps-t4s-over.qcow2 -BackingPath /default-pool/kvmps-t4s-base.qcow2 -PassThru
        $o.BackingPath | Should -Be '/default-pool/kvmps-t4s-base.qcow2'
        $o.BackingFormat | Should -Be 'qcow2'
        $o.CapacityBytes | Should -Be 2GB
        $o.Format | Should -Be 'qcow2'
    }

    It 'refuses overlays that cannot work, before creating anything: <Why>' -ForEach @(
        @{ Why = 'raw overlay'; Params = @{ BackingPath = '/default-pool/kvmps-t4s-base.qcow2'; Format = 'Raw' }; Message = 'must be qcow2' }
        @{ Why = 'smaller than its backing'; Params = @{ BackingPath = '/default-pool/kvmps-t4s-base.qcow2'; Size = 1GB }; Message = 'smaller than the backing' }
        @{ Why = 'missing backing image'; Params = @{ BackingPath = '/kvmps-t4s/none.qcow2' }; Message = 'does not exist' }
    ) {
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-base.qcow2 -Size 2GB
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-o @Params -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidVolumeRequest,KvmPS.Commands.NewKvmVolumeCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].TargetObject | Should -Be 'default-pool/kvmps-t4s-o'
        $err[0].Exception.Message | Should -Match $Message
        Get-KvmVolume default-pool kvmps-t4s-o -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'converges on an identical volume and refuses a different one' {
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-a -Size 1GB
        Get-VerboseText { New-KvmVolume -Pool default-pool -Name kvmps-t4s-a -Size 1GB -Verbose } | Should -Match 'already exists'
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-a -Size 2GB -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'StorageVolumeExists,KvmPS.Commands.NewKvmVolumeCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        (Get-KvmVolume default-pool kvmps-t4s-a).CapacityBytes | Should -Be 1GB
    }

    It 'creates nothing with -WhatIf' {
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-a -Size 1GB -WhatIf
        Get-KvmVolume default-pool kvmps-t4s-a -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'says when the pool is missing or not running' {
        New-KvmVolume -Pool kvmps-t4s-none -Name a -Size 1MB -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'StoragePoolNotFound,KvmPS.Commands.NewKvmVolumeCommand'
        New-KvmStoragePool -Name kvmps-t4s-off -Path /kvmps-t4s/off
        New-KvmVolume -Pool kvmps-t4s-off -Name a -Size 1MB -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2[0].FullyQualifiedErrorId | Should -Be 'StoragePoolInactive,KvmPS.Commands.NewKvmVolumeCommand'
        $err2[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        # Listing all pools skips an inactive one; naming it is an error.
        Get-KvmVolume -ErrorVariable err3 | Out-Null
        $err3 | Should -BeNullOrEmpty
        Get-KvmVolume -Pool kvmps-t4s-off -ErrorAction SilentlyContinue -ErrorVariable err4
        $err4[0].FullyQualifiedErrorId | Should -Be 'StoragePoolInactive,KvmPS.Commands.GetKvmVolumeCommand'
    }

    It 'lists volumes of pools piped from Get-KvmStoragePool, with wildcards and not-found errors' {
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-a -Size 1MB
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-b -Size 1MB
        (Get-KvmStoragePool default-pool | Get-KvmVolume -Name kvmps-t4s-*).Name | Should -Be @('kvmps-t4s-a', 'kvmps-t4s-b')
        Get-KvmVolume -Name kvmps-t4s-none -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'StorageVolumeNotFound,KvmPS.Commands.GetKvmVolumeCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-KvmVolume -Name kvmps-t4s-none* -ErrorVariable err2 | Should -BeNullOrEmpty
        $err2 | Should -BeNullOrEmpty
    }

    It 'removes volumes piped from Get-KvmVolume (ConfirmImpact High), and keeps them with -WhatIf' {
        $attr = (Get-Command Remove-KvmVolume).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attr.ConfirmImpact | Should -Be 'High'
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-a -Size 1MB
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-b -Size 1MB
        Get-KvmVolume default-pool kvmps-t4s-* | Remove-KvmVolume -WhatIf
        @(Get-KvmVolume default-pool kvmps-t4s-*).Count | Should -Be 2
        Get-KvmVolume default-pool kvmps-t4s-* | Remove-KvmVolume -Confirm:$false
        Get-KvmVolume default-pool kvmps-t4s-* | Should -BeNullOrEmpty
        Remove-KvmVolume -Pool default-pool -Name kvmps-t4s-a -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'StorageVolumeNotFound,KvmPS.Commands.RemoveKvmVolumeCommand'
    }

    It 'refuses to shrink without -AllowShrink, before calling libvirt' {
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-a -Size 1GB
        Get-KvmVolume default-pool kvmps-t4s-a | Resize-KvmVolume -Size 512MB -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'VolumeShrinkRefused,KvmPS.Commands.ResizeKvmVolumeCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-VerboseText { Resize-KvmVolume default-pool kvmps-t4s-a 1GB -Verbose } | Should -Match 'already has 1 GiB'
    }

    It 'passes on libvirt''s answer when the driver cannot resize' {
        # The test driver has no virStorageVolResize.
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-a -Size 1GB
        Resize-KvmVolume -Pool default-pool -Name kvmps-t4s-a -Size 2GB -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'ResizeVolumeFailed,KvmPS.Commands.ResizeKvmVolumeCommand'
        $err[0].CategoryInfo.Category | Should -Be 'NotImplemented'
        $err[0].TargetObject | Should -Be 'default-pool/kvmps-t4s-a'
        $err[0].ErrorDetails.Message | Should -Match 'virStorageVolResize'
    }

    It 'removes the volume again when the upload fails' {
        # The test driver has no virStorageVolUpload: the volume is created, the upload fails.
        $file = Join-Path ([IO.Path]::GetTempPath()) "kvmps-t4s-$PID.img"
        [IO.File]::WriteAllBytes($file, [byte[]]::new(4096))
        try {
            Import-KvmVolume -Path $file -Pool default-pool -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Be 'ImportVolumeFailed,KvmPS.Commands.ImportKvmVolumeCommand'
            $err[0].CategoryInfo.Category | Should -Be 'NotImplemented'
            Get-KvmVolume default-pool (Split-Path $file -Leaf) -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        } finally {
            Remove-Item $file
        }
    }

    It 'checks the file before touching the host' {
        Import-KvmVolume -Path /kvmps-t4s/none.img -Pool default-pool -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'ImportFileNotFound,KvmPS.Commands.ImportKvmVolumeCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $file = Join-Path ([IO.Path]::GetTempPath()) "kvmps-t4s-$PID.img"
        [IO.File]::WriteAllBytes($file, [byte[]]::new(4096))
        try {
            Import-KvmVolume -Path $file -Pool default-pool -Format Qcow2 -ErrorAction SilentlyContinue -ErrorVariable err2
            $err2[0].FullyQualifiedErrorId | Should -Be 'InvalidImportRequest,KvmPS.Commands.ImportKvmVolumeCommand'
            $err2[0].Exception.Message | Should -Match 'not a qcow2 image'
        } finally {
            Remove-Item $file
        }
    }

    It 'completes volume names of the pool on the command line' {
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-a -Size 1MB
        New-KvmVolume -Pool default-pool -Name 'kvmps-t4s-b c' -Size 1MB
        $line = 'Remove-KvmVolume -Pool default-pool -Name kvmps-t4s'
        $r = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)
        $r.CompletionMatches.CompletionText | Should -Be @('kvmps-t4s-a', "'kvmps-t4s-b c'")
    }
}

Describe 'Storage that VMs use, on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmStoragePool -Name kvmps-t4s-used -Path /kvmps-t4s/used -Start
        New-KvmVolume -Pool kvmps-t4s-used -Name base.qcow2 -Size 1GB
        New-KvmVolume -Pool kvmps-t4s-used -Name free.qcow2 -Size 1GB
        New-KvmVolume -Pool default-pool -Name kvmps-t4s-over.qcow2 -BackingPath /kvmps-t4s/used/base.qcow2
        Import-DiskVM -Name kvmps-t4s-user -Path /default-pool/kvmps-t4s-over.qcow2
    }

    AfterEach {
        Remove-KvmVM kvmps-t4s-user -Confirm:$false -ErrorAction SilentlyContinue
        Remove-KvmVolume default-pool kvmps-t4s-over.qcow2 -Confirm:$false -Force -ErrorAction SilentlyContinue
        Remove-KvmStoragePool kvmps-t4s-used -DeleteData -Force -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'refuses Remove-KvmVolume of a volume a VM uses (directly or under its overlay), naming the VM' {
        Remove-KvmVolume default-pool kvmps-t4s-over.qcow2 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        Remove-KvmVolume kvmps-t4s-used base.qcow2 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err2
        foreach ($e in @($err[0], $err2[0])) {
            $e.FullyQualifiedErrorId | Should -Be 'StorageInUse,KvmPS.Commands.RemoveKvmVolumeCommand'
            $e.CategoryInfo.Category | Should -Be 'ResourceBusy'
            $e.Exception.Message | Should -Match 'kvmps-t4s-user'
        }
        $err2[0].TargetObject | Should -Be 'kvmps-t4s-used/base.qcow2'
        Get-KvmVolume default-pool kvmps-t4s-over.qcow2 | Should -Not -BeNullOrEmpty
        Get-KvmVolume kvmps-t4s-used base.qcow2 | Should -Not -BeNullOrEmpty
        # A volume no VM uses goes as before; -Force deletes a used one.
        Remove-KvmVolume kvmps-t4s-used free.qcow2 -Confirm:$false
        Get-KvmVolume kvmps-t4s-used free.qcow2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Remove-KvmVolume default-pool kvmps-t4s-over.qcow2 -Confirm:$false -Force
        Get-KvmVolume default-pool kvmps-t4s-over.qcow2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses Remove-KvmStoragePool <Case> of a pool a VM uses, and changes nothing' -ForEach @(
        @{ Case = 'with -DeleteData'; Params = @{ DeleteData = $true } }
        @{ Case = 'without -DeleteData'; Params = @{} }
        @{ Case = 'of a stopped pool with -DeleteData'; Params = @{ DeleteData = $true }; Stop = $true }
    ) {
        if ($Stop) { Stop-KvmStoragePool kvmps-t4s-used }
        Remove-KvmStoragePool kvmps-t4s-used @Params -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'StorageInUse,KvmPS.Commands.RemoveKvmStoragePoolCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
        $err[0].TargetObject | Should -Be 'kvmps-t4s-used'
        $err[0].Exception.Message | Should -Match 'kvmps-t4s-user'
        $p = Get-KvmStoragePool kvmps-t4s-used
        $p.State | Should -Be $(if ($Stop) { 'Inactive' } else { 'Running' })
        if ($Stop) { Start-KvmStoragePool kvmps-t4s-used }
        (Get-KvmVolume kvmps-t4s-used).Name | Should -Be @('base.qcow2', 'free.qcow2')
    }

    It 'removes a used pool with -Force, with a warning naming the VM' {
        Remove-KvmStoragePool kvmps-t4s-used -DeleteData -Force -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
        $w[0] | Should -Match 'kvmps-t4s-user'
        Get-KvmStoragePool kvmps-t4s-used -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'asks before shrinking (ConfirmImpact High for the shrink): refused where nobody can answer' {
        $attr = (Get-Command Resize-KvmVolume).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attr.ConfirmImpact | Should -Be 'Medium'
        # This run is non-interactive: the question cannot be asked, so nothing reaches libvirt.
        { Resize-KvmVolume kvmps-t4s-used free.qcow2 512MB -AllowShrink -ErrorAction Stop } | Should -Throw -ExpectedMessage '*NonInteractive*'
        (Get-KvmVolume kvmps-t4s-used free.qcow2).CapacityBytes | Should -Be 1GB
        # -Confirm:$false and -Force skip the question: the call reaches libvirt (the test driver cannot resize).
        foreach ($skip in @(@{ Confirm = $false }, @{ Force = $true })) {
            Resize-KvmVolume kvmps-t4s-used free.qcow2 512MB -AllowShrink @skip -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Be 'ResizeVolumeFailed,KvmPS.Commands.ResizeKvmVolumeCommand'
            $err[0].ErrorDetails.Message | Should -Match 'virStorageVolResize'
        }
        # Growing asks nothing extra.
        Resize-KvmVolume kvmps-t4s-used free.qcow2 2GB -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2[0].FullyQualifiedErrorId | Should -Be 'ResizeVolumeFailed,KvmPS.Commands.ResizeKvmVolumeCommand'
    }
}

Describe 'Storage on a real libvirtd' -Tag System {
    BeforeAll {
        Reset-KvmSession
        $script:Uri = 'qemu:///system'
        $script:Root = Join-Path ([IO.Path]::GetTempPath()) "kvmps-t4s-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $null = New-Item -ItemType Directory -Path $Root
        $script:PoolDir = Join-Path $Root 'pool'
        $script:Pool = 'kvmps-t4s-sys'
        New-KvmStoragePool -Uri $Uri -Name $Pool -Path $PoolDir -Start

        function Get-ImageInfo([string] $Path) { qemu-img info -U --output=json $Path | ConvertFrom-Json }
        function Get-Sha256([string] $Path) { (Get-FileHash -Algorithm SHA256 -Path $Path).Hash }
        function New-RandomFile([string] $Path, [int] $Bytes, [int] $Seed) {
            $b = [byte[]]::new($Bytes); [Random]::new($Seed).NextBytes($b); [IO.File]::WriteAllBytes($Path, $b)
        }
    }

    AfterAll {
        Reset-KvmSession
        foreach ($name in @(virsh -c qemu:///system pool-list --all --name) -match '^kvmps-t4s-') {
            & virsh -c qemu:///system pool-destroy $name *> $null
            & virsh -c qemu:///system pool-undefine $name *> $null
        }
        Remove-Item -Recurse -Force $Root -ErrorAction Ignore
    }

    It 'builds and starts a Dir pool that virsh sees running, with a valid definition' {
        Test-Path $PoolDir -PathType Container | Should -BeTrue
        (virsh -c $Uri pool-info $Pool) -match '^State:\s+running' | Should -Not -BeNullOrEmpty
        [xml]$x = virsh -c $Uri pool-dumpxml --inactive $Pool
        $x.pool.target.path | Should -Be $PoolDir
        $p = Get-KvmStoragePool -Uri $Uri $Pool
        $p.State | Should -Be 'Running'
        $p.CapacityBytes | Should -BeGreaterThan 0
        $p.AvailableBytes | Should -BeLessOrEqual $p.CapacityBytes
        if (-not $HaveValidator) { Set-ItResult -Skipped -Because 'virt-xml-validate is not installed'; return }
        Test-XmlValid ($x.OuterXml) storagepool | Should -BeTrue
    }

    It 'converges on the same request and refuses a different one' {
        Get-VerboseText { New-KvmStoragePool -Uri $Uri -Name $Pool -Path "$PoolDir/" -Start -Verbose } | Should -Match 'already exists with this definition'
        New-KvmStoragePool -Uri $Uri -Name $Pool -Path "$Root/other" -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Test-Path "$Root/other" | Should -BeFalse
    }

    It 'undefines the pool again when building it fails half-way' {
        Set-Content -Path "$Root/afile" -Value x
        New-KvmStoragePool -Uri $Uri -Name kvmps-t4s-broken -Path "$Root/afile/sub" -Start -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'NewStoragePoolFailed,KvmPS.Commands.NewKvmStoragePoolCommand'
        $err[0].ErrorDetails.Message | Should -Match 'virStoragePoolBuild'
        @(virsh -c $Uri pool-list --all --name | ForEach-Object Trim) | Should -Not -Contain 'kvmps-t4s-broken'
    }

    It 'defines a <Type> pool the daemon accepts, without touching devices' -ForEach @(
        @{ Type = 'Fs'; Params = @{ SourceDevice = '/dev/kvmps-t4s-nodisk' }; Dir = 'fs' }
        @{ Type = 'NetFs'; Params = @{ SourceHost = '127.0.0.1'; SourcePath = '/export' }; Dir = 'nfs' }
        @{ Type = 'Logical'; Params = @{ SourceName = 'kvmps-t4s-novg' }; Dir = $null }
        @{ Type = 'Iscsi'; Params = @{ SourceHost = '127.0.0.1'; SourceDevice = 'iqn.2020-01.org.example:kvmps-t4s' }; Dir = $null }
        @{ Type = 'Rbd'; Params = @{ SourceHost = '127.0.0.1'; SourceName = 'kvmps-t4s' }; Dir = $null }
    ) {
        [xml]$caps = virsh -c $Uri pool-capabilities
        $libvirtType = @{ Fs = 'fs'; NetFs = 'netfs'; Logical = 'logical'; Iscsi = 'iscsi'; Rbd = 'rbd' }[$Type]
        if (($caps.storagepoolCapabilities.pool | Where-Object type -eq $libvirtType).supported -ne 'yes') {
            Set-ItResult -Skipped -Because "this libvirtd has no $libvirtType backend"
            return
        }
        $name = "kvmps-t4s-$libvirtType"
        $extra = if ($Dir) { @{ Path = "$Root/$Dir" } } else { @{} }
        try {
            New-KvmStoragePool -Uri $Uri -Name $name -Type $Type @Params @extra -ErrorVariable err
            $err | Should -BeNullOrEmpty
            if ($Dir) { Test-Path "$Root/$Dir" -PathType Container | Should -BeTrue }
            (Get-KvmStoragePool -Uri $Uri $name).Type | Should -Be $Type
            if ($HaveValidator) { Test-XmlValid ((virsh -c $Uri pool-dumpxml --inactive $name) -join "`n") storagepool | Should -BeTrue }
        } finally {
            Remove-KvmStoragePool -Uri $Uri $name -Confirm:$false -ErrorAction SilentlyContinue
        }
        @(virsh -c $Uri pool-list --all --name | ForEach-Object Trim) | Should -Not -Contain $name
    }

    It 'creates a qcow2 volume that qemu-img reads as qcow2 of the asked size' {
        $v = New-KvmVolume -Uri $Uri -Pool $Pool -Name base.qcow2 -Size 64MB -PassThru
        $v.Path | Should -Be "$PoolDir/base.qcow2"
        $i = Get-ImageInfo $v.Path
        $i.format | Should -Be 'qcow2'
        $i.'virtual-size' | Should -Be 64MB
        $v.Format | Should -Be 'qcow2'
        $v.CapacityBytes | Should -Be 64MB
    }

    It 'creates a thin raw volume' {
        $v = New-KvmVolume -Uri $Uri -Pool $Pool -Name data.img -Size 32MB -Format Raw -PassThru
        $i = Get-ImageInfo $v.Path
        $i.format | Should -Be 'raw'
        $i.'virtual-size' | Should -Be 32MB
        $i.'actual-size' | Should -BeLessThan 1MB
        (Get-Item $v.Path).Length | Should -Be 32MB
    }

    It 'makes an overlay whose backing file and format qemu-img confirms' {
        $o = New-KvmVolume -Uri $Uri -Pool $Pool -Name over.qcow2 -BackingPath "$PoolDir/base.qcow2" -PassThru
        $i = Get-ImageInfo $o.Path
        $i.format | Should -Be 'qcow2'
        $i.'full-backing-filename' | Should -Be "$PoolDir/base.qcow2"
        $i.'backing-filename-format' | Should -Be 'qcow2'
        $i.'virtual-size' | Should -Be 64MB
        $o.BackingPath | Should -Be "$PoolDir/base.qcow2"
    }

    It 'detects a raw backing image, in a pool or a plain file on this machine' {
        $o = New-KvmVolume -Uri $Uri -Pool $Pool -Name over-raw.qcow2 -BackingPath "$PoolDir/data.img" -Size 48MB -PassThru
        (Get-ImageInfo $o.Path).'backing-filename-format' | Should -Be 'raw'
        (Get-ImageInfo $o.Path).'virtual-size' | Should -Be 48MB
        qemu-img create -q -f qcow2 "$Root/outside.qcow2" 16M
        $o2 = New-KvmVolume -Uri $Uri -Pool $Pool -Name over-outside.qcow2 -BackingPath "$Root/outside.qcow2" -PassThru
        (Get-ImageInfo $o2.Path).'backing-filename-format' | Should -Be 'qcow2'
        (Get-ImageInfo $o2.Path).'virtual-size' | Should -Be 16MB
    }

    It 'grows a volume, refuses to shrink it, and shrinks it with -AllowShrink' {
        $v = Get-KvmVolume -Uri $Uri -Pool $Pool -Name base.qcow2 | Resize-KvmVolume -Size 96MB -PassThru
        $v.CapacityBytes | Should -Be 96MB
        (Get-ImageInfo "$PoolDir/base.qcow2").'virtual-size' | Should -Be 96MB
        Resize-KvmVolume -Uri $Uri -Pool $Pool -Name data.img -Size 16MB -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'VolumeShrinkRefused,KvmPS.Commands.ResizeKvmVolumeCommand'
        (Get-Item "$PoolDir/data.img").Length | Should -Be 32MB
        Resize-KvmVolume -Uri $Uri -Pool $Pool -Name data.img -Size 16MB -AllowShrink -Confirm:$false
        (Get-ImageInfo "$PoolDir/data.img").'virtual-size' | Should -Be 16MB
    }

    It 'uploads random bytes byte-for-byte, with progress' {
        $src = Join-Path $Root 'random.bin'
        New-RandomFile $src (5MB + 123) 4
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument($script:ModulePath).AddStatement().
                AddCommand('Import-KvmVolume').AddParameter('Uri', $Uri).AddParameter('Path', $src).AddParameter('Pool', $Pool).AddParameter('PassThru')
            $v = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $records = @($ps.Streams.Progress)
            ($records | Where-Object RecordType -eq 'Completed') | Should -Not -BeNullOrEmpty
            ($records | Where-Object PercentComplete -eq 100) | Should -Not -BeNullOrEmpty
        } finally {
            $ps.Dispose()
        }
        $v.Name | Should -Be 'random.bin'
        $v.CapacityBytes | Should -Be (5MB + 123)
        Get-Sha256 "$PoolDir/random.bin" | Should -Be (Get-Sha256 $src)
    }

    It 'uploads a qcow2 image byte-for-byte and libvirt then reads it as qcow2' {
        $src = Join-Path $Root 'small.qcow2'
        qemu-img create -q -f qcow2 $src 20M
        qemu-io -f qcow2 -c 'write -P 0x5a 1M 2M' $src | Out-Null
        $v = Import-KvmVolume -Uri $Uri -Path $src -Pool $Pool -Name imported.qcow2 -PassThru
        Get-Sha256 "$PoolDir/imported.qcow2" | Should -Be (Get-Sha256 $src)
        $v.Format | Should -Be 'qcow2'
        $v.CapacityBytes | Should -Be 20MB
        (Get-ImageInfo "$PoolDir/imported.qcow2").'virtual-size' | Should -Be 20MB
    }

    It 'uploads through an explicit unix socket transport as to a remote host' {
        $src = Join-Path $Root 'remote.bin'
        New-RandomFile $src 3MB 5
        $v = Import-KvmVolume -Uri 'qemu+unix:///system' -Path $src -Pool $Pool -PassThru
        $v.Uri | Should -Be 'qemu+unix:///system'
        Get-Sha256 "$PoolDir/remote.bin" | Should -Be (Get-Sha256 $src)
    }

    It 'uploads 64 MiB and reports the throughput' {
        $src = Join-Path $Root 'big64.bin'
        New-RandomFile $src 64MB 6
        $text = Get-VerboseText { Import-KvmVolume -Uri $Uri -Path $src -Pool $Pool -Verbose }
        $text | Should -Match 'Uploaded 67108864 bytes .* \(([\d.]+) MiB/s\)'
        $rate = [double]([regex]::Match($text, '\(([\d.]+) MiB/s\)').Groups[1].Value)
        Write-Information "Import-KvmVolume 64 MiB to qemu:///system: $rate MiB/s" -InformationAction Continue
        $rate | Should -BeGreaterThan 0
        Get-Sha256 "$PoolDir/big64.bin" | Should -Be (Get-Sha256 $src)
    }

    It 'removes the volume when the upload is stopped half-way (Ctrl+C)' {
        $src = Join-Path $Root 'sparse.bin'
        $fs = [IO.File]::Create($src); $fs.SetLength(2GB); $fs.Dispose()
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument($script:ModulePath).AddStatement().
                AddCommand('Import-KvmVolume').AddParameter('Uri', $Uri).AddParameter('Path', $src).AddParameter('Pool', $Pool)
            $handle = $ps.BeginInvoke()
            Wait-Until { @($ps.Streams.Progress | Where-Object RecordType -eq 'Processing').Count -gt 0 } 30 | Should -BeTrue
            Test-Path "$PoolDir/sparse.bin" | Should -BeTrue
            $ps.Stop()
            # Stop() returns once the pipeline stopped; the async result completes right after.
            Wait-Until { $handle.IsCompleted } 30 | Should -BeTrue
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        } finally {
            $ps.Dispose()
        }
        Test-Path "$PoolDir/sparse.bin" | Should -BeFalse
        (virsh -c $Uri vol-list $Pool) -match '\bsparse\.bin\b' | Should -BeNullOrEmpty
    }

    It 'shows files added behind libvirt''s back only after -Refresh' {
        qemu-img create -q -f qcow2 "$PoolDir/dropped.qcow2" 8M
        (Get-KvmVolume -Uri $Uri -Pool $Pool).Name | Should -Not -Contain 'dropped.qcow2'
        $v = Get-KvmVolume -Uri $Uri -Pool $Pool -Name dropped.qcow2 -Refresh
        $v.Format | Should -Be 'qcow2'
        $v.CapacityBytes | Should -Be 8MB
    }

    It 'stops, starts and sets autostart as virsh sees it' {
        Set-KvmStoragePool -Uri $Uri $Pool -Autostart
        (virsh -c $Uri pool-info $Pool) -match '^Autostart:\s+yes' | Should -Not -BeNullOrEmpty
        Stop-KvmStoragePool -Uri $Uri $Pool
        (virsh -c $Uri pool-info $Pool) -match '^State:\s+inactive' | Should -Not -BeNullOrEmpty
        Start-KvmStoragePool -Uri $Uri $Pool
        (virsh -c $Uri pool-info $Pool) -match '^State:\s+running' | Should -Not -BeNullOrEmpty
    }

    It 'refuses -DeleteData of a pool whose directory cannot be emptied, before deleting anything' {
        $dir2 = Join-Path $Root 'pool2'
        New-KvmStoragePool -Uri $Uri -Name kvmps-t4s-full -Path $dir2 -Start
        try {
            New-KvmVolume -Uri $Uri -Pool kvmps-t4s-full -Name keep.qcow2 -Size 8MB
            # Not a volume libvirt can delete: a directory with a file in it.
            $null = New-Item -ItemType Directory -Path "$dir2/notes"
            Set-Content -Path "$dir2/notes/readme.txt" -Value 'keep me'
            Remove-KvmStoragePool -Uri $Uri kvmps-t4s-full -DeleteData -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'StoragePoolDataNotDeletable,KvmPS.Commands.RemoveKvmStoragePoolCommand'
            $err[0].Exception.Message | Should -Match 'notes'
            Test-Path "$dir2/keep.qcow2" | Should -BeTrue
            Get-Content "$dir2/notes/readme.txt" | Should -Be 'keep me'
            (virsh -c $Uri pool-info kvmps-t4s-full) -match '^State:\s+running' | Should -Not -BeNullOrEmpty
        } finally {
            Remove-Item -Recurse -Force "$dir2/notes" -ErrorAction Ignore
            Remove-KvmStoragePool -Uri $Uri kvmps-t4s-full -DeleteData -Confirm:$false -ErrorAction SilentlyContinue
        }
        Test-Path $dir2 | Should -BeFalse
    }

    It 'refuses to delete a volume, or the pool''s data, while a VM''s overlay uses it; the file survives' {
        $child = Join-Path $Root 'child.qcow2'
        New-KvmVolume -Uri $Uri -Pool $Pool -Name used-base.qcow2 -Size 8MB
        qemu-img create -q -f qcow2 -b "$PoolDir/used-base.qcow2" -F qcow2 $child
        New-KvmVM -OSVariant linux2022 -Uri $Uri -Name kvmps-t4s-vm -Memory 64MB -DiskPath $child -Import -Graphics None -WarningAction SilentlyContinue
        try {
            $sum = Get-Sha256 "$PoolDir/used-base.qcow2"
            Remove-KvmVolume -Uri $Uri $Pool used-base.qcow2 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Be 'StorageInUse,KvmPS.Commands.RemoveKvmVolumeCommand'
            $err[0].Exception.Message | Should -Match 'kvmps-t4s-vm'
            Remove-KvmStoragePool -Uri $Uri $Pool -DeleteData -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err2
            $err2[0].FullyQualifiedErrorId | Should -Be 'StorageInUse,KvmPS.Commands.RemoveKvmStoragePoolCommand'
            Get-Sha256 "$PoolDir/used-base.qcow2" | Should -Be $sum
            @(virsh -c $Uri pool-list --all --name | ForEach-Object Trim) | Should -Contain $Pool
        } finally {
            virsh -c $Uri undefine kvmps-t4s-vm *> $null
            Remove-Item $child -ErrorAction Ignore
        }
        Remove-KvmVolume -Uri $Uri $Pool used-base.qcow2 -Confirm:$false
        Test-Path "$PoolDir/used-base.qcow2" | Should -BeFalse
    }

    It 'removes a volume and its file' {
        Get-KvmVolume -Uri $Uri -Pool $Pool -Name remote.bin | Remove-KvmVolume -Confirm:$false
        Test-Path "$PoolDir/remote.bin" | Should -BeFalse
    }

    It 'removes a pool but keeps its data unless -DeleteData' {
        $files = (Get-ChildItem $PoolDir).Name
        $files | Should -Contain 'base.qcow2'
        Remove-KvmStoragePool -Uri $Uri $Pool -Confirm:$false
        @(virsh -c $Uri pool-list --all --name | ForEach-Object Trim) | Should -Not -Contain $Pool
        (Get-ChildItem $PoolDir).Name | Should -Be $files

        # Defined again over the same directory, it finds the volumes; -DeleteData then removes all.
        New-KvmStoragePool -Uri $Uri -Name $Pool -Path $PoolDir -Start
        (Get-KvmVolume -Uri $Uri -Pool $Pool).Name | Should -Contain 'base.qcow2'
        Remove-KvmStoragePool -Uri $Uri $Pool -DeleteData -Confirm:$false
        Test-Path $PoolDir | Should -BeFalse
        @(virsh -c $Uri pool-list --all --name | ForEach-Object Trim) | Should -Not -Contain $Pool
    }
}
