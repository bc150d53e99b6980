# The two-step install on a real libvirtd with QEMU: the persistent definition is the final one
# while the install's first boot runs, both compared with virt-install --print-xml's two steps and
# checked by virt-xml-validate; and a booted guest (the test guest's installer stand-in) that
# reboots once and then runs the final configuration, with the CD-ROM ejected.
BeforeDiscovery {
    $script:HaveImageTools = [bool](Get-Command apt-get -ErrorAction Ignore) -and (Test-Path /bin/busybox)
    $script:HaveVirtInstall = [bool](Get-Command virt-install -ErrorAction Ignore)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Uri = $SystemUri
    # A private daemon has its own /var/lib/libvirt: its guests' files go to the temp directory then.
    $parent = if ($env:KVMPS_SYSTEM_URI) { [IO.Path]::GetTempPath() } else { '/var/lib/libvirt/images' }
    $script:Work = New-TestGuestWorkDirectory -Prefix 'kvmps-vminstall-' -Parent $parent
    $script:Iso = Join-Path $script:Work 'install.iso'
    $content = Join-Path $script:Work 'readme.txt'
    'KvmPS install medium' | Set-Content $content
    & xorriso -as mkisofs -quiet -output $script:Iso -volid KVMPSINST $content 2>$null
    $script:Names = 'kvmps-vminst-2p', 'kvmps-vminst-vi', 'kvmps-vminst-boot'
    # virt-install keeps its cloud-init ISO in a 'boot' pool (/var/lib/libvirt/boot) it makes if missing.
    $script:HadBootPool = [bool](virsh -c $script:Uri pool-list --all --name 2>$null | Where-Object { $_.Trim() -eq 'boot' })
    Reset-KvmSession
    Connect-KvmHost $script:Uri
    function Remove-TestVM([string] $Name) {
        virsh -c $script:Uri destroy $Name *> $null
        virsh -c $script:Uri undefine $Name --nvram *> $null
    }
    function Get-Facts([xml] $x) {
        $d = $x.domain
        [ordered]@{
            boot      = @($d.os.boot | ForEach-Object dev) -join ','
            onReboot  = if ($d.on_reboot) { $d.on_reboot } else { 'restart' }
            cdroms    = @($d.devices.disk | Where-Object device -eq 'cdrom').Count
            inserted  = @($d.devices.disk | Where-Object device -eq 'cdrom' | Where-Object { $_.source.file }).Count
            serial    = [string]($d.sysinfo.system.entry | Where-Object name -eq 'serial').'#text'
            smbios    = [string]$d.os.smbios.mode
            kernel    = [string]$d.os.kernel
        }
    }
}

AfterAll {
    foreach ($n in $script:Names) { Remove-TestVM $n }
    # virt-install makes a storage pool for the directory of a disk it is given: remove it too.
    $viPool = Split-Path $script:Work -Leaf
    virsh -c $script:Uri pool-destroy $viPool *> $null
    virsh -c $script:Uri pool-undefine $viPool *> $null
    if (-not $script:HadBootPool) {
        virsh -c $script:Uri pool-destroy boot *> $null
        virsh -c $script:Uri pool-undefine boot *> $null
    }
    Remove-Item $script:Work -Recurse -Force -ErrorAction Ignore
}

