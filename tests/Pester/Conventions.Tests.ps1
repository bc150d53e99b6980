# Everyday PowerShell conventions: New-* output, -Force vs -TurnOff, devices without identifiers,
# one MAC rule, Export/Import copies, host-size warnings, Set-KvmVM's checks. Test driver only.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    # A private test-driver host: 4 logical CPUs, 4 GiB of memory.
    $script:SmallHost = "test:///$($script:RepoRoot)/tests/fixtures/testdriver/two-vms.xml"

    function Invoke-ChildPwsh([string] $Script) {
        # A fresh `pwsh -NonInteractive`: any prompt fails there instead of waiting for an answer.
        $exe, $pre = Get-PwshCommand
        $full = "`$ErrorActionPreference = 'Stop'; `$ConfirmPreference = 'High'; Import-Module '$script:ModulePath'`n$Script"
        $out = & $exe @pre -NoProfile -NonInteractive -Command $full 2>&1 | ForEach-Object { "$_" }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($out -join "`n") }
    }
}

Describe 'New-* and Import-* return what they made' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'New-KvmVM returns the VM without -PassThru, and once with it' {
        $vm = New-KvmVM -Name cv-new1 -Memory 256MB
        $vm | Should -BeOfType ([KvmPS.KvmVM])
        $vm.Name | Should -Be 'cv-new1'
        @(New-KvmVM -Name cv-new2 -Memory 256MB -PassThru).Count | Should -Be 1
    }

    It 'New-KvmVM -WhatIf returns nothing' {
        New-KvmVM -Name cv-whatif -Memory 256MB -WhatIf | Should -BeNullOrEmpty
        Get-KvmVM cv-whatif -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'New-KvmNetwork returns the network, also when a re-run converges' {
        $n = New-KvmNetwork -Name cv-net -Subnet 10.91.0.0/24
        $n | Should -BeOfType ([KvmPS.KvmNetwork])
        $n.Name | Should -Be 'cv-net'
        (New-KvmNetwork -Name cv-net -Subnet 10.91.0.0/24).Name | Should -Be 'cv-net'
    }

    It 'New-KvmStoragePool and New-KvmVolume return the pool and the volume' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-cv-pool-$PID"
        $p = New-KvmStoragePool -Name cv-pool -Type Dir -Path $dir -Start
        $p | Should -BeOfType ([KvmPS.KvmStoragePool])
        $v = New-KvmVolume -Pool cv-pool -Name a.qcow2 -Size 1GB
        $v | Should -BeOfType ([KvmPS.KvmVolume])
        $v.Name | Should -Be 'a.qcow2'
        (New-KvmVolume -Pool cv-pool -Name a.qcow2 -Size 1GB).Name | Should -Be 'a.qcow2'
    }

    It 'Import-KvmVM returns the VM it defined' {
        $xml = (Export-KvmVM -Name test) -replace '<name>test</name>', '<name>cv-imp</name>' -replace '<uuid>[^<]*</uuid>', ''
        $xml = $xml -replace "<mac address='[^']*'/>", ''
        $vm = $xml | Import-KvmVM
        $vm | Should -BeOfType ([KvmPS.KvmVM])
        $vm.Name | Should -Be 'cv-imp'
    }

    It 'keeps the README pipeline working, with and without -PassThru on New-KvmVM' {
        foreach ($extra in @(@{}, @{ PassThru = $true })) {
            $name = "cv-pipe$($extra.Count)"
            $out = New-KvmVM -Name $name -Memory 256MB -VCpuCount 2 @extra |
                Set-KvmCpu -Sockets 1 -Cores 2 -Threads 1 -PassThru |
                Start-KvmVM -PassThru
            @($out).Count | Should -Be 1
            $out.State | Should -Be 'Running'
            (Get-KvmCpu $name).Cores | Should -Be 2
        }
    }

    It 'Set-, Start-, Stop-, Add- return nothing without -PassThru' {
        $null = New-KvmVM -Name cv-quiet -Memory 256MB
        Set-KvmVM cv-quiet -Description x | Should -BeNullOrEmpty
        Start-KvmVM cv-quiet | Should -BeNullOrEmpty
        Add-KvmNetworkAdapter -VMName cv-quiet -Network default | Should -BeNullOrEmpty
        Stop-KvmVM cv-quiet -TurnOff -Force | Should -BeNullOrEmpty
    }
}

