# Desired state on libvirt's test driver: a configuration file planned and applied, re-runs that
# converge and change nothing, updates that keep UUIDs and MACs, pruning only what the
# configuration made, every refusal before anything changes, and Compare-KvmVM.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "kvmps-cfg-$PID"
    $null = New-Item -ItemType Directory -Force -Path $Work

    function New-Lab([hashtable] $Overrides = @{}) {
        $pool = Join-Path $Work 'pool'
        $null = New-Item -ItemType Directory -Force -Path $pool
        $lab = @{
            Uri          = 'test:///default'
            Networks     = @(
                @{ Name = 'cfg-lab'; Mode = 'Nat'; Subnet = '10.77.0.0/24'; Autostart = $true; Start = $true }
                @{ Name = 'cfg-lab2'; Mode = 'Isolated'; Subnet = '10.78.0.0/24' }
            )
            StoragePools = @(@{ Name = 'cfg-images'; Type = 'Dir'; Path = $pool; Start = $true })
            Volumes      = @(@{ Name = 'cfg-data.qcow2'; Pool = 'cfg-images'; Size = 1GB; Format = 'Qcow2' })
            VMs          = @(
                @{ Name = 'cfg-web1'; Memory = 1GB; VCpuCount = 2; Pool = 'cfg-images'; DiskSize = 2GB; Network = 'cfg-lab'; OSVariant = 'ubuntu22.04'
                    Cpu = @{ Sockets = 1; Cores = 2; Threads = 1 }; CpuPin = 'Auto'; MemoryBacking = @{ Locked = $true } }
                @{ Name = 'cfg-web2'; Memory = 512MB; VCpuCount = 1; Network = 'cfg-lab', 'cfg-lab2'; OSVariant = 'ubuntu22.04' }
            )
        }
        foreach ($k in $Overrides.Keys) { $lab[$k] = $Overrides[$k] }
        $lab
    }

    function Write-Psd1([hashtable] $Lab, [string] $Name = 'lab') {
        # The table as a PowerShell data file, written as a person would.
        function Text($v) {
            if ($v -is [hashtable]) { return '@{ ' + (($v.Keys | Sort-Object | ForEach-Object { "$_ = $(Text $v[$_])" }) -join '; ') + ' }' }
            if ($v -is [array]) { return '@(' + (($v | ForEach-Object { Text $_ }) -join ', ') + ')' }
            if ($v -is [bool]) { return "`$$v".ToLower() }
            if ($v -is [string]) { return "'" + $v.Replace("'", "''") + "'" }
            return "$v"
        }
        $path = Join-Path $Work "$Name.psd1"
        Set-Content -Path $path -Value (Text $Lab)
        $path
    }

    function Get-AllXml {
        $h = @{}
        foreach ($vm in Get-KvmVM -Uri test:///default) { $h["vm:$($vm.Name)"] = $vm.Xml }
        foreach ($n in Get-KvmNetwork -Uri test:///default) { $h["net:$($n.Name)"] = "$($n.Mode) $($n.Subnet) $($n.Autostart) $($n.IsActive)" }
        foreach ($p in Get-KvmStoragePool -Uri test:///default) { $h["pool:$($p.Name)"] = "$($p.Path) $($p.Autostart) $($p.State)" }
        $h
    }
}

AfterAll {
    Reset-KvmSession
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
}

Describe 'Invoke-KvmConfiguration on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'creates every resource in dependency order, as the cmdlets would' {
        $r = @(Invoke-KvmConfiguration -Path (Write-Psd1 (New-Lab)) -Confirm:$false)
        $r.Name | Should -Be @('cfg-lab', 'cfg-lab2', 'cfg-images', 'cfg-images/cfg-data.qcow2', 'cfg-web1', 'cfg-web2')
        $r.Status | Sort-Object -Unique | Should -Be 'Done'
        $net = Get-KvmNetwork cfg-lab
        $net.Subnet | Should -Be '10.77.0.0/24'
        $net.Autostart | Should -BeTrue
        $net.IsActive | Should -BeTrue
        (Get-KvmNetwork cfg-lab2).Mode | Should -Be 'Isolated'
        (Get-KvmVolume -Pool cfg-images -Name cfg-data.qcow2).CapacityBytes | Should -Be 1GB
        $web1 = Get-KvmVM cfg-web1
        $web1.MemoryBytes | Should -Be 1GB
        $web1.VCpuCount | Should -Be 2
        $web1.NetworkAdapters.Source | Should -Be 'cfg-lab'
        $cpu = Get-KvmCpu cfg-web1
        "$($cpu.Sockets) $($cpu.Cores) $($cpu.Threads)" | Should -Be '1 2 1'
        @(Get-KvmCpuPin cfg-web1 | Where-Object Pinned).Count | Should -Be 2
        (Get-KvmMemory cfg-web1).Locked | Should -BeTrue
        (Get-KvmVM cfg-web2).NetworkAdapters.Source | Should -Be @('cfg-lab', 'cfg-lab2')
        $web1.Xml | Should -Match 'kvmps.dev/xmlns/configuration/1'
    }

    It 'runs again with NoChange everywhere and changes nothing' {
        $file = Write-Psd1 (New-Lab)
        $null = Invoke-KvmConfiguration -Path $file -Confirm:$false
        $before = Get-AllXml
        $plan = @(Get-KvmConfigurationPlan -Path $file)
        $plan.Action | Sort-Object -Unique | Should -Be 'NoChange'
        $r = @(Invoke-KvmConfiguration -Path $file -Confirm:$false)
        $r.Status | Sort-Object -Unique | Should -Be 'Unchanged'
        $after = Get-AllXml
        foreach ($k in $before.Keys) { $after[$k] | Should -BeExactly $before[$k] -Because $k }
        $after.Count | Should -Be $before.Count
    }

    It 'reads the same configuration from JSON, with sizes as text' {
        $lab = New-Lab
        $lab.VMs[0].Memory = '1GB'
        $lab.Volumes[0].Size = '1GB'
        $json = Join-Path $Work 'lab.json'
        $lab | ConvertTo-Json -Depth 6 | Set-Content $json
        $fromJson = @(Get-KvmConfigurationPlan -Path $json)
        $fromPsd1 = @(Get-KvmConfigurationPlan -Path (Write-Psd1 (New-Lab)))
        ($fromJson | ForEach-Object { "$($_.Name)=$($_.Action)" }) | Should -Be ($fromPsd1 | ForEach-Object { "$($_.Name)=$($_.Action)" })
        ($fromJson | Where-Object Name -eq 'cfg-web1').Steps[0].Parameters['Memory'] | Should -Be '1GB'
        $null = Invoke-KvmConfiguration -Path $json -Confirm:$false
        (Get-KvmVM cfg-web1).MemoryBytes | Should -Be 1GB
        @(Get-KvmConfigurationPlan -Path $json).Action | Sort-Object -Unique | Should -Be 'NoChange'
    }

    It 'reads the same configuration from YAML' {
        $pool = Join-Path $Work 'pool'
        $yaml = Join-Path $Work 'lab.yaml'
        Set-Content $yaml @"
Uri: test:///default
Networks:
  - Name: cfg-lab
    Mode: Nat
    Subnet: 10.77.0.0/24
    Autostart: true
    Start: true
  - { Name: cfg-lab2, Mode: Isolated, Subnet: 10.78.0.0/24 }
StoragePools:
  - { Name: cfg-images, Type: Dir, Path: '$pool', Start: true }
Volumes:
  - { Name: cfg-data.qcow2, Pool: cfg-images, Size: 1GB, Format: Qcow2 }
VMs:
  - Name: cfg-web1
    Memory: 1GB
    VCpuCount: 2
    Pool: cfg-images
    DiskSize: 2GB
    Network: cfg-lab
    OSVariant: ubuntu22.04
    Cpu: { Sockets: 1, Cores: 2, Threads: 1 }
    CpuPin: Auto
    MemoryBacking: { Locked: true }
  - { Name: cfg-web2, Memory: 512MB, VCpuCount: 1, Network: [cfg-lab, cfg-lab2], OSVariant: ubuntu22.04 }
"@
        $null = New-Item -ItemType Directory -Force -Path $pool
        $null = Invoke-KvmConfiguration -Path $yaml -Confirm:$false
        @(Get-KvmConfigurationPlan -Path (Write-Psd1 (New-Lab))).Action | Sort-Object -Unique | Should -Be 'NoChange'
        (Get-KvmVM cfg-web2).NetworkAdapters.Source | Should -Be @('cfg-lab', 'cfg-lab2')
        Set-Content $yaml "VMs: [ { Name: x"
        Get-KvmConfigurationPlan -Path $yaml -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'ConfigurationFileInvalid,KvmPS.Commands.GetKvmConfigurationPlanCommand'
    }

    It 'updates memory, vCPUs, pins and a NIC in place, keeping the UUID and the MACs' {
        $null = Invoke-KvmConfiguration -Path (Write-Psd1 (New-Lab)) -Confirm:$false
        $old = Get-KvmVM cfg-web2
        $lab = New-Lab
        $lab.VMs[1].Memory = 768MB
        $lab.VMs[1].VCpuCount = 2
        $lab.VMs[1].Network = 'cfg-lab2', 'cfg-lab'
        $lab.VMs[1].CpuPin = @{ Map = @{ 0 = '0'; 1 = '1' } }
        $file = Write-Psd1 $lab
        $plan = Get-KvmConfigurationPlan -Path $file | Where-Object Name -eq 'cfg-web2'
        $plan.Action | Should -Be 'Update'
        $plan.Changes.Property | Should -Contain 'Memory'
        $plan.Changes.Property | Should -Contain 'VCpuCount'
        $plan.Changes.Property | Should -Contain 'NetworkAdapter[0].Network'
        $plan.Changes.Property | Should -Contain 'CpuPin[0]'
        $r = Invoke-KvmConfiguration -Path $file -Confirm:$false | Where-Object Name -eq 'cfg-web2'
        $r.Status | Should -Be 'Done'
        $new = Get-KvmVM cfg-web2
        $new.Uuid | Should -Be $old.Uuid
        $new.MemoryBytes | Should -Be 768MB
        $new.VCpuCount | Should -Be 2
        $new.NetworkAdapters.Source | Should -Be @('cfg-lab2', 'cfg-lab')
        $new.NetworkAdapters.MacAddress | Should -Be $old.NetworkAdapters.MacAddress
        (Get-KvmCpuPin cfg-web2 | Sort-Object VCpu).HostCpus | Should -Be @('0', '1')
        @(Get-KvmConfigurationPlan -Path $file).Action | Sort-Object -Unique | Should -Be 'NoChange'
    }

    It 'leaves a VM it no longer lists alone, and removes it with -Prune; never a VM made otherwise' {
        $null = Invoke-KvmConfiguration -Path (Write-Psd1 (New-Lab)) -Confirm:$false
        $null = New-KvmVM -Name cfg-handmade -Memory 256MB -OSVariant ubuntu22.04
        $lab = New-Lab
        $lab.VMs = @($lab.VMs[0])
        $file = Write-Psd1 $lab
        @(Get-KvmConfigurationPlan -Path $file | Where-Object Action -ne NoChange) | Should -BeNullOrEmpty
        $null = Invoke-KvmConfiguration -Path $file -Confirm:$false
        Get-KvmVM cfg-web2 | Should -Not -BeNullOrEmpty
        $plan = @(Get-KvmConfigurationPlan -Path $file -Prune | Where-Object Action -eq Remove)
        $plan.Name | Should -Be 'cfg-web2'
        $r = @(Invoke-KvmConfiguration -Path $file -Prune -Confirm:$false | Where-Object Action -eq Remove)
        $r.Status | Should -Be 'Done'
        Get-KvmVM cfg-web2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-KvmVM cfg-handmade | Should -Not -BeNullOrEmpty
        Get-KvmVM cfg-web1 | Should -Not -BeNullOrEmpty
    }

    It 'does not prune the VMs of another configuration' {
        $null = Invoke-KvmConfiguration -Path (Write-Psd1 (New-Lab) 'lab') -Confirm:$false
        $other = Write-Psd1 @{ Uri = 'test:///default'; VMs = @(@{ Name = 'cfg-other'; Memory = 256MB; OSVariant = 'ubuntu22.04' }) } 'other'
        $null = Invoke-KvmConfiguration -Path $other -Confirm:$false
        @(Get-KvmConfigurationPlan -Path $other -Prune | Where-Object Action -eq Remove) | Should -BeNullOrEmpty
    }

    It 'removes what Ensure = Absent names' {
        $null = Invoke-KvmConfiguration -Path (Write-Psd1 (New-Lab)) -Confirm:$false
        $lab = New-Lab
        $lab.VMs = @($lab.VMs[0])
        $lab.Networks = @($lab.Networks[0], @{ Name = 'cfg-lab2'; Ensure = 'Absent' })
        $lab.VMs += @{ Name = 'cfg-web2'; Ensure = 'Absent' }
        $r = @(Invoke-KvmConfiguration -Path (Write-Psd1 $lab) -Confirm:$false | Where-Object Action -eq Remove)
        $r.Name | Should -Be @('cfg-web2', 'cfg-lab2')
        Get-KvmNetwork cfg-lab2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-KvmVM cfg-web2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf and reports NotRun with the calls it would make' {
        $r = @(Invoke-KvmConfiguration -Path (Write-Psd1 (New-Lab)) -WhatIf 6>$null)
        $r.Status | Sort-Object -Unique | Should -Be 'NotRun'
        ($r | Where-Object Name -eq 'cfg-web1').Commands[0] | Should -Match "^New-KvmVM -Name 'cfg-web1'"
        Get-KvmVM cfg-web1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-KvmNetwork cfg-lab -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'plans a Replace for a changed subnet, skips it without -AllowReplace and does it with' {
        $null = Invoke-KvmConfiguration -Path (Write-Psd1 (New-Lab)) -Confirm:$false
        $lab = New-Lab
        $lab.Networks[1].Subnet = '10.79.0.0/24'
        $file = Write-Psd1 $lab
        $item = Get-KvmConfigurationPlan -Path $file | Where-Object Name -eq 'cfg-lab2'
        $item.Action | Should -Be 'Replace'
        $item.Reason | Should -Match 'Subnet'
        $r = Invoke-KvmConfiguration -Path $file -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue | Where-Object Name -eq 'cfg-lab2'
        $r.Status | Should -Be 'Skipped'
        (Get-KvmNetwork cfg-lab2).Subnet | Should -Be '10.78.0.0/24'
        # web2 still uses cfg-lab2: the replace stops and removes it and makes it again.
        $r = Invoke-KvmConfiguration -Path $file -Confirm:$false -AllowReplace | Where-Object Name -eq 'cfg-lab2'
        $r.Status | Should -Be 'Done'
        (Get-KvmNetwork cfg-lab2).Subnet | Should -Be '10.79.0.0/24'
    }

    It 'never shrinks a volume or replaces a VM: the item is skipped with the reason' {
        $null = Invoke-KvmConfiguration -Path (Write-Psd1 (New-Lab)) -Confirm:$false
        $lab = New-Lab
        $lab.Volumes[0].Size = 512MB
        $lab.VMs[1].Firmware = 'Uefi'
        $r = @(Invoke-KvmConfiguration -Path (Write-Psd1 $lab) -Confirm:$false -WarningAction SilentlyContinue | Where-Object Action -eq Replace)
        $r.Name | Should -Be @('cfg-images/cfg-data.qcow2', 'cfg-web2')
        $r.Status | Sort-Object -Unique | Should -Be 'Skipped'
        (Get-KvmVolume -Pool cfg-images -Name cfg-data.qcow2).CapacityBytes | Should -Be 1GB
        (Get-KvmVM cfg-web2).Firmware | Should -Be 'Bios'
    }

    It 'reports a failed VM, removes what it half made, and goes on with the rest' {
        $lab = New-Lab
        $lab.VMs[0].Cpu = @{ Sockets = 3; Cores = 1; Threads = 1 }
        $r = @(Invoke-KvmConfiguration -Path (Write-Psd1 $lab) -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue)
        ($r | Where-Object Name -eq 'cfg-web1').Status | Should -Be 'Failed'
        ($r | Where-Object Name -eq 'cfg-web1').Message | Should -Match 'Set-KvmCpu failed'
        ($r | Where-Object Name -eq 'cfg-web2').Status | Should -Be 'Done'
        $e[0].FullyQualifiedErrorId | Should -Be 'ConfigurationStepFailed,KvmPS.Commands.InvokeKvmConfigurationCommand'
        Get-KvmVM cfg-web1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'skips a VM whose network failed in the same run' {
        $lab = New-Lab
        $lab.Networks = @(@{ Name = 'cfg-bad'; Mode = 'Nat'; Subnet = '10.80.0.0/33' })
        $lab.VMs = @(@{ Name = 'cfg-dep'; Memory = 256MB; Network = 'cfg-bad'; OSVariant = 'ubuntu22.04' })
        $lab.Remove('Volumes'); $lab.Remove('StoragePools')
        $r = @(Invoke-KvmConfiguration -Configuration $lab -Confirm:$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $r[0].Status | Should -Be 'Failed'
        $r[1].Status | Should -Be 'Skipped'
        $r[1].Message | Should -Match "network 'cfg-bad' failed"
        Get-KvmVM cfg-dep -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Configuration refusals: before anything is read or changed' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'refuses <Case> with <Id>' -ForEach @(
        @{ Case = 'an unknown key, naming the closest'; Id = 'ConfigurationKeyUnknown'; Category = 'InvalidArgument'; Lab = @{ VMs = @(@{ Name = 'x'; Memroy = 1GB }) }; Message = "*'Memroy'*Did you mean 'Memory'*" }
        @{ Case = 'an unknown tuning key'; Id = 'ConfigurationKeyUnknown'; Category = 'InvalidArgument'; Lab = @{ VMs = @(@{ Name = 'x'; Cpu = @{ Socket = 1 } }) }; Message = "*'Socket'*Did you mean 'Sockets'*" }
        @{ Case = 'an unknown section'; Id = 'ConfigurationKeyUnknown'; Category = 'InvalidArgument'; Lab = @{ Machines = @() }; Message = "*'Machines'*" }
        @{ Case = 'an entry without Name'; Id = 'ConfigurationNameMissing'; Category = 'InvalidArgument'; Lab = @{ Networks = @(@{ Subnet = '10.1.0.0/24' }) }; Message = '*no Name*' }
        @{ Case = 'a volume without pool'; Id = 'ConfigurationPoolMissing'; Category = 'InvalidArgument'; Lab = @{ Volumes = @(@{ Name = 'v'; Size = 1GB }) }; Message = '*no Pool*' }
        @{ Case = 'a VM named twice'; Id = 'ConfigurationNameDuplicate'; Category = 'InvalidData'; Lab = @{ VMs = @(@{ Name = 'x' }, @{ Name = 'x' }) }; Message = "*'x'*2 times*" }
        @{ Case = 'a network nobody makes'; Id = 'ConfigurationReferenceMissing'; Category = 'ObjectNotFound'; Lab = @{ VMs = @(@{ Name = 'x'; Network = 'nowhere'; OSVariant = 'ubuntu22.04' }) }; Message = "*'nowhere'*" }
        @{ Case = 'a size that is not one'; Id = 'ConfigurationValueInvalid'; Category = 'InvalidArgument'; Lab = @{ VMs = @(@{ Name = 'test'; Memory = 'lots' }) }; Message = '*size*' }
        @{ Case = 'a bad Ensure'; Id = 'ConfigurationValueInvalid'; Category = 'InvalidArgument'; Lab = @{ VMs = @(@{ Name = 'x'; Ensure = 'Gone' }) }; Message = '*Present or Absent*' }
    ) {
        $before = Get-AllXml
        $r = Invoke-KvmConfiguration -Configuration $Lab -Uri test:///default -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -Be "$Id,KvmPS.Commands.InvokeKvmConfigurationCommand"
        "$($e[0].CategoryInfo.Category)" | Should -Be $Category
        $e[0].Exception.Message | Should -BeLike $Message
        $after = Get-AllXml
        $after.Count | Should -Be $before.Count
    }

    It 'refuses a data file with commands in it, and a missing file' {
        $bad = Join-Path $Work 'bad.psd1'
        Set-Content $bad '@{ VMs = @(@{ Name = (Get-Date).ToString() }) }'
        Get-KvmConfigurationPlan -Path $bad -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'ConfigurationFileInvalid,KvmPS.Commands.GetKvmConfigurationPlanCommand'
        Get-KvmConfigurationPlan -Path (Join-Path $Work 'none.psd1') -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e2[0].FullyQualifiedErrorId | Should -Be 'ConfigurationFileNotFound,KvmPS.Commands.GetKvmConfigurationPlanCommand'
        "$($e2[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
    }

    It 'accepts the parameters'' aliases as keys (Hyper-V spellings)' {
        $plan = Get-KvmConfigurationPlan -Configuration @{ VMs = @(@{ Name = 'cfg-alias'; MemoryStartupBytes = 512MB; ProcessorCount = 2; OSVariant = 'ubuntu22.04' }) }
        $plan.Steps[0].Parameters['Memory'] | Should -Be 512MB
        $plan.Steps[0].Parameters['VCpuCount'] | Should -Be 2
    }
}

Describe 'A plan reads and never writes' {
    It 'makes only read calls to libvirt (its debug log lists every public API entered)' {
        # One process makes the lab, looks up a marker name, then plans: libvirt logs every public
        # API it enters, so the calls after the marker are the plan's.
        $log = Join-Path $Work 'libvirt-plan.log'
        $file = Write-Psd1 (New-Lab)
        $script = Join-Path $Work 'plan-log.ps1'
        Set-Content $script @"
Import-Module '$ModulePath'
`$null = Invoke-KvmConfiguration -Path '$file' -Confirm:`$false
`$null = Start-KvmVM -Name 'kvmps-plan-marker' -Uri test:///default -ErrorAction SilentlyContinue
`$null = Get-KvmConfigurationPlan -Path '$file'
"@
        Remove-Item $log -ErrorAction Ignore
        $pwsh = @(Get-PwshCommand)
        $env:LIBVIRT_LOG_FILTERS = '1:libvirt 4:util 4:rpc 4:conf 4:test 4:security'
        $env:LIBVIRT_LOG_OUTPUTS = "1:file:$log"
        try {
            & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script 2>$null
        } finally {
            Remove-Item Env:LIBVIRT_LOG_FILTERS, Env:LIBVIRT_LOG_OUTPUTS -ErrorAction Ignore
        }
        $lines = @(Get-Content $log)
        $marker = @(for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i] -match 'name=kvmps-plan-marker') { $i } })[0]
        $marker | Should -BeGreaterThan 0
        $calls = @($lines[($marker + 1)..($lines.Count - 1)] | Select-String -Pattern ' : (vir[A-Z][A-Za-z]+):\d+ : ' | ForEach-Object { $_.Matches[0].Groups[1].Value })
        $calls | Should -Contain 'virConnectListAllDomains'
        $calls | Should -Contain 'virConnectListAllNetworks'
        $writes = @($calls | Where-Object { $_ -match 'Define|Create|Undefine|Destroy|Shutdown|Reboot|Reset|Suspend|Resume|Set[A-Z]|Attach|Detach|Update|Resize|Delete|Build|Pin[A-Z]|Upload|Wipe|Migrate|Abort' })
        $writes | Should -BeNullOrEmpty
    }
}

