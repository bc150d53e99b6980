BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:OtherHost = "test:///$($script:RepoRoot)/tests/fixtures/testdriver/two-vms.xml"
}

Describe 'New-KvmVM on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'defines a VM and returns it with -PassThru' {
        $vm = New-KvmVM -Name web1 -Memory 512MB -VCpuCount 2 -Network default -OSVariant ubuntu22.04 -Description 'front end' -PassThru
        $vm | Should -BeOfType ([KvmPS.KvmVM])
        $vm.Name | Should -Be 'web1'
        $vm.State | Should -Be 'ShutOff'
        $vm.MemoryBytes | Should -Be 512MB
        $vm.CurrentMemoryBytes | Should -Be 512MB
        $vm.VCpuCount | Should -Be 2
        $vm.Persistent | Should -BeTrue
        $vm.Uuid | Should -Not -Be ([guid]::Empty)
        $vm.Description | Should -Be 'front end'
        $vm.OSVariant | Should -Be 'ubuntu22.04'
        $vm.OSVariantUri | Should -Be 'http://ubuntu.com/ubuntu/22.04'
        $vm.NetworkAdapters.Source | Should -Be 'default'
        $vm.Uri | Should -Be 'test:///default'
    }

    It 'returns the VM without -PassThru too (as New-VM does)' {
        (New-KvmVM -Name web2 -Memory 256MB).Name | Should -Be 'web2'
        (Get-KvmVM web2).Name | Should -Be 'web2'
    }

    It 'starts and autostarts with -Start -Autostart' {
        $vm = New-KvmVM -Name web3 -Memory 256MB -Start -Autostart -PassThru
        $vm.State | Should -Be 'Running'
        $vm.Autostart | Should -BeTrue
        $vm.Id | Should -BeGreaterThan 0
    }

    It 'records ACPI and APIC so guests see their CPUs and can power off' {
        New-KvmVM -Name acpi1 -Memory 256MB
        [xml] $x = Export-KvmVM acpi1
        $x.domain.features.ChildNodes.Name | Should -Contain 'acpi'
        $x.domain.features.ChildNodes.Name | Should -Contain 'apic'
    }

    It 'refuses a name in use with ResourceExists and leaves the VM untouched' {
        New-KvmVM -Name dup -Memory 256MB -VCpuCount 1
        $before = Export-KvmVM dup
        New-KvmVM -Name dup -Memory 1GB -VCpuCount 4 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'VMExists,KvmPS.Commands.NewKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $err[0].TargetObject | Should -Be 'dup'
        Export-KvmVM dup | Should -Be $before
    }

    It 'refuses an unknown OS variant and names the closest ones' {
        New-KvmVM -Name os1 -Memory 256MB -OSVariant ubuntu2204 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'UnknownOSVariant,KvmPS.Commands.NewKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match 'ubuntu22\.04'
        Get-KvmVM os1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses <Case> before defining anything' -ForEach @(
        @{ Case = 'a malformed MAC'; Params = @{ Network = 'default'; MacAddress = '52:54:00:zz:00:01' }; Id = 'InvalidMacAddress' }
        @{ Case = 'a multicast MAC'; Params = @{ Network = 'default'; MacAddress = '01:54:00:12:34:56' }; Id = 'InvalidMacAddress' }
        @{ Case = 'more MACs than NICs'; Params = @{ MacAddress = '52:54:00:12:34:56' }; Id = 'TooManyMacAddresses' }
        @{ Case = '-DiskSize without a target'; Params = @{ DiskSize = 1GB }; Id = 'DiskSizeWithoutTarget' }
        @{ Case = '-Pool with -DiskPath'; Params = @{ Pool = 'default-pool'; DiskPath = '/tmp/x.qcow2'; DiskSize = 1GB }; Id = 'ConflictingDiskParameters' }
        @{ Case = '-Import without a disk'; Params = @{ Import = $true }; Id = 'ImportWithoutDisk' }
        @{ Case = '-KernelArgs without -Kernel'; Params = @{ KernelArgs = 'console=ttyS0' }; Id = 'KernelArgsWithoutKernel' }
        @{ Case = 'a missing CD-ROM image'; Params = @{ Cdrom = '/nonexistent/x.iso'; OSVariant = 'generic' }; Id = 'FileNotFound' }
    ) {
        $before = @(Get-KvmVM).Count
        New-KvmVM -Name bad1 -Memory 256MB @Params -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Match "^($Id),KvmPS.Commands.NewKvmVMCommand$"
        @(Get-KvmVM).Count | Should -Be $before
    }

    It 'creates its disk as a volume in a pool, which -DeleteStorage removes and a plain remove keeps' {
        $vm = New-KvmVM -Name pooled -Memory 256MB -DiskSize 2GB -Pool default-pool -PassThru
        $vm.Disks[0].Path | Should -Be '/default-pool/pooled.qcow2'
        $vm.Disks[0].OwnedByVM | Should -BeTrue
        $vm.Disks[0].Bus | Should -Be 'virtio'
        Remove-KvmVM pooled -Confirm:$false
        # The volume is still there: a new VM cannot take its name, and nothing is left behind.
        New-KvmVM -Name pooled -Memory 256MB -DiskSize 2GB -Pool default-pool -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].Exception.Message | Should -Match 'already has a volume'
        Get-KvmVM pooled -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'lets only the VM that made a disk delete it, not a copy defined from its XML' {
        New-KvmVM -Name pooled -Memory 256MB -DiskSize 2GB -Pool default-pool
        $xml = Export-KvmVM pooled
        # A copy: new name, no UUID, so libvirt gives it a new one; it carries the metadata along.
        ($xml -replace '<name>pooled</name>', '<name>pooled-copy</name>' -replace '<uuid>[^<]+</uuid>', '') | Import-KvmVM
        (Get-KvmVM pooled-copy).Disks[0].OwnedByVM | Should -BeFalse
        Remove-KvmVM pooled-copy -DeleteStorage -Confirm:$false
        Remove-KvmVM pooled -Confirm:$false
        New-KvmVM -Name pooled -Memory 256MB -DiskSize 2GB -Pool default-pool -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].Exception.Message | Should -Match 'already has a volume'
        # The original re-imported (same UUID) with its ownership record owns its disk again and may delete it.
        $xml | Import-KvmVM -KeepOwnership
        (Get-KvmVM pooled).Disks[0].OwnedByVM | Should -BeTrue
        Remove-KvmVM pooled -DeleteStorage -Confirm:$false
        (New-KvmVM -Name pooled -Memory 256MB -DiskSize 2GB -Pool default-pool -ErrorVariable again).Name | Should -Be 'pooled'
        $again | Should -BeNullOrEmpty
    }

    It 'refuses an unknown pool with ObjectNotFound' {
        New-KvmVM -Name nopool -Memory 256MB -DiskSize 1GB -Pool nosuchpool -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'PoolNotFound,KvmPS.Commands.NewKvmVMCommand'
    }

    It 'refuses an unknown network with ObjectNotFound and defines nothing' {
        New-KvmVM -Name nonet -Memory 256MB -Network nosuchnet -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'NetworkNotFound,KvmPS.Commands.NewKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-KvmVM nonet -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        New-KvmVM -Name whatif1 -Memory 256MB -WhatIf
        Get-KvmVM whatif1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'applies the HighPerformance profile: topology, pins with the emulator apart, and warns about huge pages' {
        New-KvmVM -Name hp1 -Memory 1GB -VCpuCount 4 -Profile HighPerformance -WarningVariable w -WarningAction SilentlyContinue
        [xml] $x = Export-KvmVM hp1
        $x.domain.cpu.topology.sockets | Should -Be '1'
        $x.domain.cpu.topology.cores | Should -Be '4'
        $pins = Get-KvmCpuPin hp1
        $pins.Count | Should -Be 4
        # Spread on the 16-CPU, 2-cell test host: four distinct CPUs of one cell, emulator elsewhere.
        ($pins.HostCpus | Select-Object -Unique).Count | Should -Be 4
        $host16 = Get-KvmHost
        $cells = foreach ($p in $pins) { ($host16.NumaCells | Where-Object { ($_.CpuList.Id) -contains [int]$p.HostCpus }).Id }
        ($cells | Select-Object -Unique).Count | Should -Be 1
        $pins[0].EmulatorCpus | Should -Not -BeIn $pins.HostCpus
    }

    It 'completes OS variants' {
        $line = 'New-KvmVM -OSVariant ubuntu22'
        $r = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)
        $r.CompletionMatches.CompletionText | Should -Contain 'ubuntu22.04'
    }
}