Describe 'New-KvmVM installs in two steps on a real libvirtd' -Tag System {
    It 'runs the first boot live while the persistent definition is the final one, as virt-install --print-xml has them' -Skip:(-not $HaveVirtInstall) {
        $disk = Join-Path $script:Work '2p.qcow2'
        New-KvmVM -Name kvmps-vminst-2p -Memory 256MB -OSVariant linux2022 -MachineType pc -Graphics None -NoNetwork -DiskPath $disk -DiskSize 64MB `
            -Cdrom $script:Iso -CloudInit "#cloud-config`n" -Start -WarningAction SilentlyContinue
        $live = Join-Path $script:Work 'live.xml'
        $persistent = Join-Path $script:Work 'persistent.xml'
        virsh -c $script:Uri dumpxml kvmps-vminst-2p | Set-Content $live
        virsh -c $script:Uri dumpxml --inactive kvmps-vminst-2p | Set-Content $persistent
        foreach ($f in $live, $persistent) { virt-xml-validate $f domain 2>&1 | Out-String | Should -Match 'validates' }
        (virsh -c $script:Uri domstate kvmps-vminst-2p | Out-String) | Should -Match 'running'
        (virsh -c $script:Uri dominfo kvmps-vminst-2p | Select-String 'Persistent' | Out-String) | Should -Match 'yes'

        # The same request through virt-install, both steps.
        $disk2 = Join-Path $script:Work 'vi.qcow2'
        qemu-img create -q -f qcow2 $disk2 64M
        $userData = Join-Path $script:Work 'user-data'
        "#cloud-config`n" | Set-Content $userData
        $common = @('--connect', $script:Uri, '--name', 'kvmps-vminst-vi', '--memory', '256', '--osinfo', 'linux2022', '--machine', 'pc',
            '--graphics', 'none', '--disk', "path=$disk2", '--cdrom', $script:Iso, '--cloud-init', "user-data=$userData", '--network', 'none', '--noautoconsole')
        $vi1 = (virt-install @common --print-xml 1 2>$null) -join "`n"
        $vi2 = (virt-install @common --print-xml 2 2>$null) -join "`n"
        $vi1 | Should -Match '<domain'
        $vi2 | Should -Match '<domain'
        $ours1 = Get-Facts ([xml](Get-Content $live -Raw))
        $ours2 = Get-Facts ([xml](Get-Content $persistent -Raw))
        $theirs1 = Get-Facts ([xml]$vi1)
        $theirs2 = Get-Facts ([xml]$vi2)
        foreach ($k in $theirs1.Keys) {
            $ours1[$k] | Should -Be $theirs1[$k] -Because "first boot '$k' should match virt-install --print-xml 1"
            $ours2[$k] | Should -Be $theirs2[$k] -Because "final '$k' should match virt-install --print-xml 2"
        }
        # What that means, spelled out.
        $ours1.boot | Should -Be 'cdrom,hd'
        $ours1.onReboot | Should -Be 'destroy'
        $ours1.serial | Should -Be 'ds=nocloud'
        $ours2.boot | Should -Be 'hd'
        $ours2.inserted | Should -Be 0
        Remove-TestVM kvmps-vminst-2p
    }

    It 'boots the installer once, and after its reboot -Wait starts the final configuration the guest then sees' -Skip:(-not $HaveImageTools) {
        $image = Get-TestGuestImage
        $log = Join-Path $script:Work 'boot.log'
        $disk = Join-Path $script:Work 'boot.raw'
        $sw = [Diagnostics.Stopwatch]::StartNew()
        # i440fx: the cloud kernel of the test guest has IDE (ata_piix) for the CD-ROM, no AHCI.
        $vm = New-KvmVM -Name kvmps-vminst-boot -Memory 256MB -Graphics None -MachineType pc -OSVariant linux2022 -NoNetwork `
            -Kernel $image.Kernel -Initrd $image.Initrd -KernelArgs (Get-TestGuestKernelCmdline -Hold -Extra 'kvmps.installonce=/dev/vda') `
            -SerialLogPath $log -DiskPath $disk -DiskSize 64MB -DiskFormat Raw -Cdrom $script:Iso -Wait -TimeoutSec 300 -PassThru -WarningAction SilentlyContinue
        $waited = $sw.Elapsed.TotalSeconds
        Write-Information ("New-KvmVM -Wait through the installer's reboot to the final configuration: {0:N1} s" -f $waited) -InformationAction Continue
        $vm.State | Should -Be 'Running'
        # The installer stand-in wrote its marker at the first boot.
        $bytes = [byte[]]::new(15)
        $fs = [IO.File]::OpenRead($disk)
        try { $null = $fs.Read($bytes, 0, 15) } finally { $fs.Dispose() }
        [Text.Encoding]::ASCII.GetString($bytes) | Should -Be 'KVMPS-INSTALLED'
        # What runs now is the final configuration: the medium is out of the drive.
        [xml] $live = virsh -c $script:Uri dumpxml kvmps-vminst-boot
        $facts = Get-Facts $live
        $facts.onReboot | Should -Be 'restart'
        $facts.cdroms | Should -Be 1
        $facts.inserted | Should -Be 0
        $report = Read-TestGuestReport -SerialLog $log -TimeoutSec 120
        $cd = @($report.disk | Where-Object Driver -eq 'sr')
        $cd.Count | Should -Be 1
        # With the medium in, the drive has the ISO's size; empty, Linux's sr driver cannot read a
        # capacity and assumes 0x1fffff sectors.
        $cd[0].Sectors | Should -Not -Be ((Get-Item $script:Iso).Length / 512) -Because 'the medium is out after the install reboot'
        $cd[0].Sectors | Should -Be 0x1fffff -Because 'the guest sees an empty CD-ROM drive after the install reboot'
        ($report.disk | Where-Object Name -eq 'vda').Sectors | Should -Be (64MB / 512)
        $report.uuid | Should -Be ([string]$vm.Uuid)
        Remove-TestVM kvmps-vminst-boot
    }
}
