# New-KvmVM -Location with an ISO image on a real libvirtd: the installer's kernel and initrd are
# read out of the ISO (KvmPS's own ISO 9660 reader), boot once with the ISO as CD-ROM, and are
# deleted once that boot has started; the final definition has no install kernel and the medium
# ejected. The ISO holds the test guest in Ubuntu's layout (casper/vmlinuz, casper/initrd), whose
# installer stand-in marks the disk and reboots.
BeforeDiscovery {
    $script:HaveImageTools = [bool](Get-Command apt-get -ErrorAction Ignore) -and (Test-Path /bin/busybox) -and [bool](Get-Command xorriso -ErrorAction Ignore)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Uri = $SystemUri
    # A private daemon has its own /var/lib/libvirt: its guests' files go to the temp directory then.
    $parent = if ($env:KVMPS_SYSTEM_URI) { [IO.Path]::GetTempPath() } else { '/var/lib/libvirt/images' }
    $script:Work = New-TestGuestWorkDirectory -Prefix 'kvmps-vmiso-' -Parent $parent
    $script:Name = 'kvmps-vmiso-boot'
    function Remove-TestVM([string] $Name) {
        virsh -c $script:Uri destroy $Name *> $null
        virsh -c $script:Uri undefine $Name --nvram *> $null
    }
}

AfterAll {
    Remove-TestVM $script:Name
    Remove-Item $script:Work -Recurse -Force -ErrorAction Ignore
}

Describe 'New-KvmVM -Location <ISO> on a real libvirtd' -Tag System {
    It 'boots the kernel and initrd of the ISO once with the ISO as CD-ROM, then deletes them and keeps the final definition' -Skip:(-not $HaveImageTools) {
        $image = Get-TestGuestImage
        $tree = Join-Path $script:Work 'tree'
        $null = New-Item -ItemType Directory -Force -Path "$tree/casper", "$tree/.disk"
        Copy-Item $image.Kernel "$tree/casper/vmlinuz"
        Copy-Item $image.Initrd "$tree/casper/initrd"
        'Ubuntu-Server 22.04.1 LTS "Jammy Jellyfish" - Release amd64' | Set-Content "$tree/.disk/info"
        $iso = Join-Path $script:Work 'ubuntu.iso'
        & xorriso -as mkisofs -quiet -R -J -V 'Ubuntu-Server 22.04.1 LTS amd64' -o $iso $tree 2>$null
        Remove-Item -Recurse -Force $tree
        $log = Join-Path $script:Work 'boot.log'
        $disk = Join-Path $script:Work 'boot.raw'

        # i440fx: the cloud kernel of the test guest has IDE (ata_piix) for the CD-ROM, no AHCI.
        $vm = New-KvmVM -Uri $script:Uri -Name $script:Name -Memory 256MB -Graphics None -MachineType pc -OSVariant ubuntu22.04 -NoNetwork `
            -Location $iso -ExtraArgs (Get-TestGuestKernelCmdline -Hold -Extra 'kvmps.installonce=/dev/vda') `
            -SerialLogPath $log -DiskPath $disk -DiskSize 64MB -DiskFormat Raw -Wait -TimeoutSec 300 -PassThru -WarningAction SilentlyContinue -Verbose 4>&1 |
            Tee-Object -Variable out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $verbose = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $vm.State | Should -Be 'Running'
        # The kernel of the ISO ran: the installer stand-in wrote its marker at the first boot.
        $bytes = [byte[]]::new(15)
        $fs = [IO.File]::OpenRead($disk)
        try { $null = $fs.Read($bytes, 0, 15) } finally { $fs.Dispose() }
        [Text.Encoding]::ASCII.GetString($bytes) | Should -Be 'KVMPS-INSTALLED'
        ($verbose -join "`n") | Should -Match "Reading 'casper/vmlinuz' out of '$([regex]::Escape($iso))'"
        ($verbose -join "`n") | Should -Match "Reading 'casper/initrd' out of"
        # The copies were beside the disk and are gone.
        @(Get-ChildItem $script:Work -Filter "$($script:Name)-install-*") | Should -BeNullOrEmpty
        ($verbose -join "`n") | Should -Match 'The install boot has loaded its kernel and initrd: Deleted file'
        # The final configuration runs: no install kernel, the CD-ROM drive with the medium out.
        [xml] $live = virsh -c $script:Uri dumpxml $script:Name
        [string] $live.domain.os.kernel | Should -BeNullOrEmpty
        $cd = @($live.domain.devices.disk | Where-Object device -eq 'cdrom')
        $cd.Count | Should -Be 1
        $cd[0].source | Should -BeNullOrEmpty
        [string] $live.domain.on_reboot | Should -Not -Be 'destroy'
        Remove-TestVM $script:Name
    }
}
