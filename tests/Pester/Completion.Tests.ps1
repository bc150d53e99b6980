# Tab completion of every parameter that takes a name the host knows, through PowerShell's own
# completion entry point, on libvirt's test driver. Completers ask the host the command line
# points at (its -Uri, a piped VM's host, else the Connect-KvmHost host); parameters whose value
# is free text complete nothing rather than file names; only paths complete file names.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    # Parameters whose value is a path on the machine: they keep PowerShell's file completion.
    $script:PathParameters = @(
        'Add-KvmDisk/Path', 'Export-KvmVM/Path', 'Import-KvmVM/Path', 'Import-KvmVolume/Path', 'New-KvmStoragePool/Path',
        'New-KvmStoragePool/SourceDevice', 'New-KvmVM/DiskPath', 'New-KvmVM/Cdrom', 'New-KvmVM/Kernel', 'New-KvmVM/Initrd',
        'New-KvmVM/SerialLogPath', 'New-KvmVM/CloudInit', 'New-KvmVM/CloudInitMetaData', 'New-KvmVM/Location',
        'New-KvmVM/CloudInitNetworkConfig', 'New-KvmVolume/BackingPath',
        'Copy-KvmVMFile/Source', 'Copy-KvmVMFile/Destination', 'Invoke-KvmVMScript/FilePath', 'Save-KvmVMScreenshot/Path',
        'Backup-KvmVM/Destination', 'Restore-KvmBackup/Path', 'Get-KvmConfigurationPlan/Path', 'Invoke-KvmConfiguration/Path')
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $script:TextParameters = foreach ($c in Get-Command -Module KvmPS | Sort-Object Name) {
        foreach ($p in $c.Parameters.Values | Where-Object { $_.Name -notin $common } | Sort-Object Name) {
            if ($p.ParameterType -in [string], [string[]]) {
                @{ Command = $c.Name; Parameter = $p.Name; Key = "$($c.Name)/$($p.Name)"; Attributes = $p.Attributes }
            }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Reset-KvmSession

    function Complete([string] $Line) {
        @([System.Management.Automation.CommandCompletion]::CompleteInput($Line, $Line.Length, $null).CompletionMatches)
    }
    function Texts([string] $Line) { @((Complete $Line).CompletionText) }

    # A private test host with a bridge, a second VM and networks of its own.
    $script:HostFile = Join-Path ([IO.Path]::GetTempPath()) "kvmps-completion-$PID.xml"
    @'
<node>
  <interface type='bridge' name='br-lab'>
    <start mode='onboot'/>
    <bridge stp='off'><interface type='ethernet' name='eth7'><mac address='52:54:00:aa:00:07'/></interface></bridge>
  </interface>
  <interface type='ethernet' name='eth9'><mac address='52:54:00:aa:00:09'/></interface>
  <network><name>only-here-net</name><bridge name='virbr7'/><forward mode='nat'/><ip address='192.168.207.1' netmask='255.255.255.0'/></network>
  <pool type='dir'><name>only-here-pool</name><target><path>/only-here</path></target></pool>
  <domain type='test'>
    <name>only-here</name>
    <memory>524288</memory>
    <os><type arch='x86_64'>hvm</type></os>
    <devices>
      <disk type='file' device='disk'><source file='/only-here/a.img'/><target dev='vdb' bus='virtio'/></disk>
      <disk type='file' device='cdrom'><source file='/only-here/b.iso'/><target dev='sdc' bus='sata'/></disk>
      <interface type='network'><mac address='52:54:00:11:22:33'/><source network='only-here-net'/></interface>
      <interface type='network'><mac address='52:54:00:11:22:44'/><source network='only-here-net'/></interface>
    </devices>
  </domain>
</node>
'@ | Set-Content $script:HostFile
    $script:Private = "test://$script:HostFile"

    Connect-KvmHost test:///default
    New-KvmVolume -Pool default-pool -Name kvmps-comp-1.img -Size 1MB -Format Raw
    Add-KvmNetworkReservation default 52:54:00:7c:00:01 192.168.122.61 -HostName comp-a
    $script:TestMacs = @((Get-KvmNetworkAdapter -Name test).MacAddress)
    $script:TestTargets = @((Get-KvmDisk -Name test).Target)

    # A directory with files, to see that only path parameters offer them.
    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-completion-dir-$PID"
    $null = New-Item -ItemType Directory -Path $script:Dir
    'x' | Set-Content (Join-Path $script:Dir 'alpha.iso'), (Join-Path $script:Dir 'beta.txt')
    Push-Location $script:Dir
}

AfterAll {
    Pop-Location
    Remove-KvmVolume -Pool default-pool -Name kvmps-comp-1.img -Confirm:$false -ErrorAction SilentlyContinue
    Remove-KvmNetworkReservation default 52:54:00:7c:00:01 -Confirm:$false -ErrorAction SilentlyContinue
    Reset-KvmSession
    Remove-Item $script:HostFile, $script:Dir -Recurse -ErrorAction Ignore
}

Describe 'Every text parameter has a completer, unless it is a path' {
    It 'finds the text parameters' {
        $TextParameters.Count | Should -BeGreaterThan 100
    }

    It '<Key>' -ForEach $TextParameters {
        $completer = @($Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] })
        $set = @($Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] })
        if ($Key -in $PathParameters) {
            $completer | Should -BeNullOrEmpty -Because "$Key is a path: PowerShell's file completion fits it"
        } else {
            ($completer.Count + $set.Count) | Should -BeGreaterThan 0 -Because "$Key takes a name or text, not a file: give it a completer (FreeTextCompleter when there is nothing to offer)"
        }
    }

    It 'lists only parameters that exist' {
        $keys = $TextParameters | ForEach-Object { $_.Key }
        $PathParameters | Where-Object { $_ -notin $keys } | Should -BeNullOrEmpty
    }
}

