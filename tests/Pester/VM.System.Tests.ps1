# VMs on a real libvirtd with QEMU: the XML New-KvmVM writes, checked by libvirt's own schema
# and against what virt-install makes for the same request; undo on failure; storage ownership.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Uri = 'qemu:///system'
    $script:Dir = "/var/lib/libvirt/images/kvmps-vmtest-$PID"
    $null = New-Item -ItemType Directory -Force -Path $script:Dir
    $script:Net = "kvmps-vm-$PID"
    New-IsolatedTestNetwork $script:Net -Start
    $script:Iso = Join-Path $script:Dir 'install.iso'
    $isoContent = Join-Path $script:Dir 'readme.txt'
    'KvmPS test install medium' | Set-Content $isoContent
    & xorriso -as mkisofs -quiet -output $script:Iso -volid KVMPSTEST $isoContent 2>$null
    Reset-KvmSession
    Connect-KvmHost $script:Uri

    function Remove-TestVM([string] $Name) {
        virsh -c $script:Uri destroy $Name *> $null
        virsh -c $script:Uri undefine $Name --nvram *> $null
    }
}

AfterAll {
    foreach ($n in 'kvmps-vm-a', 'kvmps-vm-vi', 'kvmps-vm-undo', 'kvmps-vm-keep', 'kvmps-vm-uefi', 'kvmps-vm-base', 'kvmps-vm-child', 'kvmps-vm-twin') { Remove-TestVM $n }
    Remove-IsolatedTestNetwork $script:Net
    # virt-install makes a storage pool for the directory of a disk it is given: remove it too.
    $viPool = Split-Path $script:Dir -Leaf
    virsh -c $script:Uri pool-destroy $viPool *> $null
    virsh -c $script:Uri pool-undefine $viPool *> $null
    Remove-Item $script:Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'New-KvmVM on a real libvirtd' -Tag System {
    It 'writes XML that passes virt-xml-validate and matches virt-install on the points that matter' {
        $disk1 = Join-Path $script:Dir 'a.qcow2'
        $disk2 = Join-Path $script:Dir 'vi.qcow2'
        qemu-img create -q -f qcow2 $disk1 1G
        qemu-img create -q -f qcow2 $disk2 1G

        New-KvmVM -Name kvmps-vm-a -Memory 2GB -VCpuCount 2 -DiskPath $disk1 -Cdrom $script:Iso -OSVariant ubuntu22.04 `
            -Network $script:Net -MacAddress 52:54:00:aa:bb:01 -Graphics Vnc -GraphicsListen 127.0.0.1 -Start -WarningAction SilentlyContinue
        $ours = Join-Path $script:Dir 'ours.xml'
        virsh -c $script:Uri dumpxml --inactive kvmps-vm-a | Set-Content $ours
        virt-xml-validate $ours domain 2>&1 | Out-String | Should -Match 'validates'

        # The same request through virt-install, defined under another name. The persistent
        # definition is the install's final one (its step 2); the first boot runs live.
        $vi = virt-install --connect $script:Uri --print-xml 2 --name kvmps-vm-vi --memory 2048 --vcpus 2 `
            --disk "path=$disk2" --cdrom $script:Iso --osinfo ubuntu22.04 --network "network=$($script:Net),mac=52:54:00:aa:bb:02" `
            --graphics vnc,listen=127.0.0.1 --noautoconsole 2>$null
        $viFile = Join-Path $script:Dir 'vi-print.xml'
        $vi | Set-Content $viFile
        virsh -c $script:Uri define $viFile | Out-Null
        [xml] $a = virsh -c $script:Uri dumpxml --inactive kvmps-vm-a
        [xml] $b = virsh -c $script:Uri dumpxml --inactive kvmps-vm-vi

        $pick = {
            param([xml] $x)
            $d = $x.domain
            [ordered]@{
                type       = $d.type
                machine    = $d.os.type.machine
                arch       = $d.os.type.arch
                boot       = ($d.os.boot.dev -join ',')
                features   = (($d.features.ChildNodes.Name | Where-Object { $_ -in 'acpi', 'apic' }) -join ',')
                cpuMode    = $d.cpu.mode
                memoryKiB  = $d.memory.'#text'
                vcpu       = $d.vcpu.'#text'
                clock      = $d.clock.offset + ':' + (($d.clock.timer | ForEach-Object { "$($_.name)=$($_.tickpolicy)$($_.present)" }) -join ',')
                pm         = (($d.pm.ChildNodes | ForEach-Object { "$($_.Name)=$($_.enabled)" }) -join ',')
                disks      = (($d.devices.disk | ForEach-Object { "$($_.device):$($_.target.bus):$($_.target.dev):$($_.driver.type):$($_.driver.discard):$([bool]$_.readonly)" }) -join ' ')
                nicModel   = $d.devices.interface.model.type
                nicSource  = $d.devices.interface.source.network
                agent      = (@($d.devices.channel | Where-Object { $_.target.name -eq 'org.qemu.guest_agent.0' }).Count)
                tablet     = (@($d.devices.input | Where-Object { $_.type -eq 'tablet' -and $_.bus -eq 'usb' }).Count)
                graphics   = "$($d.devices.graphics.type):$($d.devices.graphics.listen)"
                usb        = (@($d.devices.controller | Where-Object { $_.type -eq 'usb' }).model -join ',')
                rootPorts  = @($d.devices.controller | Where-Object { $_.model -eq 'pcie-root-port' }).Count
                balloon    = $d.devices.memballoon.model
                rng        = "$($d.devices.rng.model):$($d.devices.rng.backend.'#text')"
                osinfo     = $d.metadata.libosinfo.os.id
            }
        }
        $ourFacts = & $pick $a
        $viFacts = & $pick $b
        $caps = [xml](virsh -c $script:Uri capabilities)
        $hostFeatures = @($caps.capabilities.host.cpu.feature.name)
        if ($hostFeatures -notcontains 'vmx' -and $hostFeatures -notcontains 'svm') {
            # Deliberate difference: where libvirt offers KVM but the host CPU shows no vmx/svm,
            # guests were seen not to run under KVM (and QEMU aborts with host-passthrough), so
            # New-KvmVM uses QEMU emulation there while virt-install picks kvm + host-passthrough.
            $ourFacts.type | Should -Be 'qemu'
            $ourFacts.cpuMode | Should -Not -Be 'host-passthrough'
            foreach ($k in 'type', 'cpuMode') { $ourFacts.Remove($k); $viFacts.Remove($k) }
        }
        foreach ($k in $viFacts.Keys) {
            $ourFacts[$k] | Should -Be $viFacts[$k] -Because "'$k' should match virt-install"
        }
        $ourFacts.features | Should -Be 'acpi,apic'
        $ourFacts.boot | Should -Be 'hd'
        $a.domain.devices.interface.mac.address | Should -Be '52:54:00:aa:bb:01'
    }

    It 'uses domain type kvm where it is usable, else qemu with a warning; -VirtType forces it' {
        $caps = [xml](virsh -c $script:Uri capabilities)
        $x86 = $caps.capabilities.guest.arch | Where-Object name -eq 'x86_64' | Select-Object -First 1
        $features = @($caps.capabilities.host.cpu.feature.name)
        $kvmOffered = $x86.domain.type -contains 'kvm'
        $usable = $kvmOffered -and ($features -contains 'vmx' -or $features -contains 'svm')
        $expected = if ($usable) { 'kvm' } else { 'qemu' }
        (Get-KvmVM kvmps-vm-a).DomainType | Should -Be $expected
        New-KvmVM -Name kvmps-vm-keep -Memory 128MB -WarningVariable w -WarningAction SilentlyContinue
        if ($usable) { $w | Should -BeNullOrEmpty } else { $w[0] | Should -Match 'software emulation' }
        Remove-TestVM kvmps-vm-keep
        if ($kvmOffered) {
            (New-KvmVM -Name kvmps-vm-keep -Memory 128MB -VirtType Kvm -PassThru).DomainType | Should -Be 'kvm'
            Remove-TestVM kvmps-vm-keep
        }
        (New-KvmVM -Name kvmps-vm-keep -Memory 128MB -VirtType Qemu -PassThru -WarningVariable w2).DomainType | Should -Be 'qemu'
        $w2 | Should -BeNullOrEmpty
    }

    It 'refuses a machine type the host does not offer' {
        New-KvmVM -Name kvmps-vm-bad -Memory 128MB -MachineType pc-q35-99.9 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'UnknownMachineType,KvmPS.Commands.NewKvmVMCommand'
        virsh -c $script:Uri dominfo kvmps-vm-bad 2>$null | Should -BeNullOrEmpty
    }

    It 'undoes everything it created when the start fails half-way' {
        # The serial log's directory does not exist: libvirt defines the VM, then fails to start it.
        $disk = Join-Path $script:Dir 'undo.qcow2'
        New-KvmVM -OSVariant linux2022 -Name kvmps-vm-undo -Memory 128MB -DiskPath $disk -DiskSize 64MB -SerialLogPath "$($script:Dir)/no-such-dir/serial.log" `
            -CloudInit "#cloud-config`n" -Start -ErrorAction SilentlyContinue -ErrorVariable err -WarningAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'NewVMFailed,KvmPS.Commands.NewKvmVMCommand'
        $err[0].ErrorDetails.Message | Should -Match 'was removed'
        virsh -c $script:Uri dominfo kvmps-vm-undo 2>$null | Should -BeNullOrEmpty
        Test-Path $disk | Should -BeFalse
        Test-Path (Join-Path $script:Dir 'kvmps-vm-undo-cidata.iso') | Should -BeFalse
    }

    It 'makes a NoCloud seed ISO that qemu and xorriso can read' {
        $disk = Join-Path $script:Dir 'ci.qcow2'
        New-KvmVM -OSVariant linux2022 -Name kvmps-vm-keep2 -Memory 128MB -DiskPath $disk -DiskSize 64MB -CloudInit "#cloud-config`nhostname: ci1`n" -WarningAction SilentlyContinue
        try {
            $iso = Join-Path $script:Dir 'kvmps-vm-keep2-cidata.iso'
            (xorriso -indev $iso -pvd_info 2>&1 | Select-String 'Volume Id') -match 'cidata' | Should -BeTrue
            $list = xorriso -indev $iso -find / -type f 2>$null
            ($list -join ' ') | Should -Match 'user-data'
            ($list -join ' ') | Should -Match 'meta-data'
            (qemu-img info --output=json $disk | ConvertFrom-Json).'virtual-size' | Should -Be 64MB
            $vm = Get-KvmVM kvmps-vm-keep2
            ($vm.Disks | Where-Object OwnedByVM).Path | Should -Be @($disk, $iso)
        } finally {
            Remove-KvmVM kvmps-vm-keep2 -DeleteStorage -Confirm:$false
        }
        Test-Path $disk | Should -BeFalse
    }

    It 'puts the disk and an uploaded seed ISO in a pool, and -DeleteStorage removes both volumes' {
        $poolDir = Join-Path $script:Dir 'pool'
        New-KvmStoragePool -Name "kvmps-vm-pool-$PID" -Type Dir -Path $poolDir -Start
        try {
            $vm = New-KvmVM -Name kvmps-vm-pooled -Memory 128MB -Pool "kvmps-vm-pool-$PID" -DiskSize 64MB -OSVariant linux2022 `
                -CloudInit "#cloud-config`nhostname: pooled`n" -PassThru -WarningAction SilentlyContinue
            $vols = Get-KvmVolume -Pool "kvmps-vm-pool-$PID"
            $vols.Name | Sort-Object | Should -Be @('kvmps-vm-pooled-cidata.iso', 'kvmps-vm-pooled.qcow2')
            ($vm.Disks | Where-Object OwnedByVM).Count | Should -Be 2
            $iso = ($vols | Where-Object Name -like '*.iso').Path
            (xorriso -indev $iso -pvd_info 2>&1 | Select-String 'Volume Id') -match 'cidata' | Should -BeTrue
            (qemu-img info --output=json (Join-Path $poolDir 'kvmps-vm-pooled.qcow2') | ConvertFrom-Json).format | Should -Be 'qcow2'
            Remove-KvmVM kvmps-vm-pooled -DeleteStorage -Confirm:$false
            Get-KvmVolume -Pool "kvmps-vm-pool-$PID" -Refresh | Should -BeNullOrEmpty
        } finally {
            Remove-TestVM kvmps-vm-pooled
            Remove-KvmStoragePool -Name "kvmps-vm-pool-$PID" -DeleteData -Confirm:$false -ErrorAction SilentlyContinue
        }
    }

    It 'keeps disks on Remove-KvmVM unless -DeleteStorage, and never deletes disks it did not create' {
        $mine = Join-Path $script:Dir 'user-owned.qcow2'
        qemu-img create -q -f qcow2 $mine 64M
        New-KvmVM -OSVariant linux2022 -Name kvmps-vm-keep3 -Memory 128MB -DiskPath $mine -Import -WarningAction SilentlyContinue
        Remove-KvmVM kvmps-vm-keep3 -DeleteStorage -Confirm:$false
        Test-Path $mine | Should -BeTrue
        $made = Join-Path $script:Dir 'made.qcow2'
        New-KvmVM -OSVariant linux2022 -Name kvmps-vm-keep4 -Memory 128MB -DiskPath $made -DiskSize 64MB -WarningAction SilentlyContinue
        Remove-KvmVM kvmps-vm-keep4 -Confirm:$false
        Test-Path $made | Should -BeTrue
    }

    It 'keeps owned storage another VM uses (its disk, or the base of its overlay) unless -Force, checked on disk' {
        $base = Join-Path $script:Dir 'shared-base.qcow2'
        $child = Join-Path $script:Dir 'shared-child.qcow2'
        New-KvmVM -OSVariant linux2022 -Name kvmps-vm-base -Memory 128MB -DiskPath $base -DiskSize 16MB -Graphics None -WarningAction SilentlyContinue
        qemu-img create -q -f qcow2 -b $base -F qcow2 $child
        New-KvmVM -OSVariant linux2022 -Name kvmps-vm-child -Memory 128MB -DiskPath $child -Import -Graphics None -WarningAction SilentlyContinue
        New-KvmVM -OSVariant linux2022 -Name kvmps-vm-twin -Memory 128MB -DiskPath $base -Import -Graphics None -WarningAction SilentlyContinue
        Remove-KvmVM kvmps-vm-base -DeleteStorage -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'StorageInUse,KvmPS.Commands.RemoveKvmVMCommand'
        $err[0].Exception.Message | Should -Match 'kvmps-vm-child, kvmps-vm-twin'
        Test-Path $base | Should -BeTrue
        virsh -c $script:Uri dominfo kvmps-vm-base 2>$null | Should -Not -BeNullOrEmpty
        Remove-TestVM kvmps-vm-twin
        # The overlay alone (read from the image header) still keeps the base.
        Remove-KvmVM kvmps-vm-base -DeleteStorage -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2[0].Exception.Message | Should -Match 'used by kvmps-vm-child\)'
        Test-Path $base | Should -BeTrue
        Remove-KvmVM kvmps-vm-base -DeleteStorage -Force -Confirm:$false -WarningAction SilentlyContinue
        Test-Path $base | Should -BeFalse
        Test-Path $child | Should -BeTrue
        Remove-TestVM kvmps-vm-child
        Remove-Item $child
    }

    It 'defines a UEFI VM whose firmware libvirt resolves' -Skip:(-not (Test-Path /usr/share/OVMF)) {
        New-KvmVM -Name kvmps-vm-uefi -Memory 256MB -Firmware Uefi -WarningAction SilentlyContinue
        $vm = Get-KvmVM kvmps-vm-uefi
        $vm.Firmware | Should -Be 'Uefi'
        [xml] $x = virsh -c $script:Uri dumpxml --inactive kvmps-vm-uefi
        $x.domain.os.firmware | Should -Be 'efi'
        Remove-KvmVM kvmps-vm-uefi -DeleteStorage -Confirm:$false
        virsh -c $script:Uri dominfo kvmps-vm-uefi 2>$null | Should -BeNullOrEmpty
    }
}

Describe 'VM lifecycle on a real libvirtd' -Tag System {
    BeforeAll {
        Reset-KvmSession
        Connect-KvmHost $script:Uri
        # No disk and no OS: the firmware idles, which is all the lifecycle needs, and it
        # ignores ACPI shutdown requests, which is what the timeout test needs.
        New-KvmVM -Name kvmps-vm-life -Memory 64MB -VCpuCount 2 -Graphics None -NoNetwork -WarningAction SilentlyContinue
    }
    AfterAll { Remove-TestVM kvmps-vm-life }

    It 'starts, suspends, resumes as virsh sees it' {
        (Start-KvmVM kvmps-vm-life -PassThru).State | Should -Be 'Running'
        (virsh -c $script:Uri domstate kvmps-vm-life | Select-Object -First 1) | Should -Be 'running'
        Suspend-KvmVM kvmps-vm-life
        (virsh -c $script:Uri domstate kvmps-vm-life | Select-Object -First 1) | Should -Be 'paused'
        (Resume-KvmVM kvmps-vm-life -PassThru).State | Should -Be 'Running'
        $vmPid = [int](Get-Content "/run/libvirt/qemu/kvmps-vm-life.pid")
        Get-Process -Id $vmPid | Should -Not -BeNullOrEmpty
    }

    It 'reports a graceful stop the guest ignores as a timeout and does not force it' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        Stop-KvmVM kvmps-vm-life -TimeoutSec 3 -ErrorAction SilentlyContinue -ErrorVariable err
        $sw.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 3
        $err[0].FullyQualifiedErrorId | Should -Be 'ShutdownTimeout,KvmPS.Commands.StopKvmVMCommand'
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        (virsh -c $script:Uri domstate kvmps-vm-life | Select-Object -First 1) | Should -Be 'running'
    }

    It 'forces it off with -Force and Wait-KvmVM sees ShutOff' {
        Stop-KvmVM kvmps-vm-life -TurnOff -Force
        (Wait-KvmVM kvmps-vm-life -State ShutOff -TimeoutSec 20 -PassThru).State | Should -Be 'ShutOff'
        (virsh -c $script:Uri domstate kvmps-vm-life | Select-Object -First 1) | Should -Be 'shut off'
    }

    It 'keeps the UUID through export, remove and import' {
        $uuid = (virsh -c $script:Uri domuuid kvmps-vm-life | Select-Object -First 1).Trim()
        $xml = Export-KvmVM kvmps-vm-life
        Remove-KvmVM kvmps-vm-life -Confirm:$false
        virsh -c $script:Uri dominfo kvmps-vm-life 2>$null | Should -BeNullOrEmpty
        ($xml | Import-KvmVM -PassThru).Uuid.ToString() | Should -Be $uuid
        (virsh -c $script:Uri domuuid kvmps-vm-life | Select-Object -First 1).Trim() | Should -Be $uuid
    }

    It 'stops and removes a transient VM without reporting it missing afterwards' {
        $file = Join-Path $script:Dir 'transient.xml'
        "<domain type='qemu'><name>kvmps-vm-transient</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os></domain>" | Set-Content $file
        virsh -c $script:Uri create $file | Out-Null
        (Get-KvmVM kvmps-vm-transient).Persistent | Should -BeFalse
        Stop-KvmVM kvmps-vm-transient -TurnOff -Force -PassThru -ErrorVariable err | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
        virsh -c $script:Uri create $file | Out-Null
        Remove-KvmVM kvmps-vm-transient -Force -Confirm:$false -ErrorVariable err2
        $err2 | Should -BeNullOrEmpty
        virsh -c $script:Uri dominfo kvmps-vm-transient 2>$null | Should -BeNullOrEmpty
    }

    It 'refuses XML that fails libvirt''s schema and defines nothing' {
        "<domain type='qemu'><name>kvmps-vm-schema</name><memory>65536</memory><os><type arch='x86_64'>hvm</type></os><bogus/></domain>" |
            Import-KvmVM -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'DomainXmlFailsSchema,KvmPS.Commands.ImportKvmVMCommand'
        virsh -c $script:Uri dominfo kvmps-vm-schema 2>$null | Should -BeNullOrEmpty
    }

    It 'changes vCPUs and memory in the configuration as virsh reads it' {
        Set-KvmVM kvmps-vm-life -VCpuCount 1 -Memory 96MB -Autostart
        [xml] $x = virsh -c $script:Uri dumpxml --inactive kvmps-vm-life
        $x.domain.vcpu.'#text' | Should -Be '1'
        $x.domain.memory.'#text' | Should -Be ([string](96MB / 1KB))
        (virsh -c $script:Uri dominfo kvmps-vm-life | Select-String 'Autostart:\s+(\w+)').Matches[0].Groups[1].Value | Should -Be 'enable'
        Set-KvmVM kvmps-vm-life -Autostart:$false
    }
}