Describe 'Get-KvmVM' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmVM -Name web1 -Memory 256MB
        New-KvmVM -Name web2 -Memory 256MB -Start
        New-KvmVM -Name db1 -Memory 512MB
    }

    It 'lists every VM, sorted by name' {
        (Get-KvmVM).Name | Should -Be @('db1', 'test', 'web1', 'web2')
    }

    It 'filters by wildcard and by state' {
        (Get-KvmVM web*).Name | Should -Be @('web1', 'web2')
        (Get-KvmVM -State Running).Name | Should -Be @('test', 'web2')
        (Get-KvmVM web* -State ShutOff).Name | Should -Be 'web1'
    }

    It 'reports a missing literal name as ObjectNotFound but is silent for a wildcard' {
        Get-KvmVM nope, web1 -ErrorAction SilentlyContinue -ErrorVariable err | ForEach-Object Name | Should -Be 'web1'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'VMNotFound,KvmPS.Commands.GetKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-KvmVM 'zz*' -ErrorVariable err2 | Should -BeNullOrEmpty
        $err2.Count | Should -Be 0
    }

    It 'prints a table' {
        $text = Get-KvmVM web1 | Out-String
        $text | Should -Match 'MemoryMiB'
        $text | Should -Match 'web1\s+ShutOff'
    }

    It 'completes VM names' {
        $line = 'Start-KvmVM -Name we'
        $r = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)
        $r.CompletionMatches.CompletionText | Should -Be @('web1', 'web2')
    }
}

