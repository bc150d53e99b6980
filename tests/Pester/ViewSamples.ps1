# Dot-sourced by the view tests (Views: tables, ListViews: lists): objects of every public type
# the test driver can produce, read once, and the types it cannot produce with the reason.

function Get-ViewSample([string] $NodeFile) {
    # $NodeFile: a private test-driver host made of the PCI devices in tests/fixtures/nodedev.
    $devices = Get-ChildItem (Join-Path $script:RepoRoot 'tests/fixtures/nodedev') -Filter '*.xml' | ForEach-Object { Get-Content $_ -Raw }
    "<node>$($devices -join '')</node>" | Set-Content $NodeFile
    $vms = @(Get-KvmVM)
    $hostInfo = Get-KvmHost
    $report = Test-KvmHost -Check CpuVirtualization, KvmDevice -ErrorAction SilentlyContinue
    $cpus = @($vms | ForEach-Object { Get-KvmCpu $_.Name })
    $pins = @($vms | ForEach-Object { Get-KvmCpuPin $_.Name })
    $numas = @($vms | ForEach-Object { Get-KvmNuma $_.Name })
    $memories = @($vms | ForEach-Object { Get-KvmMemory $_.Name })
    $lab = @{ VMs = @(@{ Name = $vms[0].Name; Memory = $vms[0].MemoryBytes * 2; Cpu = @{ Sockets = 1 } }, @{ Name = 'kvmps-view-new'; Memory = 256MB; OSVariant = 'ubuntu22.04' }) }
    $plan = @(Get-KvmConfigurationPlan -Configuration $lab)
    $hostStats = @(Get-KvmHostStatistics -Interval 0.1 -Count 1)
    # One lifecycle event in the buffer, and one registration.
    Register-KvmEvent Lifecycle -SourceIdentifier kvmps-view-sample
    $first = $vms | Where-Object State -EQ Running | Select-Object -First 1
    if ($first) { Suspend-KvmVM $first.Name; Resume-KvmVM $first.Name; Start-Sleep -Milliseconds 300 }
    # A snapshot of a VM of its own (the test driver's own VM has a disk of no format, whose
    # external snapshot the test driver cannot take); read, then removed with its VM.
    $null = New-KvmVM -Name view-snapshot-vm -Memory 256MB -DiskSize 1GB -Pool default-pool
    $snapshots = @(Checkpoint-KvmVM view-snapshot-vm -SnapshotName view-sample -Description 'a sample')
    Remove-KvmVM view-snapshot-vm -Force -DeleteStorage -Confirm:$false
    @{
        'KvmPS.KvmVM'                 = $vms
        'KvmPS.KvmGraphics'           = @($vms.Graphics)
        'KvmPS.KvmPassthroughDevice'  = @($vms.PassthroughDevices)
        'KvmPS.KvmHost'               = @($hostInfo)
        'KvmPS.KvmNumaCell'           = @($hostInfo.NumaCells)
        'KvmPS.KvmHostCpu'            = @($hostInfo.NumaCells.CpuList)
        'KvmPS.KvmHugePages'          = @($hostInfo.NumaCells.Pages)
        'KvmPS.KvmConnection'         = @(Get-KvmConnection)
        'KvmPS.KvmNetwork'            = @(Get-KvmNetwork)
        'KvmPS.KvmNetworkReservation' = @((Get-KvmNetwork default).Reservations)
        'KvmPS.KvmStoragePool'        = @(Get-KvmStoragePool)
        'KvmPS.KvmVolume'             = @(Get-KvmVolume -Pool default-pool)
        'KvmPS.KvmCpu'                = $cpus
        'KvmPS.KvmCpuFeature'         = @($cpus.Features)
        'KvmPS.KvmCpuPin'             = $pins
        'KvmPS.KvmIOThreadPin'        = @($pins.IOThreads)
        'KvmPS.KvmNuma'               = $numas
        'KvmPS.KvmGuestNumaCell'      = @($numas.Cells)
        'KvmPS.KvmMemory'             = $memories
        'KvmPS.KvmMemoryPages'        = @($memories.HugePageSizes)
        'KvmPS.KvmDisk'               = @($vms | ForEach-Object { Get-KvmDisk $_.Name })
        'KvmPS.KvmNetworkAdapter'     = @($vms | ForEach-Object { Get-KvmNetworkAdapter $_.Name })
        'KvmPS.KvmHostDevice'         = @(Get-KvmHostDevice -Uri "test://$NodeFile")
        'KvmPS.KvmHostReport'         = @($report)
        'KvmPS.KvmHostCheck'          = @($report.Checks)
        'KvmPS.KvmKubeVirtManifest'   = @(ConvertTo-KvmKubeVirt -VM $vms[0] -WarningAction SilentlyContinue)
        'KvmPS.KvmQemuVMDefinition'   = @(ConvertFrom-KvmQemuCommandLine -CommandLine 'qemu-system-x86_64 -m 512 -smp 2' -Name kvmps-view-qemu -WarningAction SilentlyContinue)
        'KvmPS.KvmConfigurationPlanItem' = $plan
        'KvmPS.KvmPropertyChange'     = @($plan.Changes)
        'KvmPS.KvmConfigurationStep'  = @($plan.Steps)
        'KvmPS.KvmConfigurationResult' = @(Invoke-KvmConfiguration -Configuration $lab -WhatIf 6>$null)
        'KvmPS.KvmVMDifference'       = @(Compare-KvmVM $vms[0].Name -Desired @{ Memory = $vms[0].MemoryBytes * 2 })
        'KvmPS.KvmGuestAgentStatus'   = @($vms | Where-Object State -eq Running | Test-KvmVMGuestAgent)
        'KvmPS.KvmGuestInfo'          = @($vms | Where-Object State -eq Running | Get-KvmVMGuestInfo)
        'KvmPS.KvmGuestInterface'     = @(($vms | Where-Object State -eq Running | Get-KvmVMGuestInfo).Interfaces)
        'KvmPS.KvmScreenshot'         = @(Save-KvmVMScreenshot test -Path (Join-Path ([IO.Path]::GetTempPath()) "kvmps-view-shot-$PID.png"))
        'KvmPS.KvmVMStatistics'       = @(Get-KvmVMStatistics)
        'KvmPS.KvmHostStatistics'     = $hostStats
        'KvmPS.KvmHostCellStatistics' = @($hostStats.Cells)
        'KvmPS.KvmEvent'              = @(Get-KvmEvent)
        'KvmPS.KvmEventRegistration'  = @(Get-KvmEvent -Registration)
        'KvmPS.KvmSnapshot'           = $snapshots
        'KvmPS.KvmSnapshotDisk'       = @($snapshots.Disks)
    }
    Unregister-KvmEvent kvmps-view-sample
}

