@{
    RootModule           = 'KvmPS.psm1'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core')
    GUID                 = '6f3c2b7e-5d0a-4c4e-9b7a-2e8d1f4a9c31'
    Author               = 'KvmPS contributors'
    CompanyName          = 'KvmPS'
    Copyright            = '(c) KvmPS contributors. MIT License.'
    Description          = 'Manage KVM virtualization through libvirt: check the host, build networks and storage, create, tune and run virtual machines.'
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('KvmPS.Format.ps1xml', 'KvmPS.VM.Format.ps1xml', 'KvmPS.Storage.Format.ps1xml', 'KvmPS.HostCheck.Format.ps1xml', 'KvmPS.Network.Format.ps1xml', 'KvmPS.Tuning.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-KvmHost'
        'Disconnect-KvmHost'
        'Get-KvmConnection'
        'Get-KvmHost'
        'New-KvmVM'
        'Get-KvmVM'
        'Start-KvmVM'
        'Stop-KvmVM'
        'Restart-KvmVM'
        'Suspend-KvmVM'
        'Resume-KvmVM'
        'Wait-KvmVM'
        'Set-KvmVM'
        'Remove-KvmVM'
        'Import-KvmVM'
        'Export-KvmVM'
        'Get-KvmStoragePool'
        'Get-KvmVolume'
        'Import-KvmVolume'
        'New-KvmStoragePool'
        'New-KvmVolume'
        'Remove-KvmStoragePool'
        'Remove-KvmVolume'
        'Resize-KvmVolume'
        'Set-KvmStoragePool'
        'Start-KvmStoragePool'
        'Stop-KvmStoragePool'
        'Repair-KvmHost'
        'Test-KvmHost'
        'New-KvmNetwork'
        'Get-KvmNetwork'
        'Start-KvmNetwork'
        'Stop-KvmNetwork'
        'Remove-KvmNetwork'
        'Set-KvmNetwork'
        'Get-KvmNetworkLease'
        'Add-KvmNetworkReservation'
        'Remove-KvmNetworkReservation'
        'Get-KvmCpu'
        'Set-KvmCpu'
        'Get-KvmCpuPin'
        'Set-KvmCpuPin'
        'Get-KvmNuma'
        'Set-KvmNuma'
        'Get-KvmMemory'
        'Set-KvmMemory'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('KVM', 'libvirt', 'QEMU', 'Virtualization', 'Linux')
            ProjectUri = ''
        }
    }
}