Describe 'VM lifecycle on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmVM -Name life1 -Memory 256MB
    }

    It 'starts, suspends, resumes, stops' {
        (Start-KvmVM life1 -PassThru).State | Should -Be 'Running'
        (Suspend-KvmVM life1 -PassThru).State | Should -Be 'Paused'
        (Resume-KvmVM life1 -PassThru).State | Should -Be 'Running'
        (Stop-KvmVM life1 -PassThru).State | Should -Be 'ShutOff'
    }

    It 'turns the VM off with -TurnOff' {
        Start-KvmVM life1
        Stop-KvmVM life1 -TurnOff -Force
        (Get-KvmVM life1).State | Should -Be 'ShutOff'
    }

    It 'restarts a running VM and refuses a stopped one' {
        Start-KvmVM life1
        (Restart-KvmVM life1 -PassThru).State | Should -Be 'Running'
        Stop-KvmVM life1
        Restart-KvmVM life1 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'VMNotRunning,KvmPS.Commands.RestartKvmVMCommand'
    }

    It 'waits for a state and times out with OperationTimeout' {
        Start-KvmVM life1
        (Wait-KvmVM life1 -State Running -TimeoutSec 5 -PassThru).State | Should -Be 'Running'
        $sw = [Diagnostics.Stopwatch]::StartNew()
        Wait-KvmVM life1 -State Paused -TimeoutSec 1 -ErrorAction SilentlyContinue -ErrorVariable err
        $sw.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1
        $err[0].FullyQualifiedErrorId | Should -Be 'WaitTimeout,KvmPS.Commands.WaitKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
    }

    It 'acts on every piped VM even when one fails' {
        New-KvmVM -Name life2 -Memory 256MB
        'nope', 'life1', 'life2' | Start-KvmVM -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'VMNotFound,KvmPS.Commands.StartKvmVMCommand'
        $err[0].TargetObject | Should -Be 'nope'
        (Get-KvmVM life*).State | Should -Be @('Running', 'Running')
    }

    It 'acts on the host a piped VM came from' {
        # The session default is test:///default; the objects come from another host.
        $vms = Get-KvmVM -Uri $script:OtherHost
        $vms.Name | Should -Be @('alpha', 'beta')
        $vms | Suspend-KvmVM
        (Get-KvmVM -Uri $script:OtherHost).State | Should -Be @('Paused', 'Paused')
        (Get-KvmVM test).State | Should -Be 'Running'
    }

    It 'changes nothing with -WhatIf' {
        Start-KvmVM life1 -WhatIf
        (Get-KvmVM life1).State | Should -Be 'ShutOff'
    }
}