$script:ViewSkipped = @{
    'KvmPS.KvmNetworkLease' = 'the test driver does not report DHCP leases (virNetworkGetDHCPLeases is not supported)'
    'KvmPS.KvmHostRepair'   = 'Repair-KvmHost changes the host; it is not run outside the System tier'
    'KvmPS.KvmGuestScriptResult' = 'the test driver has no guest agent (GuestAgent.System.Tests.ps1 covers it)'
    'KvmPS.KvmGuestFileCopy'     = 'the test driver has no guest agent (GuestAgent.System.Tests.ps1 covers it)'
    'KvmPS.KvmGuestFileSystem'   = 'the test driver has no guest agent (GuestAgent.System.Tests.ps1 covers it)'
    'KvmPS.KvmConsoleExchange'   = 'the test driver has no consoles (virDomainOpenConsole is not supported)'
    'KvmPS.KvmDiskStatistics'            = 'the test driver''s bulk statistics hold only the state (no block group)'
    'KvmPS.KvmNetworkAdapterStatistics'  = 'the test driver''s bulk statistics hold only the state (no interface group)'
    'KvmPS.KvmVCpuStatistics'            = 'the test driver''s bulk statistics hold only the state (no vcpu group)'
    'KvmPS.KvmQemuCommandLine' = 'only libvirt''s QEMU driver makes command lines (QemuCommandLine.System.Tests.ps1 covers it)'
    'KvmPS.KvmCpuBaseline'  = 'the test driver has no CPU baseline (virConnectBaselineHypervisorCPU is not supported)'
    'KvmPS.KvmCpuComparison' = 'the test driver has no CPU comparison (virConnectCompareHypervisorCPU is not supported)'
    'KvmPS.KvmBackup'       = 'the test driver cannot make backups (virDomainBackupBegin is not supported)'
    'KvmPS.KvmBackupDisk'   = 'the test driver cannot make backups (virDomainBackupBegin is not supported)'
    'KvmPS.KvmVMExport'     = 'the test driver cannot export disks (virStorageVolDownload is not supported; ExportImport.System.Tests.ps1 covers it)'
    'KvmPS.KvmVMExportDisk' = 'the test driver cannot export disks (virStorageVolDownload is not supported; ExportImport.System.Tests.ps1 covers it)'
}
