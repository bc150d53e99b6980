# Graphics passwords survive every cmdlet that redefines a VM, and stay out of what is shown:
# a VM with a VNC or SPICE password on libvirt's test driver, one change per cmdlet, then the
# password looked up through Export-KvmVM -IncludeSecrets.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Images = Join-Path ([IO.Path]::GetTempPath()) "kvmps-secrets-$PID"
    $null = New-Item -ItemType Directory -Force -Path $script:Images
    & qemu-img create -q -f qcow2 (Join-Path $script:Images 'b.qcow2') 16M

    function Initialize-PasswordVM([string] $Type) {
        # A fresh test:///default (closing every connection resets it) with VM pw1.
        Reset-KvmSession
        Connect-KvmHost test:///default
        $extra = if ($Type -eq 'spice') { " connected='keep'" } else { '' }
        @"
<domain type='test'>
  <name>pw1</name>
  <memory unit='MiB'>256</memory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><source file='/img/a.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <graphics type='$Type' port='-1' passwd='s3cret' passwdValidTo='2030-01-01T00:00:00'$extra/>
  </devices>
</domain>
"@ | Import-KvmVM
    }

    function Get-Graphics {
        ([xml](Export-KvmVM pw1 -IncludeSecrets)).domain.devices.graphics
    }
}

AfterAll {
    Reset-KvmSession
    Remove-Item -Recurse -Force -Path $script:Images -ErrorAction SilentlyContinue
}

Describe 'A <Type> password after <Name>' -ForEach @(
    @{ Type = 'vnc'; Name = 'Set-KvmCpu'; Change = { Set-KvmCpu pw1 -Mode HostPassthrough -Sockets 1 -Cores 2 -Threads 1 }; Check = { ([xml](Export-KvmVM pw1)).domain.cpu.mode | Should -Be 'host-passthrough' } }
    @{ Type = 'spice'; Name = 'Set-KvmCpu'; Change = { Set-KvmCpu pw1 -Mode HostModel }; Check = { ([xml](Export-KvmVM pw1)).domain.cpu.mode | Should -Be 'host-model' } }
    @{ Type = 'vnc'; Name = 'Set-KvmNuma'; Change = { Set-KvmNuma pw1 -HostNode 0 }; Check = { ([xml](Export-KvmVM pw1)).domain.numatune | Should -Not -BeNullOrEmpty } }
    @{ Type = 'vnc'; Name = 'Set-KvmMemory'; Change = { Set-KvmMemory pw1 -Locked }; Check = { Export-KvmVM pw1 | Should -Match '<locked */>' } }
    @{ Type = 'spice'; Name = 'Set-KvmMemory (same value)'; Change = { Set-KvmMemory pw1 -Memory 256MB }; Check = { (Get-KvmVM pw1).MemoryBytes | Should -Be 256MB } }
    @{ Type = 'vnc'; Name = 'Set-KvmCpuPin'; Change = { Set-KvmCpuPin pw1 -VCpu 0 -HostCpu 1 }; Check = { ([xml](Export-KvmVM pw1)).domain.cputune.vcpupin.cpuset | Should -Be '1' } }
    @{ Type = 'vnc'; Name = 'Set-KvmVM'; Change = { Set-KvmVM pw1 -VCpuCount 3 -Memory 512MB }; Check = { (Get-KvmVM pw1).VCpuCount | Should -Be 3 } }
    @{ Type = 'spice'; Name = 'Set-KvmVM'; Change = { Set-KvmVM pw1 -VCpuCount 2 }; Check = { (Get-KvmVM pw1).VCpuCount | Should -Be 2 } }
    @{ Type = 'vnc'; Name = 'Add-KvmDisk and Remove-KvmDisk'
        Change = { Add-KvmDisk pw1 -Path (Join-Path $script:Images 'b.qcow2'); (Get-KvmDisk pw1).Target | Should -Contain 'vdb'; Remove-KvmDisk pw1 vdb -Confirm:$false }
        Check = { (Get-KvmDisk pw1).Target | Should -Be 'vda' } }
    @{ Type = 'spice'; Name = 'Set-KvmDisk'; Change = { Set-KvmDisk pw1 vda -Cache None }; Check = { ([xml](Export-KvmVM pw1)).domain.devices.disk.driver.cache | Should -Be 'none' } }
    @{ Type = 'vnc'; Name = 'Add-KvmNetworkAdapter'; Change = { Add-KvmNetworkAdapter pw1 -Network default -MacAddress 52:54:00:aa:00:09 }; Check = { (Get-KvmNetworkAdapter pw1).MacAddress | Should -Be '52:54:00:aa:00:09' } }
    @{ Type = 'spice'; Name = 'Add-, Set- and Remove-KvmNetworkAdapter'
        Change = { Add-KvmNetworkAdapter pw1 -Network default -MacAddress 52:54:00:aa:00:09; Set-KvmNetworkAdapter pw1 52:54:00:aa:00:09 -LinkState Down; Remove-KvmNetworkAdapter pw1 52:54:00:aa:00:09 -Confirm:$false }
        Check = { Get-KvmNetworkAdapter pw1 | Should -BeNullOrEmpty } }
) {
    BeforeAll {
        Initialize-PasswordVM $Type
    }

    It 'is still there, and the change was made' {
        $Error.Clear()
        & $Change
        $Error | Should -BeNullOrEmpty
        & $Check
        $g = Get-Graphics
        $g.type | Should -Be $Type
        $g.passwd | Should -Be 's3cret'
        $g.passwdValidTo | Should -Be '2030-01-01T00:00:00'
    }
}