Describe 'Set-KvmVM' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmVM -Name set1 -Memory 512MB -VCpuCount 1
    }

    It 'changes memory, vCPUs, autostart and description in the configuration' {
        $vm = Set-KvmVM set1 -Memory 1GB -VCpuCount 3 -Autostart -Description 'db' -PassThru
        $vm.MemoryBytes | Should -Be 1GB
        $vm.VCpuCount | Should -Be 3
        $vm.Autostart | Should -BeTrue
        $vm.Description | Should -Be 'db'
        [xml] $x = Export-KvmVM set1
        [ulong]$x.domain.memory.'#text' * 1KB | Should -Be 1GB
    }

    It 'lowers the memory of a running VM live' {
        Start-KvmVM set1
        (Set-KvmVM set1 -Memory 256MB -PassThru).CurrentMemoryBytes | Should -Be 256MB
    }

    It 'warns that more memory than a running VM has takes effect at the next start' {
        Start-KvmVM set1
        Set-KvmVM set1 -Memory 2GB -WarningVariable w -WarningAction SilentlyContinue
        $w[0] | Should -Match 'next start'
        [xml] $x = Export-KvmVM set1
        [ulong]$x.domain.memory.'#text' * 1KB | Should -Be 2GB
    }

    It 'rejects a vCPU count of 0 before changing anything' {
        { Set-KvmVM set1 -VCpuCount 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,KvmPS.Commands.SetKvmVMCommand'
        (Get-KvmVM set1).VCpuCount | Should -Be 1
    }
}

Describe 'Remove-KvmVM, Export-KvmVM and Import-KvmVM' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmVM -Name rm1 -Memory 256MB -Start
    }

    It 'refuses a running VM without -Force' {
        Remove-KvmVM rm1 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'VMRunning,KvmPS.Commands.RemoveKvmVMCommand'
        (Get-KvmVM rm1).State | Should -Be 'Running'
    }

    It 'removes a running VM with -Force' {
        Remove-KvmVM rm1 -Force -Confirm:$false
        Get-KvmVM rm1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'is ConfirmImpact High' {
        (Get-Command Remove-KvmVM).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
    }

    It 'keeps the UUID through export, remove and import' {
        $uuid = (Get-KvmVM rm1).Uuid
        $file = Join-Path ([IO.Path]::GetTempPath()) "kvmps-rm1-$PID.xml"
        try {
            Export-KvmVM rm1 -Path $file -Force | Should -BeOfType ([IO.FileInfo])
            Remove-KvmVM rm1 -Force -Confirm:$false
            $vm = Import-KvmVM -Path $file -PassThru
            $vm.Uuid | Should -Be $uuid
            $vm.State | Should -Be 'ShutOff'
        } finally {
            Remove-Item $file -ErrorAction Ignore
        }
    }

    It 'imports XML text from the pipeline and refuses an existing name without -Force' {
        $xml = Export-KvmVM rm1
        $xml | Import-KvmVM -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'VMExists,KvmPS.Commands.ImportKvmVMCommand'
        ($xml -replace '<name>rm1</name>', '<name>rm2</name>' -replace '<uuid>[^<]+</uuid>', '') | Import-KvmVM
        (Get-KvmVM rm2).Name | Should -Be 'rm2'
    }

    It 'rejects text that is not a domain definition' {
        '<network><name>x</name></network>' | Import-KvmVM -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidDomainXml,KvmPS.Commands.ImportKvmVMCommand'
        'not xml' | Import-KvmVM -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Remove-KvmVM -DeleteStorage with storage other VMs use, on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmVM -Name shared1 -Memory 256MB -DiskSize 1GB -Pool default-pool
    }

    It 'refuses while another VM uses its disk, naming it, and deletes with -Force' {
        Import-DiskVM -Name shared2 -Path /default-pool/shared1.qcow2
        Remove-KvmVM shared1 -DeleteStorage -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'StorageInUse,KvmPS.Commands.RemoveKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
        $err[0].TargetObject | Should -Be 'shared1'
        $err[0].Exception.Message | Should -Match "/default-pool/shared1\.qcow2' \(used by shared2\)"
        # Nothing was removed: neither the VM nor its disk.
        Get-KvmVM shared1 | Should -Not -BeNullOrEmpty
        Get-KvmVolume default-pool shared1.qcow2 | Should -Not -BeNullOrEmpty
        Remove-KvmVM shared1 -DeleteStorage -Force -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
        $w[0] | Should -Match 'shared2'
        Get-KvmVM shared1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-KvmVolume default-pool shared1.qcow2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Remove-KvmVM shared2 -Confirm:$false
    }

    It 'keeps a base image that another VM''s overlay uses' {
        New-KvmVolume -Pool default-pool -Name shared-child.qcow2 -BackingPath /default-pool/shared1.qcow2
        Import-DiskVM -Name shared-child -Path /default-pool/shared-child.qcow2
        Remove-KvmVM shared1 -DeleteStorage -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'StorageInUse,KvmPS.Commands.RemoveKvmVMCommand'
        $err[0].Exception.Message | Should -Match 'used by shared-child'
        Get-KvmVolume default-pool shared1.qcow2 | Should -Not -BeNullOrEmpty
        # Without -DeleteStorage the VM goes and the base stays, as always.
        Remove-KvmVM shared1 -Confirm:$false
        Get-KvmVolume default-pool shared1.qcow2 | Should -Not -BeNullOrEmpty
        Remove-KvmVM shared-child -Confirm:$false
        Remove-KvmVolume default-pool shared-child.qcow2 -Confirm:$false
        Remove-KvmVolume default-pool shared1.qcow2 -Confirm:$false
    }

    It 'deletes only owned paths that are disks of the VM, not any file its metadata names' {
        New-KvmVolume -Pool default-pool -Name shared-victim.img -Size 1MB -Format Raw
        $uuid = (Get-KvmVM shared1).Uuid
        $xml = (Export-KvmVM shared1) -replace '(<kvmps:owned [^>]*/>)', "`$1<kvmps:owned path='/default-pool/shared-victim.img' owner='$uuid'/>"
        $xml | Should -Match 'shared-victim'
        Remove-KvmVM shared1 -Confirm:$false
        $xml | Import-KvmVM -KeepOwnership
        Remove-KvmVM shared1 -DeleteStorage -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
        $w -join "`n" | Should -Match "shared-victim\.img' is listed as owned .* not one of its disks"
        Get-KvmVolume default-pool shared-victim.img | Should -Not -BeNullOrEmpty
        Get-KvmVolume default-pool shared1.qcow2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Remove-KvmVolume default-pool shared-victim.img -Confirm:$false
    }
}

