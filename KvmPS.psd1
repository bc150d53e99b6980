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
    FormatsToProcess     = @('KvmPS.Format.ps1xml', 'KvmPS.HostCheck.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-KvmHost'
        'Disconnect-KvmHost'
        'Get-KvmConnection'
        'Get-KvmHost'
        'Repair-KvmHost'
        'Test-KvmHost'
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
