# New-KvmVM's install in two steps and its virt-install options, on the test driver: binding,
# refusals (ErrorIds and categories), -PrintXml and -WhatIf, and what the definition gets.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-newvminstall-$PID"
    $null = New-Item -ItemType Directory -Force -Path $script:Dir
    $script:Iso = Join-Path $script:Dir 'install.iso'
    'medium' | Set-Content $script:Iso
    function Get-Boot([xml] $x) { @($x.domain.os.boot | ForEach-Object dev) -join ',' }
    # Every install here boots something, so it needs an OS variant (OSVariantRequired); one for all.
    $PSDefaultParameterValues = @{ 'New-KvmVM:OSVariant' = 'linux2022' }
}

AfterAll {
    Remove-Item $script:Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'New-KvmVM installs in two steps' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It '-PrintXml writes the first boot and the final XML and makes nothing' {
        $xml = New-KvmVM -Name pr1 -Memory 512MB -Cdrom $script:Iso -Pool default-pool -DiskSize 1GB -CloudInit "#cloud-config`n" -PrintXml
        $xml.Count | Should -Be 2
        [xml] $first = $xml[0]
        [xml] $final = $xml[1]
        Get-Boot $first | Should -Be 'cdrom,hd'
        $first.domain.on_reboot | Should -Be 'destroy'
        $first.domain.sysinfo.system.entry.'#text' | Should -Be 'ds=nocloud'
        Get-Boot $final | Should -Be 'hd'
        $final.domain.on_reboot | Should -Be 'restart'
        @($final.domain.devices.disk | Where-Object device -eq 'cdrom' | Where-Object { $_.source }).Count | Should -Be 0
        Get-KvmVM pr1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-KvmVolume -Pool default-pool -ErrorAction SilentlyContinue | Where-Object Name -like 'pr1*' | Should -BeNullOrEmpty
    }

    It '-PrintXml of a request without an install writes one XML' {
        $xml = @(New-KvmVM -Name pr2 -Memory 256MB -PrintXml)
        $xml.Count | Should -Be 1
        ([xml] $xml[0]).domain.name | Should -Be 'pr2'
    }

    It '-WhatIf puts both XMLs on the verbose stream and defines nothing' {
        $v = New-KvmVM -Name wi1 -Memory 256MB -Cdrom $script:Iso -Start -WhatIf -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        $text = ($v.Message -join "`n")
        $text | Should -Match 'First-boot XML:'
        $text | Should -Match '<on_reboot>destroy</on_reboot>'
        $text | Should -Match 'Final XML:'
        Get-KvmVM wi1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It '-Start boots the install while the persistent definition boots the disk with the medium ejected' {
        $vm = New-KvmVM -Name st1 -Memory 256MB -Cdrom $script:Iso -Pool default-pool -DiskSize 1GB -Start -PassThru
        $vm.State | Should -Be 'Running'
        [xml] $persistent = Export-KvmVM st1
        Get-Boot $persistent | Should -Be 'hd'
        $cd = $persistent.domain.devices.disk | Where-Object device -eq 'cdrom'
        $cd.source | Should -BeNullOrEmpty
        $persistent.domain.on_reboot | Should -Be 'restart'
        Remove-KvmVM st1 -Force -DeleteStorage -Confirm:$false
    }

    It 'without -Start keeps the medium in, after the disk, for a later start' {
        New-KvmVM -Name ns1 -Memory 256MB -Cdrom $script:Iso -Pool default-pool -DiskSize 1GB
        [xml] $x = Export-KvmVM ns1
        Get-Boot $x | Should -Be 'hd,cdrom'
        ($x.domain.devices.disk | Where-Object device -eq 'cdrom').source.file | Should -Be $script:Iso
        Remove-KvmVM ns1 -DeleteStorage -Confirm:$false
    }

    It '-Wait gives up at -TimeoutSec with InstallTimeout and leaves the install running' {
        New-KvmVM -Name wt1 -Memory 256MB -Cdrom $script:Iso -Wait -TimeoutSec 1 -PassThru -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'InstallTimeout,KvmPS.Commands.NewKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        (Get-KvmVM wt1).State | Should -Be 'Running'
    }
}

Describe 'New-KvmVM takes what admins pass to virt-install' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It 'makes several disks from -Disk strings and hashtables' {
        $file = Join-Path $script:Dir 'data.qcow2'
        $vm = New-KvmVM -Name dk1 -Memory 256MB -Pool default-pool -DiskSize 1GB -Disk 'size=2,bus=sata,cache=none,io=native', @{ Path = $file; Size = 1GB; Discard = 'ignore' } -PassThru
        @($vm.Disks).Count | Should -Be 3
        [xml] $x = Export-KvmVM dk1
        @($x.domain.devices.disk.source.file | Sort-Object) | Should -Be @(@('/default-pool/dk1.qcow2', '/default-pool/dk1-1.qcow2', $file) | Sort-Object)
        ($x.domain.devices.disk | Where-Object { $_.target.bus -eq 'sata' }).driver.cache | Should -Be 'none'
        Test-Path $file | Should -BeTrue
        Remove-KvmVM dk1 -DeleteStorage -Confirm:$false
        Test-Path $file | Should -BeFalse
    }

    It 'writes CPU, memory, boot, NIC, graphics and serial options' {
        $xml = New-KvmVM -Name op1 -Memory 512MB -MaxMemory 1GB -VCpuCount 2 -MaxVCpuCount 4 -Sockets 2 -Cores 2 -Network default `
            -NetworkModel e1000e -BootOrder network, hd -GraphicsPort 5910 -Serial file=/var/log/op1.log -PrintXml
        [xml] $x = @($xml)[-1]
        $x.domain.vcpu.current | Should -Be '2'
        $x.domain.vcpu.'#text' | Should -Be '4'
        $x.domain.memory.'#text' | Should -Be ([string](1GB / 1KB))
        $x.domain.currentMemory.'#text' | Should -Be ([string](512MB / 1KB))
        $x.domain.cpu.topology.sockets | Should -Be '2'
        $x.domain.devices.interface.model.type | Should -Be 'e1000e'
        Get-Boot $x | Should -Be 'network,hd'
        $x.domain.devices.graphics.port | Should -Be '5910'
        $x.domain.devices.serial.type | Should -Be 'file'
        $x.domain.devices.serial.source.path | Should -Be '/var/log/op1.log'
    }

    It 'never shows the graphics password: not in -PrintXml, -WhatIf, -Debug or errors' {
        $pw = ConvertTo-SecureString 'pa55-w0rd-xyz' -AsPlainText -Force
        $xml = New-KvmVM -Name gp1 -Memory 256MB -GraphicsPassword $pw -PrintXml
        $xml | Should -Not -Match 'pa55-w0rd-xyz'
        $xml | Should -Match 'passwd="\(hidden\)"'
        $DebugPreference = 'Continue'
        $all = New-KvmVM -Name gp1 -Memory 256MB -GraphicsPassword $pw -Verbose *>&1 | Out-String
        $DebugPreference = 'SilentlyContinue'
        $all | Should -Not -Match 'pa55-w0rd-xyz'
        Export-KvmVM gp1 | Should -Not -Match 'pa55-w0rd-xyz'
        Export-KvmVM gp1 -IncludeSecrets | Should -Match 'passwd=.pa55-w0rd-xyz.'
    }

    It 'refuses <Case> with <Id> before making anything' -ForEach @(
        @{ Case = 'an unknown disk option'; Params = @{ Disk = 'size=2,colour=red' }; Id = 'UnknownDiskOption' }
        @{ Case = 'a bad bus'; Params = @{ Disk = 'size=2,bus=floppy' }; Id = 'InvalidDiskOption' }
        @{ Case = 'a bad size'; Params = @{ Disk = 'size=lots' }; Id = 'InvalidDiskSize' }
        @{ Case = 'io=native without cache=none'; Params = @{ Disk = 'size=2,io=native' }; Id = 'InvalidDiskSpec' }
        @{ Case = 'a disk spec of another type'; Params = @{ Disk = 42 }; Id = 'InvalidDiskSpec' }
        @{ Case = 'a disk without a pool on a host without the default pool'; Params = @{ Disk = 'size=2' }; Id = 'PoolNotFound'; Category = 'ObjectNotFound' }
        @{ Case = 'two install sources'; Params = @{ Cdrom = '/x.iso'; Pxe = $true }; Id = 'ConflictingInstallSources' }
        @{ Case = '-Location without -Start'; Params = @{ Location = '/srv/tree' }; Id = 'LocationNeedsStart' }
        @{ Case = '-ExtraArgs without -Location'; Params = @{ ExtraArgs = 'inst.ks=x' }; Id = 'ExtraArgsWithoutLocation' }
        @{ Case = '-TimeoutSec without -Wait'; Params = @{ TimeoutSec = 10 }; Id = 'TimeoutWithoutWait' }
        @{ Case = 'fewer max vCPUs'; Params = @{ VCpuCount = 4; MaxVCpuCount = 2 }; Id = 'MaxVCpuCountTooSmall' }
        @{ Case = 'a topology that does not multiply up'; Params = @{ VCpuCount = 4; Sockets = 3 }; Id = 'TopologyMismatch' }
        @{ Case = 'less max memory'; Params = @{ MaxMemory = 128MB }; Id = 'MaxMemoryTooSmall' }
        @{ Case = '-NoNetwork with -Network'; Params = @{ NoNetwork = $true; Network = 'default' }; Id = 'ConflictingNetworkParameters' }
        @{ Case = 'an unknown boot device'; Params = @{ BootOrder = 'usb' }; Id = 'InvalidBootDevice' }
        @{ Case = 'a graphics port without graphics'; Params = @{ Graphics = 'None'; GraphicsPort = 5901 }; Id = 'GraphicsOptionWithoutGraphics' }
        @{ Case = 'a port with listen none'; Params = @{ GraphicsListen = 'none'; GraphicsPort = 5901 }; Id = 'GraphicsPortWithoutListen' }
        @{ Case = 'a TCP serial port off loopback'; Params = @{ Serial = 'tcp=0.0.0.0:4555' }; Id = 'InvalidSerial' }
        @{ Case = 'a share without a tag'; Params = @{ Filesystem = '/srv/share' }; Id = 'InvalidFilesystem' }
    ) {
        $before = @(Get-KvmVM).Count
        New-KvmVM -Name bad2 -Memory 256MB @Params -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be "$Id,KvmPS.Commands.NewKvmVMCommand"
        $err[0].CategoryInfo.Category | Should -Be $(if ($Category) { $Category } else { 'InvalidArgument' })
        @(Get-KvmVM).Count | Should -Be $before
    }

    It 'binds -NetworkModel to the models it knows and -CpuMode to the Set-KvmCpu modes' {
        { New-KvmVM -Name b1 -Memory 256MB -NetworkModel ne2k -PrintXml } | Should -Throw -ErrorId 'ParameterArgumentValidationError,KvmPS.Commands.NewKvmVMCommand'
        ([xml] (New-KvmVM -Name b1 -Memory 256MB -CpuMode HostModel -PrintXml)).domain.cpu.mode | Should -Be 'host-model'
    }
}

Describe 'New-KvmVM writes cloud-init user-data as virt-install --cloud-init does' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
    }

    It '-RootPasswordGenerate returns the password as a SecureString on the VM, never as text' {
        $out = New-KvmVM -Name ci1 -Memory 256MB -DiskPath (Join-Path $script:Dir 'ci1.qcow2') -DiskSize 1GB -RootPasswordGenerate -SshKey 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyOnly admin@example' -Verbose 4>&1
        $vm = $out | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }
        $vm.GeneratedRootPassword | Should -BeOfType [securestring]
        $plain = [Net.NetworkCredential]::new('', $vm.GeneratedRootPassword).Password
        $plain | Should -Match '^[A-Za-z0-9]{16}$'
        ($out | Out-String) | Should -Not -Match $plain
        @($vm.Disks | Where-Object Device -eq 'cdrom').Count | Should -Be 1
        Remove-KvmVM ci1 -DeleteStorage -Confirm:$false
    }

    It 'refuses -SshKey with a whole -CloudInit user-data (CloudInitGivenTwice)' {
        New-KvmVM -Name ci2 -Memory 256MB -DiskPath (Join-Path $script:Dir 'ci2.qcow2') -DiskSize 1GB -CloudInit "#cloud-config`n" -RootPasswordGenerate -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'CloudInitGivenTwice,KvmPS.Commands.NewKvmVMCommand'
        Get-KvmVM ci2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
