# Move-KvmVM between two private libvirt daemons (own mount and network namespaces, own host
# UUIDs), joined by a veth pair that carries the migration data: a running test guest with a
# console counter moves live and keeps counting (it never restarts), with and without a disk
# copy; a refused move defines nothing on the destination; a cancelled move leaves it running on
# the source. The daemons are this file's own; the shared daemon is never touched.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'PrivateDaemon.ps1')
    $script:SkipReason = if (-not $env:KVMPS_SYSTEM) { 'system tier only (KVMPS_SYSTEM=1)' } else { Get-PrivateDaemonSkipReason }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'PrivateDaemon.ps1')
    . (Join-Path $PSScriptRoot 'MigrationHosts.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Pair = $null
    if (-not $script:SkipReason -and $env:KVMPS_SYSTEM) {
        $script:Pair = New-MigrationPair 'kvmps-mig'
        $script:UriA = $script:Pair.A.Uri
        $script:UriB = $script:Pair.B.Uri
        $script:MigUri = "tcp://$($script:Pair.AddressB)"
        $script:Work = New-TestGuestWorkDirectory -Prefix 'kvmps-mig-'
    }

    function Start-CounterGuest([string] $Name, [string[]] $Devices = @()) {
        $log = Join-Path $script:Work "$Name.log"
        $xml = New-TestGuestDomainXml -Name $Name -Counter -SerialLog $log -ExtraDevicesXml $Devices
        $file = Join-Path $script:Work "$Name.xml"
        Set-Content $file $xml
        virsh -c $script:UriA create $file | Out-Null
        $null = Wait-Until { (Get-Counter $log) -ge 3 } -TimeoutSec 120
        $log
    }

    function Get-Counter([string] $Log) {
        # The last 'kvmps-counter N' on the console, or 0.
        if (-not (Test-Path $Log)) { return 0 }
        $m = [regex]::Matches("$(Get-Content $Log -Raw)", 'kvmps-counter (\d+)')
        if ($m.Count -eq 0) { return 0 }
        [int]$m[$m.Count - 1].Groups[1].Value
    }

    function Test-Defined([string] $Uri, [string] $Name) {
        virsh -c $Uri domstate $Name *> $null
        $LASTEXITCODE -eq 0
    }
}

AfterAll {
    Reset-KvmSession
    Remove-MigrationPair $script:Pair
    if ($script:Work) { Remove-Item -Recurse -Force $script:Work -ErrorAction Ignore }
}