Describe 'Compare-KvmVM on the test driver' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'lists the properties that differ from a desired state' {
        $d = @(Compare-KvmVM test -Desired @{ Memory = 4GB; VCpuCount = 2; Cpu = @{ Sockets = 2; Cores = 1; Threads = 1 } })
        $d.Property | Should -Be @('Memory', 'Cpu.Sockets', 'Cpu.Cores', 'Cpu.Threads')
        ($d | Where-Object Property -eq Memory).DifferenceValue | Should -Be ([string](4GB))
        $d.Comparison | Sort-Object -Unique | Should -Be 'VMToDesired'
    }

    It 'compares two VMs property by property' {
        $null = New-KvmVM -Name cfg-a -Memory 256MB -VCpuCount 1 -OSVariant ubuntu22.04
        $null = New-KvmVM -Name cfg-b -Memory 512MB -VCpuCount 1 -OSVariant ubuntu22.04
        $d = @(Compare-KvmVM cfg-a -DifferenceVM cfg-b)
        ($d | Where-Object Property -eq Memory).ReferenceValue | Should -Be ([string](256MB))
        ($d | Where-Object Property -eq Memory).DifferenceValue | Should -Be ([string](512MB))
        $d.Property | Should -Not -Contain 'VCpuCount'
    }

    It 'finds a change waiting for the next boot of a running VM' {
        $null = New-KvmVM -Name cfg-run -Memory 256MB -VCpuCount 2 -OSVariant ubuntu22.04 -Start
        Set-KvmCpu cfg-run -Sockets 1 -Cores 2 -Threads 1
        $d = @(Compare-KvmVM cfg-run)
        $d.Comparison | Sort-Object -Unique | Should -Be 'LiveToPersistent'
        ($d | Where-Object Property -eq 'Cpu.Cores').DifferenceValue | Should -Be '2'
        ($d | Where-Object Property -eq 'Cpu.Cores').ReferenceValue | Should -Be ''
    }

    It 'refuses -DifferenceVM with -Desired' {
        Compare-KvmVM test -DifferenceVM test -Desired @{ Memory = 1GB } -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'CompareTargetConflict,KvmPS.Commands.CompareKvmVMCommand'
    }
}