Describe 'Failures that are not libvirt''s' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'reports a file it cannot write per VM and goes on with the next' {
        New-KvmVM -Name exp2 -Memory 256MB
        'test', 'exp2' | Export-KvmVM -Path /nonexistent-dir/x.xml -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 2
        $err.TargetObject | Should -Be @('test', 'exp2')
        $err[0].FullyQualifiedErrorId | Should -Be 'ExportKvmVMFailed,KvmPS.Commands.ExportKvmVMCommand'
    }

    It 'reports a file it cannot read as a ReadError' {
        Import-KvmVM -Path /proc/self/mem -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'FileReadFailed,KvmPS.Commands.ImportKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ReadError'
    }

    It 'names the right VM when the second of two imports is bad' {
        # Without the original's MAC address, which the import would refuse (MacAddressInUse).
        $good = (Export-KvmVM test) -replace '<name>test</name>', '<name>imp1</name>' -replace '<uuid>[^<]+</uuid>', '' -replace "<mac address='[^']*'/>", ''
        $good, '<not xml' | Import-KvmVM -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].TargetObject | Should -Not -Be 'imp1'
    }

    It 'refuses too many vCPUs before changing anything else' {
        New-KvmVM -Name sv1 -Memory 256MB
        Set-KvmVM sv1 -Memory 128MB -VCpuCount 4000 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'TooManyVCpus,KvmPS.Commands.SetKvmVMCommand'
        (Get-KvmVM sv1).MemoryBytes | Should -Be 256MB
    }

    It 'removes what it made when a helper program is missing' {
        $savedPath = $env:PATH
        try {
            $env:PATH = ''
            New-KvmVM -OSVariant linux2022 -Name ci1 -Memory 256MB -Pool default-pool -DiskSize 1GB -CloudInit "#cloud-config`n" -ErrorAction SilentlyContinue -ErrorVariable err
        } finally {
            $env:PATH = $savedPath
        }
        $err[0].FullyQualifiedErrorId | Should -Be 'NewVMFailed,KvmPS.Commands.NewKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be 'NotInstalled'
        Get-KvmVolume -Pool default-pool | Where-Object Name -like 'ci1*' | Should -BeNullOrEmpty
        Get-KvmVM ci1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'reports a literal connection URI that is not open' {
        Get-KvmConnection -Uri qemu:///nothing -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'ConnectionNotFound,KvmPS.Commands.GetKvmConnectionCommand'
    }
}