Describe 'Move-KvmVM between two hosts' -Tag System -Skip:([bool]$script:SkipReason) {
    It 'moves a running guest live: it keeps counting, progress was reported, it is gone from the source' {
        $log = Start-CounterGuest 'kvmps-mig-live'
        $before = Get-Counter $log
        $moved = Move-KvmVM -Uri $script:UriA -Name kvmps-mig-live -DestinationUri $script:UriB -Live -MigrationUri $script:MigUri -PassThru -Verbose 4>&1
        $vm = $moved | Where-Object { $_ -is [KvmPS.KvmVM] }
        $verbose = ($moved | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"
        $vm.State | Should -Be 'Running'
        $vm.Uri | Should -Be (Get-KvmConnection -Uri $script:UriB).Uri
        Test-Defined $script:UriA kvmps-mig-live | Should -BeFalse
        $verbose | Should -Match 'Moved .kvmps-mig-live. in [\d.]+ s'
        # The job statistics were read (and shown with Write-Progress) while the job ran.
        [int]([regex]::Match($verbose, '\((\d+) progress reading').Groups[1].Value) | Should -BeGreaterThan 0
        Start-Sleep -Seconds 3
        $after = Get-Counter $log
        $after | Should -BeGreaterThan $before -Because 'the counter goes on from where it was; a restarted guest would count from 1'
        virsh -c $script:UriB destroy kvmps-mig-live *> $null
    }

    It 'refuses a guest with a local disk without -CopyStorage and defines nothing on the destination' {
        foreach ($u in $script:UriA, $script:UriB) { virsh -c $u pool-create-as migimg dir --target /var/lib/libvirt/images --build *> $null }
        virsh -c $script:UriA vol-create-as migimg kvmps-mig-disk.qcow2 16M --format qcow2 | Out-Null
        $disk = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/kvmps-mig-disk.qcow2'/><target dev='vdb' bus='virtio'/></disk>"
        $script:DiskLog = Start-CounterGuest 'kvmps-mig-disk' -Devices $disk
        Move-KvmVM -Uri $script:UriA -Name kvmps-mig-disk -DestinationUri $script:UriB -Live -MigrationUri $script:MigUri -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnsafeMigration,*'
        Test-Defined $script:UriB kvmps-mig-disk | Should -BeFalse
        (virsh -c $script:UriA domstate kvmps-mig-disk) -join ' ' | Should -Match 'running'
    }

    It 'moves it with -CopyStorage All, disk and all, still counting' {
        $before = Get-Counter $script:DiskLog
        $vm = Move-KvmVM -Uri $script:UriA -Name kvmps-mig-disk -DestinationUri $script:UriB -Live -CopyStorage All -MigrationUri $script:MigUri -PassThru
        $vm.State | Should -Be 'Running'
        (virsh -c $script:UriB vol-list migimg) -join "`n" | Should -Match 'kvmps-mig-disk.qcow2'
        Start-Sleep -Seconds 2
        Get-Counter $script:DiskLog | Should -BeGreaterThan $before
        virsh -c $script:UriB destroy kvmps-mig-disk *> $null
    }

    It 'leaves the guest running on the source when the move is aborted (timeout)' {
        $null = Start-CounterGuest 'kvmps-mig-abort'
        $id = (virsh -c $script:UriA domid kvmps-mig-abort) -join ''
        # 1 MiB/s cannot move the guest's memory in 2 s: the job is aborted.
        Move-KvmVM -Uri $script:UriA -Name kvmps-mig-abort -DestinationUri $script:UriB -Live -MigrationUri $script:MigUri -Bandwidth 1MB -TimeoutSec 2 -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        (virsh -c $script:UriA domstate kvmps-mig-abort) -join ' ' | Should -Match 'running'
        # The same QEMU process goes on (a restarted guest would have a new id).
        (virsh -c $script:UriA domid kvmps-mig-abort) -join '' | Should -Be $id
        Test-Defined $script:UriB kvmps-mig-abort | Should -BeFalse
        virsh -c $script:UriA destroy kvmps-mig-abort *> $null
    }

    It 'evacuates running guests as a pipeline' {
        $null = Start-CounterGuest 'kvmps-mig-ev1'
        $null = Start-CounterGuest 'kvmps-mig-ev2'
        $moved = @(Get-KvmVM -Uri $script:UriA -Name 'kvmps-mig-ev*' -State Running | Move-KvmVM -DestinationUri $script:UriB -Live -MigrationUri $script:MigUri -PassThru)
        $moved.Name | Sort-Object | Should -Be @('kvmps-mig-ev1', 'kvmps-mig-ev2')
        @(Get-KvmVM -Uri $script:UriA -Name 'kvmps-mig-ev*').Count | Should -Be 0
        foreach ($n in 'kvmps-mig-ev1', 'kvmps-mig-ev2') { virsh -c $script:UriB destroy $n *> $null }
    }

    It 'gives a CPU baseline of both hosts that each of them can run' {
        $b = Get-KvmHostCpuBaseline -Uri $script:UriA, $script:UriB
        $b.Model | Should -Not -BeNullOrEmpty
        $b.Uris | Should -Be @($script:UriA, $script:UriB)
        (Compare-KvmHostCpu -Uri $script:UriB -Xml $b.Xml).IsCompatible | Should -BeTrue
    }
}