Describe 'Completion of names the host knows' {
    It 'VM names (<Line>)' -ForEach @(
        @{ Line = 'Get-KvmVM te' }, @{ Line = 'Start-KvmVM -Name te' }, @{ Line = 'Get-KvmNetworkAdapter -VMName te' }, @{ Line = 'Set-KvmCpu te' }
    ) {
        Texts $Line | Should -Be @('test')
    }

    It 'honours -Uri on the command line, and the Connect-KvmHost host without it' {
        Texts "Get-KvmVM -Uri $Private " | Should -Be @('only-here')
        Texts 'Get-KvmVM ' | Should -Be @('test')
        Connect-KvmHost $Private
        try {
            Texts 'Get-KvmVM ' | Should -Be @('only-here')
            Texts 'Get-KvmVM -Uri test:///default ' | Should -Be @('test')
        } finally {
            Connect-KvmHost test:///default
        }
    }

    It 'networks for -Network of New-KvmVM, Add- and Set-KvmNetworkAdapter' {
        Texts 'New-KvmVM -Name x -Memory 1GB -Network d' | Should -Be @('default')
        Texts 'Add-KvmNetworkAdapter -VMName test -Network ' | Should -Be @('default')
        Texts "Set-KvmNetworkAdapter -Uri $Private -VMName only-here -Network " | Should -Be @('only-here-net')
        Texts 'Get-KvmNetwork ' | Should -Be @('default')
    }

    It 'pools for -Pool, and the volumes of the pool for -Name' {
        Texts 'New-KvmVM -Name x -Memory 1GB -Pool ' | Should -Be @('default-pool')
        Texts "New-KvmVM -Uri $Private -Name x -Memory 1GB -Pool " | Should -Be @('only-here-pool')
        Texts 'Get-KvmVolume -Pool default-pool -Name kvmps-comp' | Should -Be @('kvmps-comp-1.img')
    }

    It 'host bridges for -Bridge and -HostBridge, from the host''s interfaces' {
        Texts "New-KvmVM -Uri $Private -Name x -Memory 1GB -Bridge " | Should -Be @('br-lab')
        Texts "Add-KvmNetworkAdapter -Uri $Private -VMName only-here -Bridge " | Should -Be @('br-lab')
        Texts "New-KvmNetwork -Uri $Private -Name n -Mode Bridge -HostBridge br" | Should -Be @('br-lab')
        @(Complete 'New-KvmVM -Name x -Memory 1GB -Bridge ').Count | Should -Be 0 -Because 'test:///default has no bridge (and the machine''s own are not the test host''s)'
    }

    It 'MAC addresses of the VM named by -VMName' {
        $TestMacs.Count | Should -BeGreaterThan 0
        Texts 'Get-KvmNetworkAdapter -VMName test -MacAddress ' | Should -Be $TestMacs
        Texts "Remove-KvmNetworkAdapter -Uri $Private -VMName only-here -MacAddress " | Should -Be @('52:54:00:11:22:33', '52:54:00:11:22:44')
        Texts "Set-KvmNetworkAdapter -Uri $Private only-here -MacAddress 52:54:00:11:22:4" | Should -Be @('52:54:00:11:22:44')
    }

    It 'MAC addresses of a piped VM, on the host it came from' {
        $global:kvmpsCompletionVM = Get-KvmVM -Uri $Private -Name only-here
        try {
            Texts '$kvmpsCompletionVM | Set-KvmNetworkAdapter -MacAddress ' | Should -Be @('52:54:00:11:22:33', '52:54:00:11:22:44')
            Texts 'Get-KvmNetworkAdapter -VM $kvmpsCompletionVM -MacAddress ' | Should -Be @('52:54:00:11:22:33', '52:54:00:11:22:44')
        } finally {
            Remove-Variable -Scope Global kvmpsCompletionVM
        }
        Texts "Get-KvmVM -Uri $Private only-here | Remove-KvmNetworkAdapter -MacAddress " | Should -Be @('52:54:00:11:22:33', '52:54:00:11:22:44')
        Texts 'Get-KvmVM test | Get-KvmNetworkAdapter -MacAddress ' | Should -Be $TestMacs
        @(Complete 'Get-KvmVM t* | Get-KvmNetworkAdapter -MacAddress ').Count | Should -Be 0 -Because 'a wildcard names no one VM'
    }

    It 'disk targets of the VM for -Target' {
        $TestTargets.Count | Should -BeGreaterThan 0
        Texts 'Get-KvmDisk test -Target ' | Should -Be $TestTargets
        Texts "Set-KvmDisk -Uri $Private -VMName only-here -Target " | Should -Be @('sdc', 'vdb')
        Texts "Remove-KvmDisk -Uri $Private -VMName only-here -Target v" | Should -Be @('vdb')
        @(Complete 'Remove-KvmDisk -VMName no-such-vm -Target ').Count | Should -Be 0
    }

    It 'MAC addresses that belong with the network of the reservation cmdlets' {
        $onNet = Texts 'Remove-KvmNetworkReservation default -MacAddress '
        $onNet | Should -Contain '52:54:00:7c:00:01'
        $onNet | Should -Contain 'aa:bb:cc:dd:ee:ff' -Because 'the test VM''s adapter is on default'
        Texts "Add-KvmNetworkReservation -Uri $Private only-here-net -MacAddress " | Should -Be @('52:54:00:11:22:33', '52:54:00:11:22:44')
        Texts 'Get-KvmNetworkLease default -MacAddress 52:54:00:7c' | Should -Be @('52:54:00:7c:00:01')
    }

    It 'CPU models the host knows for -Model' {
        $virsh = Get-Command virsh -ErrorAction Ignore
        if (-not $virsh) { Set-ItResult -Skipped -Because 'virsh is not installed (the independent list of CPU models)'; return }
        $arch = (Get-KvmVM test).Architecture
        $expected = @(& virsh -c test:///default cpu-models $arch | Where-Object { $_ -like 'Sky*' } | Sort-Object)
        $expected.Count | Should -BeGreaterThan 0
        Texts 'Set-KvmCpu test -Mode Custom -Model Sky' | Sort-Object | Should -Be $expected
        Texts "Set-KvmCpu -Uri $Private only-here -Model Opteron_G" | Should -Contain 'Opteron_G5'
    }

    It 'CPU features for -Feature, keeping + and - and policy: as typed' {
        if (-not (Test-Path /usr/share/libvirt/cpu_map/x86_features.xml)) { Set-ItResult -Skipped -Because 'libvirt''s CPU map is not installed'; return }
        Texts 'Set-KvmCpu test -Feature +x2a' | Should -Be @('+x2apic')
        Texts "Set-KvmCpu test -Feature '-sv" | Should -Contain "'-svm'" -Because 'a bare -svm would be read as a parameter name'
        Texts 'Set-KvmCpu test -Feature disable:vm' | Should -Contain 'disable:vmx'
        Texts 'Set-KvmCpu test -Feature avx51' | Should -Contain 'avx512f'
    }

    It 'machine types from the host''s capabilities (the test driver offers none), never file names' {
        @(Complete 'New-KvmVM -Name x -Memory 1GB -MachineType ').Count | Should -Be 0
    }

    It 'host check names and OS variants' {
        Texts 'Test-KvmHost -Check KvmDe' | Should -Be @('KvmDevice')
        Texts 'Repair-KvmHost -Check Hug' | Should -Be @('HugePages')
        if (-not (Test-Path /usr/share/osinfo/os)) { Set-ItResult -Skipped -Because 'osinfo-db is not installed'; return }
        Texts 'New-KvmVM -Name x -Memory 1GB -OSVariant debian1' | Should -Contain 'debian11'
    }

    It 'PCI addresses of the host devices' {
        $nodeFile = Join-Path ([IO.Path]::GetTempPath()) "kvmps-completion-nodedev-$PID.xml"
        $devices = Get-ChildItem (Join-Path $script:RepoRoot 'tests/fixtures/nodedev') -Filter '*.xml' | ForEach-Object { Get-Content $_ -Raw }
        "<node>$($devices -join '')</node>" | Set-Content $nodeFile
        try {
            $expected = @(Get-KvmHostDevice -Uri "test://$nodeFile" | ForEach-Object PciAddress)
            $expected.Count | Should -BeGreaterThan 0
            Texts "Get-KvmHostDevice -Uri test://$nodeFile -PciAddress " | Sort-Object | Should -Be ($expected | Sort-Object)
        } finally {
            Reset-KvmSession; Connect-KvmHost test:///default
            Remove-Item $nodeFile
        }
    }
}

Describe 'No file names where a name or text is asked' {
    It 'offers the directory''s files for a path parameter (<_>)' -ForEach @('New-KvmVM -Name x -Memory 1GB -Cdrom ', 'Add-KvmDisk -VMName test -Path ') {
        Texts $_ | ForEach-Object { Split-Path -Leaf ($_.Trim("'")) } | Should -Contain 'alpha.iso'
    }

    It 'offers no file names for <_>' -ForEach @(
        'New-KvmVM -Name ', 'New-KvmVM -Name x -Memory 1GB -Description ', 'New-KvmVM -Name x -Memory 1GB -MacAddress ',
        'New-KvmNetwork -Name ', 'New-KvmNetwork -Name n -Subnet ', 'Set-KvmCpuPin test -HostCpu ', 'Set-KvmVM test -Description ',
        'Add-KvmDisk -VMName test -Path /x -Target ', 'Import-KvmVolume -Pool default-pool -Path /x -Name ', 'Get-KvmVM -Uri test:///default no-such-',
        'Get-KvmNetworkAdapter -MacAddress ', 'Set-KvmCpu -Model '
    ) {
        $names = @(Complete $_ | ForEach-Object { Split-Path -Leaf ($_.CompletionText.Trim("'")) })
        $names | Should -Not -Contain 'alpha.iso'
        $names | Should -Not -Contain 'beta.txt'
    }
}

Describe 'Machine types on a real host' -Tag System {
    It 'completes the machine types virsh capabilities lists' {
        $caps = [xml] (& virsh -c qemu:///system capabilities | Out-String)
        $arch = $caps.capabilities.host.cpu.arch
        $expected = @($caps.capabilities.guest | Where-Object { $_.os_type -eq 'hvm' -and $_.arch.name -eq $arch } |
            ForEach-Object { $_.arch.machine; $_.arch.domain.machine } | ForEach-Object { "$(if ($_ -is [string]) { $_ } else { $_.'#text' })".Trim() } |
            Where-Object { $_ -like 'pc-q35*' } | Sort-Object -Unique)
        $expected.Count | Should -BeGreaterThan 0
        Texts 'New-KvmVM -Uri qemu:///system -Name x -Memory 1GB -MachineType pc-q35' | Should -Be $expected
        Texts 'New-KvmVM -Uri qemu:///system -Name x -Memory 1GB -MachineType q3' | Should -Contain 'q35'
    }
}