Describe 'Where the password is shown' {
    BeforeAll {
        Initialize-PasswordVM vnc
    }

    It 'Export-KvmVM leaves it out without -IncludeSecrets' {
        Export-KvmVM pw1 | Should -Not -Match 'passwd='
        Export-KvmVM pw1 | Should -Match 'passwdValidTo='
        Export-KvmVM pw1 -IncludeSecrets | Should -Match "passwd='s3cret'"
    }

    It 'Export-KvmVM -IncludeSecrets -Path writes it to the file, and an import keeps it' {
        $file = Join-Path $script:Images 'pw1.xml'
        Export-KvmVM pw1 -IncludeSecrets -Path $file -Force | Should -BeOfType ([IO.FileInfo])
        Remove-KvmVM pw1 -Confirm:$false
        Import-KvmVM -Path $file
        (Get-Graphics).passwd | Should -Be 's3cret'
    }

    It 'Get-KvmVM and the tuning and device Gets never show it' {
        Get-KvmVM pw1 | Format-List * | Out-String | Should -Not -Match 's3cret'
        (Get-KvmVM pw1).Xml | Should -Not -Match 's3cret'
        Get-KvmVM pw1 | ConvertTo-Json -Depth 5 | Should -Not -Match 's3cret'
        Get-KvmCpu pw1 | Format-List * | Out-String | Should -Not -Match 's3cret'
        Get-KvmMemory pw1 | Format-List * | Out-String | Should -Not -Match 's3cret'
        Get-KvmDisk pw1 | Format-List * | Out-String | Should -Not -Match 's3cret'
    }

    It 'a cmdlet with -PassThru and -Verbose does not show it' {
        $out = Set-KvmCpu pw1 -Mode HostModel -PassThru -Verbose 4>&1 | Format-List * | Out-String
        $out | Should -Match 'pw1'
        $out | Should -Not -Match 's3cret'
    }
}

Describe 'XML from outside' {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'Import-KvmVM refuses a document with a DTD (<Case>)' -ForEach @(
        @{ Case = 'internal entity'; Text = "<!DOCTYPE domain [<!ENTITY n 'dtd1'>]><domain type='test'><name>&n;</name><memory>262144</memory><os><type>hvm</type></os></domain>" }
        @{ Case = 'external DTD'; Text = "<!DOCTYPE domain SYSTEM 'file:///etc/hostname'><domain type='test'><name>dtd2</name><memory>262144</memory><os><type>hvm</type></os></domain>" }
    ) {
        $Text | Import-KvmVM -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidDomainXml,KvmPS.Commands.ImportKvmVMCommand'
        $err[0].Exception.Message | Should -Match 'DTD'
        Get-KvmVM dtd* | Should -BeNullOrEmpty
    }
}
