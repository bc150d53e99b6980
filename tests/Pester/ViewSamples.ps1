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
    }
}

$script:ViewSkipped = @{
    'KvmPS.KvmNetworkLease' = 'the test driver does not report DHCP leases (virNetworkGetDHCPLeases is not supported)'
    'KvmPS.KvmHostRepair'   = 'Repair-KvmHost changes the host; it is not run outside the System tier'
    'KvmPS.KvmBackup'       = 'the test driver cannot make backups (virDomainBackupBegin is not supported)'
    'KvmPS.KvmBackupDisk'   = 'the test driver cannot make backups (virDomainBackupBegin is not supported)'
}