Describe '-TurnOff is the hard stop; -Force only skips confirmation' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $null = New-KvmVM -Name cv-run -Memory 256MB -Start
    }

    It 'Stop-KvmVM -Force is a graceful shutdown (the reason libvirt records is shutdown, not destroyed)' {
        $v = Stop-KvmVM cv-run -Force -Verbose 4>&1
        ($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Shut down VM \(ACPI\)'
        $vm = Get-KvmVM cv-run
        $vm.State | Should -Be 'ShutOff'
        $vm.StateReason | Should -Be 1   # VIR_DOMAIN_SHUTOFF_SHUTDOWN
    }

    It 'Stop-KvmVM -TurnOff -Force turns the VM off without asking (destroyed)' {
        Stop-KvmVM cv-run -TurnOff -Force
        $vm = Get-KvmVM cv-run
        $vm.State | Should -Be 'ShutOff'
        $vm.StateReason | Should -Be 2   # VIR_DOMAIN_SHUTOFF_DESTROYED
    }

    It 'Stop-KvmVM -TurnOff asks at the default $ConfirmPreference (refused where nobody can answer); a graceful stop does not' {
        $ConfirmPreference | Should -Be 'High'
        { Stop-KvmVM cv-run -TurnOff -ErrorAction Stop } | Should -Throw -ExpectedMessage '*NonInteractive*'
        (Get-KvmVM cv-run).State | Should -Be 'Running'
        Stop-KvmVM cv-run
        (Get-KvmVM cv-run).State | Should -Be 'ShutOff'
    }

    It 'Stop-KvmVM -TurnOff -WhatIf changes nothing, with -Force too' {
        Stop-KvmVM cv-run -TurnOff -Force -WhatIf
        (Get-KvmVM cv-run).State | Should -Be 'Running'
    }

    It 'Restart-KvmVM -TurnOff asks; -TurnOff -Force resets; -Force alone reboots' {
        { Restart-KvmVM cv-run -TurnOff -ErrorAction Stop } | Should -Throw -ExpectedMessage '*NonInteractive*'
        $v = Restart-KvmVM cv-run -TurnOff -Force -Verbose 4>&1 -ErrorAction SilentlyContinue -ErrorVariable err
        # The test driver cannot reset: the call reaches libvirt, which says so.
        (($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") + "$err" | Should -Match 'Reset VM|reset'
        $v = Restart-KvmVM cv-run -Force -Verbose 4>&1 -ErrorAction SilentlyContinue
        ($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Reboot VM'
    }

    It 'has -TurnOff and -Force, and its help calls -TurnOff high-impact' {
        $cmd = Get-Command Stop-KvmVM
        $cmd.Parameters.Keys | Should -Contain 'TurnOff'
        $cmd.Parameters.Keys | Should -Contain 'Force'
        (Get-Help Stop-KvmVM -Parameter TurnOff).description.Text | Should -Match 'high-impact'
    }

    It 'Remove-KvmVM -Force of a running VM says it turns it off first, and removes it without asking' {
        $v = Remove-KvmVM cv-run -Force -Verbose 4>&1
        ($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Turn off the running VM.*then remove VM'
        Get-KvmVM cv-run -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'Remove-KvmVM without -Force still asks (ConfirmImpact High)' {
        Stop-KvmVM cv-run -TurnOff -Force
        { Remove-KvmVM cv-run -ErrorAction Stop } | Should -Throw -ExpectedMessage '*NonInteractive*'
        (Get-KvmVM cv-run).Name | Should -Be 'cv-run'
    }

    It '-Force skips the question of the other cmdlets that have it (Remove-KvmNetwork, Remove-KvmVolume)' {
        $null = New-KvmNetwork -Name cv-gone -Subnet 10.92.0.0/24
        Remove-KvmNetwork cv-gone -Force
        Get-KvmNetwork cv-gone -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $null = New-KvmVolume -Pool default-pool -Name cv-gone.qcow2 -Size 1GB
        Remove-KvmVolume default-pool cv-gone.qcow2 -Force
        Get-KvmVolume default-pool cv-gone.qcow2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'pwsh -NonInteractive child processes' {
    It 'Stop-KvmVM -TurnOff -Force completes without prompting; without -Force it cannot ask' {
        $r = Invoke-ChildPwsh @'
Connect-KvmHost test:///default
$null = New-KvmVM -Name ni1 -Memory 256MB -Start
Stop-KvmVM ni1 -TurnOff -Force
"STATE=$((Get-KvmVM ni1).State) REASON=$((Get-KvmVM ni1).StateReason)"
'@
        $r.Output | Should -Match 'STATE=ShutOff REASON=2'
        $r.ExitCode | Should -Be 0

        $r = Invoke-ChildPwsh @'
Connect-KvmHost test:///default
$null = New-KvmVM -Name ni1 -Memory 256MB -Start
try { Stop-KvmVM ni1 -TurnOff } catch { "FAILED: $($_.Exception.Message)" }
"STATE=$((Get-KvmVM ni1).State)"
'@
        $r.Output | Should -Match 'FAILED: .*NonInteractive'
        $r.Output | Should -Match 'STATE=Running'
    }

    It 'Remove-KvmVM -Force removes a running VM without prompting (on a host file of its own)' {
        $r = Invoke-ChildPwsh @"
Connect-KvmHost '$script:SmallHost'
Start-KvmVM alpha
Remove-KvmVM alpha -Force
"LEFT=`$((Get-KvmVM).Name -join ',')"
"@
        $r.Output | Should -Match 'LEFT=beta$'
        $r.ExitCode | Should -Be 0

        $r = Invoke-ChildPwsh @"
Connect-KvmHost '$script:SmallHost'
Stop-KvmVM alpha -TurnOff -Force
try { Remove-KvmVM alpha } catch { "FAILED: `$(`$_.Exception.Message)" }
"LEFT=`$((Get-KvmVM).Name -join ',')"
"@
        $r.Output | Should -Match 'FAILED: .*NonInteractive'
        $r.Output | Should -Match 'LEFT=alpha,beta'
    }
}

Describe 'Set-KvmNetworkAdapter and Set-KvmDisk without an identifier' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'changes the only NIC of a VM without -MacAddress (and does not prompt for it)' {
        (Get-Command Set-KvmNetworkAdapter).Parameters['MacAddress'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).Mandatory | Should -Not -Contain $true
        $vm = New-KvmVM -Name cv-nic1 -Memory 256MB -Network default
        Set-KvmNetworkAdapter -VMName cv-nic1 -Model Virtio -Driver Vhost -WarningAction SilentlyContinue
        $nic = Get-KvmNetworkAdapter -VMName cv-nic1
        $nic.MacAddress | Should -Be $vm.NetworkAdapters[0].MacAddress
        $nic.Driver | Should -Be 'Vhost'
    }

    It 'refuses with several NICs and no MAC, naming them, and changes nothing' {
        $null = New-KvmVM -Name cv-nic2 -Memory 256MB -Network default, default
        $macs = (Get-KvmNetworkAdapter -VMName cv-nic2).MacAddress
        Set-KvmNetworkAdapter -VMName cv-nic2 -Model E1000e -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'AmbiguousNetworkAdapter,KvmPS.Commands.SetKvmNetworkAdapterCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].TargetObject | Should -Be 'cv-nic2'
        foreach ($m in $macs) { $err[0].Exception.Message | Should -Match ([regex]::Escape($m)) }
        (Get-KvmNetworkAdapter -VMName cv-nic2).Model | Should -Not -Contain 'E1000e'
    }

    It 'refuses a VM without NICs as not found' {
        $null = New-KvmVM -Name cv-nic0 -Memory 256MB
        Set-KvmNetworkAdapter -VMName cv-nic0 -LinkState Down -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NetworkAdapterNotFound,*'
    }

    It 'changes the only disk of a VM without -Target; with several it refuses naming the targets' {
        Set-KvmDisk -VMName test -Cache None -WarningAction SilentlyContinue
        (Get-KvmDisk test -Config).Cache | Should -Be 'None'
        $second = New-KvmVolume -Pool default-pool -Name cv-second.qcow2 -Size 1GB
        Add-KvmDisk -VMName test -Path $second.Path -WarningAction SilentlyContinue
        $targets = (Get-KvmDisk test -Config).Target
        $targets.Count | Should -Be 2
        Set-KvmDisk -VMName test -Cache Writeback -ErrorAction SilentlyContinue -ErrorVariable err -WarningAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'AmbiguousDisk,KvmPS.Commands.SetKvmDiskCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        foreach ($t in $targets) { $err[0].Exception.Message | Should -Match $t }
        (Get-KvmDisk test -Config).Cache | Should -Not -Contain 'Writeback'
    }

    It 'Remove-KvmDisk and Remove-KvmNetworkAdapter still require the identifier' {
        foreach ($p in @(@('Remove-KvmDisk', 'Target'), @('Remove-KvmNetworkAdapter', 'MacAddress'))) {
            (Get-Command $p[0]).Parameters[$p[1]].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).Mandatory | Should -Contain $true
        }
    }
}

Describe 'One MAC rule wherever a MAC is set' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $null = New-KvmVM -Name cv-mac1 -Memory 256MB -Network default -MacAddress 52:54:00:c0:ff:01
    }

    It 'New-KvmVM refuses a MAC another VM has (any case), naming the VM; -Force overrides' {
        New-KvmVM -Name cv-mac2 -Memory 256MB -Network default -MacAddress 52:54:00:C0:FF:01 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'MacAddressInUse,KvmPS.Commands.NewKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $err[0].Exception.Message | Should -Match "cv-mac1"
        $err[0].Exception.Message | Should -Match "cv-mac2"
        Get-KvmVM cv-mac2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (New-KvmVM -Name cv-mac2 -Memory 256MB -Network default -MacAddress 52:54:00:c0:ff:01 -Force).NetworkAdapters.MacAddress | Should -Be '52:54:00:c0:ff:01'
    }

    It 'New-KvmVM refuses one MAC given twice, even with -Force' {
        New-KvmVM -Name cv-mac3 -Memory 256MB -Network default, default -MacAddress 52:54:00:c0:ff:07, 52:54:00:C0:FF:07 -Force -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DuplicateMacAddress,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'Add-KvmNetworkAdapter refuses it the same way; -Force overrides' {
        $null = New-KvmVM -Name cv-mac4 -Memory 256MB
        Add-KvmNetworkAdapter -VMName cv-mac4 -MacAddress 52:54:00:c0:ff:01 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'MacAddressInUse,KvmPS.Commands.AddKvmNetworkAdapterCommand'
        $err[0].Exception.Message | Should -Match 'cv-mac1'
        Add-KvmNetworkAdapter -VMName cv-mac4 -MacAddress 52:54:00:c0:ff:01 -Force -WarningAction SilentlyContinue
        (Get-KvmNetworkAdapter -VMName cv-mac4).MacAddress | Should -Be '52:54:00:c0:ff:01'
    }

    It 'Import-KvmVM refuses XML whose MAC another VM has, but not the VM it replaces' {
        $xml = (Export-KvmVM cv-mac1) -replace '<name>cv-mac1</name>', '<name>cv-mac5</name>' -replace '<uuid>[^<]*</uuid>', ''
        $xml | Import-KvmVM -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'MacAddressInUse,KvmPS.Commands.ImportKvmVMCommand'
        $err[0].TargetObject | Should -Be 'cv-mac5'
        Get-KvmVM cv-mac5 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Export-KvmVM cv-mac1 | Import-KvmVM -Force).Name | Should -Be 'cv-mac1'
        ($xml | Import-KvmVM -Force).Name | Should -Be 'cv-mac5'
    }
}

Describe 'Export-KvmVM to a directory and Import-KvmVM -Name' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $script:Dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-cv-export-$PID-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        $null = New-Item -ItemType Directory -Path $script:Dir
    }
    AfterEach {
        Remove-Item -Recurse -Force -Path $script:Dir -ErrorAction SilentlyContinue
    }

    It 'writes <name>.xml inside an existing directory' {
        $f = Export-KvmVM -Name test -Path $script:Dir
        $f.FullName | Should -Be (Join-Path $script:Dir 'test.xml')
        ([xml](Get-Content -Raw $f.FullName)).domain.name | Should -Be 'test'
    }

    It 'never writes two VMs to one file, -Force or not' {
        $null = New-KvmVM -Name cv-exp2 -Memory 256MB
        $file = Join-Path $script:Dir 'one.xml'
        $out = Get-KvmVM test, cv-exp2 | Export-KvmVM -Path $file -Force -ErrorAction SilentlyContinue -ErrorVariable err
        @($out).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'ExportPathReused,KvmPS.Commands.ExportKvmVMCommand'
        $written = ([xml](Get-Content -Raw $file)).domain.name
        $written | Should -BeIn 'test', 'cv-exp2'
        $err[0].TargetObject | Should -BeIn 'test', 'cv-exp2'
        $err[0].TargetObject | Should -Not -Be $written
        $err[0].Exception.Message | Should -Match $written
    }

    It 'refuses a directory path that does not exist' {
        Export-KvmVM -Name test -Path (Join-Path $script:Dir 'missing/') -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DirectoryNotFound,*'
    }

    It 'imports a copy under another name with a new UUID and new MACs, owning nothing of the original' {
        $orig = New-KvmVM -Name cv-orig -Memory 256MB -Network default, default -DiskSize 1GB -Pool default-pool
        $owned = ($orig.Disks | Where-Object OwnedByVM).Path
        $owned | Should -Not -BeNullOrEmpty
        $f = Export-KvmVM -Name cv-orig -Path $script:Dir
        $copy = Import-KvmVM -Path $f.FullName -Name cv-copy -WarningVariable w -WarningAction SilentlyContinue
        $copy.Name | Should -Be 'cv-copy'
        $copy.Uuid | Should -Not -Be $orig.Uuid
        $macs = $copy.NetworkAdapters.MacAddress
        $macs.Count | Should -Be 2
        $macs[0] | Should -Not -Be $macs[1]
        foreach ($m in $macs) { $orig.NetworkAdapters.MacAddress | Should -Not -Contain $m }
        ($copy.Disks | Where-Object OwnedByVM) | Should -BeNullOrEmpty
        "$w" | Should -Match 'cv-orig'
        # The copy owns nothing: removing it with -DeleteStorage keeps the original's disk.
        Remove-KvmVM cv-copy -DeleteStorage -Force
        (Get-KvmVolume default-pool | Where-Object Path -eq $owned) | Should -Not -BeNullOrEmpty
        (Get-KvmVM cv-orig).Uuid | Should -Be $orig.Uuid
    }

    It 'refuses an invalid new name before defining anything' {
        Export-KvmVM -Name test | Import-KvmVM -Name 'a/b' -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidName,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'New-KvmVM warns when the request exceeds the host' {
    BeforeEach { Reset-KvmSession }

    It 'warns about memory and vCPUs before defining, also under -WhatIf' {
        New-KvmVM -Uri $script:SmallHost -Name big -Memory 8GB -VCpuCount 8 -WhatIf -WarningVariable w -WarningAction SilentlyContinue
        $w.Count | Should -Be 2
        "$w" | Should -Match '8192 MiB.*4096 MiB'
        "$w" | Should -Match '8 vCPUs.*logical CPUs \(4\)'
        Get-KvmVM -Uri $script:SmallHost big -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'warns about the hypervisor''s vCPU limit' {
        $vm = New-KvmVM -Uri $script:SmallHost -Name wide -Memory 256MB -VCpuCount 64 -WarningVariable w -WarningAction SilentlyContinue
        $vm.Name | Should -Be 'wide'
        "$w" | Should -Match 'hypervisor allows'
    }

    It 'says nothing for a request that fits' {
        $null = New-KvmVM -Uri $script:SmallHost -Name fits -Memory 1GB -VCpuCount 2 -WarningVariable w
        $w | Should -BeNullOrEmpty
    }
}

Describe 'Set-KvmVM makes the checks of the specialised cmdlets before changing anything' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        $null = New-KvmVM -Name cv-set -Memory 1GB -VCpuCount 2
    }

    It 'refuses a vCPU count the CPU topology does not multiply up to' {
        Set-KvmCpu cv-set -Sockets 1 -Cores 2 -Threads 1
        Set-KvmVM cv-set -VCpuCount 3 -Description changed -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'TopologyMismatch,KvmPS.Commands.SetKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $vm = Get-KvmVM cv-set
        $vm.VCpuCount | Should -Be 2
        $vm.MaxVCpuCount | Should -Be 2
        $vm.Description | Should -Not -Be 'changed'
    }

    It 'refuses memory and vCPUs the guest NUMA cells do not match, with the hint to Set-KvmNuma' {
        Set-KvmNuma cv-set -Cell @{ Cpus = '0'; Memory = 512MB }, @{ Cpus = '1'; Memory = 512MB }
        Set-KvmVM cv-set -Memory 2GB -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'MemoryDoesNotMatchNumaCells,KvmPS.Commands.SetKvmVMCommand'
        $err[0].Exception.Message | Should -Match 'Set-KvmNuma'
        (Get-KvmVM cv-set).MemoryBytes | Should -Be 1GB
        Set-KvmVM cv-set -VCpuCount 4 -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2[0].FullyQualifiedErrorId | Should -Be 'NumaCellsDoNotMatchVCpus,KvmPS.Commands.SetKvmVMCommand'
        $err2[0].Exception.Message | Should -Match 'Set-KvmNuma'
        (Get-KvmVM cv-set).VCpuCount | Should -Be 2
    }

    It 'still changes what passes the checks' {
        Set-KvmCpu cv-set -Sockets 1 -Cores 2 -Threads 1
        Set-KvmVM cv-set -VCpuCount 2 -Memory 2GB
        (Get-KvmVM cv-set).MemoryBytes | Should -Be 2GB
    }
}