Describe 'DSC resources' {
    BeforeDiscovery {
        $script:HasDsc = [bool](Get-Command Invoke-DscResource -ErrorAction Ignore)
    }
    BeforeAll {
        # The classes live in the module's root script: a script block run in the module makes them.
        function New-DscObject([string] $Type, [hashtable] $Properties) {
            & (Get-Module KvmPS) ([scriptblock]::Create("param(`$p) [$Type]`$p")) $Properties
        }
    }
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'are listed in the manifest' {
        $m = Import-PowerShellDataFile $ModulePath
        $m.DscResourcesToExport | Should -Be @('KvmNetwork', 'KvmStoragePool', 'KvmVolume', 'KvmVM')
    }

    It 'KvmNetwork: Test is false, Set makes it, Test is true, Get reads it back, Absent removes it' {
        $r = New-DscObject KvmNetwork @{ Name = 'dsc-net'; Subnet = '10.88.0.0/24'; Autostart = $true }
        $r.Test() | Should -BeFalse
        $r.Set()
        $r.Test() | Should -BeTrue
        $now = $r.Get()
        $now.Ensure | Should -Be 'Present'
        $now.Subnet | Should -Be '10.88.0.0/24'
        $now.Autostart | Should -BeTrue
        (Get-KvmNetwork dsc-net).Subnet | Should -Be '10.88.0.0/24'
        $gone = New-DscObject KvmNetwork @{ Name = 'dsc-net'; Ensure = 'Absent' }
        $gone.Test() | Should -BeFalse
        $gone.Set()
        $gone.Test() | Should -BeTrue
        Get-KvmNetwork dsc-net -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'KvmStoragePool and KvmVolume: made, tested and read on the same engine' {
        $dir = Join-Path $Work 'dsc-pool'
        $null = New-Item -ItemType Directory -Force $dir
        $pool = New-DscObject KvmStoragePool @{ Name = 'dsc-pool'; Type = 'Dir'; Path = $dir; Start = $true }
        $pool.Set()
        $pool.Test() | Should -BeTrue
        $vol = New-DscObject KvmVolume @{ Name = 'dsc.qcow2'; Pool = 'dsc-pool'; Size = 64MB; Format = 'Qcow2' }
        $vol.Test() | Should -BeFalse
        $vol.Set()
        $vol.Test() | Should -BeTrue
        $vol.Get().Size | Should -Be 64MB
        $vol.Size = 128MB
        $vol.Test() | Should -BeFalse
        # The test driver cannot resize; the plan shows the step that would (the System tier runs it).
        $plan = Get-KvmConfigurationPlan -Configuration @{ Volumes = @(@{ Name = 'dsc.qcow2'; Pool = 'dsc-pool'; Size = 128MB }) }
        $plan.Steps.Command | Should -Be 'Resize-KvmVolume'
    }

    It 'KvmVM: converges memory and topology in place, keeping the UUID' {
        $null = New-KvmNetwork -Name dsc-vmnet -Subnet 10.89.0.0/24
        $vm = New-DscObject KvmVM @{ Name = 'dsc-vm'; Memory = 512MB; VCpuCount = 2; Network = 'dsc-vmnet'; OSVariant = 'ubuntu22.04'; Sockets = 1; Cores = 2; Threads = 1 }
        $vm.Test() | Should -BeFalse
        $vm.Set()
        $vm.Test() | Should -BeTrue
        $first = $vm.Get()
        $first.Cores | Should -Be 2
        $vm.Memory = 1GB
        $vm.Test() | Should -BeFalse
        $vm.Set()
        $vm.Test() | Should -BeTrue
        $second = $vm.Get()
        $second.Memory | Should -Be 1GB
        $second.Uuid | Should -Be $first.Uuid
        $second.MacAddress | Should -Be $first.MacAddress
    }

    It 'KvmVM: Set fails with the reason when the configuration cannot be met' {
        $vm = New-DscObject KvmVM @{ Name = 'dsc-bad'; Memory = 512MB; Network = 'no-such-net'; OSVariant = 'ubuntu22.04' }
        { $vm.Set() } | Should -Throw "*no-such-net*"
        Get-KvmVM dsc-bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'run through Invoke-DscResource' {
        if (-not (Get-Command Invoke-DscResource -ErrorAction Ignore)) {
            Set-ItResult -Skipped -Because 'Invoke-DscResource comes with the PSDesiredStateConfiguration module (PowerShell Gallery), which is not installed here'
            return
        }
        $p = @{ Name = 'dsc-invoke'; Subnet = '10.90.0.0/24'; Uri = 'test:///default' }
        (Invoke-DscResource -Name KvmNetwork -ModuleName KvmPS -Method Test -Property $p).InDesiredState | Should -BeFalse
    }
}
