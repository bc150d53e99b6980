# New-KvmVM -Location for a host that is not this machine, over qemu+tcp:// to a private libvirtd
# of this file's own (set up as RemoteFiles.System.Tests.ps1 does): the tree or ISO is read here,
# its kernel and initrd (and the ISO, as the install boot's CD-ROM) are uploaded into -Pool through
# the volume API, the install boot starts from those volumes, and they are deleted once it runs.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'PrivateDaemon.ps1')
    $script:SkipReason = if (-not $env:KVMPS_SYSTEM) { 'system tier only (KVMPS_SYSTEM=1)' }
        elseif (-not (Get-Command xorriso -ErrorAction Ignore)) { 'needs xorriso' }
        else { Get-PrivateDaemonSkipReason }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'PrivateDaemon.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Daemon = $null
    $script:Local = Join-Path ([IO.Path]::GetTempPath()) "kvmps-rloc-local-$PID"
    $null = New-Item -ItemType Directory -Force $script:Local
    $script:Pool = 'kvmps-rloc'
    $script:PoolDir = "/var/lib/libvirt/images/kvmps-rloc-$PID"
    $script:Names = 'kvmps-rloc-tree', 'kvmps-rloc-iso', 'kvmps-rloc-nopool'
    if (-not $script:SkipReason) {
        # A start that fails removes its daemon and link itself.
        $t = New-TcpPrivateDaemon 'kvmps-rloc' -Net 251 -LinkPrefix kvmrl
        $script:Daemon = $t.Daemon
        $script:Uri = $t.Uri
        $script:HostSide = $t.HostSide
        $null = New-KvmStoragePool -Uri $script:Uri -Name $script:Pool -Type Dir -Path $script:PoolDir -Start

        # The test guest in a Fedora-like tree (images/pxeboot), as a directory and as an ISO.
        $image = Get-TestGuestImage
        $script:Tree = Join-Path $script:Local 'tree'
        $null = New-Item -ItemType Directory -Force "$($script:Tree)/images/pxeboot"
        Copy-Item $image.Kernel "$($script:Tree)/images/pxeboot/vmlinuz"
        Copy-Item $image.Initrd "$($script:Tree)/images/pxeboot/initrd.img"
        $script:Iso = Join-Path $script:Local 'tree.iso'
        & xorriso -as mkisofs -quiet -R -J -V 'KVMPS-RLOC' -o $script:Iso $script:Tree 2>$null
    }

    function Get-InstallVolumes([string] $Name) {
        $all = @(Get-KvmVolume -Uri $script:Uri -Pool $script:Pool -ErrorAction Stop)
        $all.Count | Should -BeGreaterThan 0 -Because 'the pool lists the VM''s disk'
        @($all | Where-Object Name -like "$Name-install-*" | ForEach-Object Name)
    }
}

AfterAll {
    Reset-KvmSession
    if ($script:Daemon) {
        foreach ($vm in $script:Names) {
            virsh -c $script:Uri destroy $vm *> $null
            virsh -c $script:Uri undefine $vm --nvram *> $null
        }
        Remove-PrivateDaemon $script:Daemon
        & ip link del $script:HostSide 2>$null
    }
    Remove-Item -Recurse -Force $script:Local -ErrorAction Ignore
}

Describe 'New-KvmVM -Location on a qemu+tcp:// host' -Tag System -Skip:([bool]$script:SkipReason) {
    It 'uploads the <Kind>''s kernel and initrd into -Pool there, boots them once, then deletes them' -ForEach @(
        @{ Kind = 'tree'; Name = 'kvmps-rloc-tree' }, @{ Kind = 'iso'; Name = 'kvmps-rloc-iso' }
    ) {
        $location = $Kind -eq 'iso' ? $script:Iso : $script:Tree
        $out = New-KvmVM -Uri $script:Uri -Name $Name -Memory 256MB -NoNetwork -OSVariant generic -Graphics None -MachineType pc `
            -Pool $script:Pool -DiskSize 16MB -Location $location -ExtraArgs (Get-TestGuestKernelCmdline -Hold) -Start -PassThru -WarningAction SilentlyContinue -Verbose 4>&1
        $verbose = (@($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)) -join "`n"
        $vm = @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })[-1]
        $vm.State | Should -Be 'Running'
        # The install boot runs from the host's volumes (nothing of this machine's paths).
        [xml] $live = virsh -c $script:Uri dumpxml $Name
        [string] $live.domain.os.kernel | Should -Be "$($script:PoolDir)/$Name-install-vmlinuz"
        [string] $live.domain.os.initrd | Should -Be "$($script:PoolDir)/$Name-install-initrd.img"
        $cd = @($live.domain.devices.disk | Where-Object device -eq 'cdrom')
        if ($Kind -eq 'iso') {
            $cd.Count | Should -Be 1
            [string] $cd[0].source.file | Should -Be "$($script:PoolDir)/$Name-install-media.iso"
            $verbose | Should -Match "Reading 'images/pxeboot/vmlinuz' out of"
        } else {
            $cd | Should -BeNullOrEmpty
            $verbose | Should -Match "Uploading '$([regex]::Escape("$($script:Tree)/images/pxeboot/vmlinuz"))'"
        }
        # Deleted once the install boot started; the final definition has no install kernel.
        Get-InstallVolumes $Name | Should -BeNullOrEmpty
        $verbose | Should -Match "into volume '$($script:Pool)/$Name-install-initrd.img'"
        $verbose | Should -Match 'The install boot has its kernel, initrd and media: Deleted volume'
        [xml] $final = virsh -c $script:Uri dumpxml --inactive $Name
        [string] $final.domain.os.kernel | Should -BeNullOrEmpty
        Remove-KvmVM -Uri $script:Uri -Name $Name -DeleteStorage -Force 3>$null
        virsh -c $script:Uri domstate $Name *> $null
        $LASTEXITCODE | Should -Not -Be 0
    }

    It 'refuses -Location without -Pool there and defines nothing' {
        $Error.Clear()
        & { $ErrorActionPreference = 'SilentlyContinue'; New-KvmVM -Uri $script:Uri -Name kvmps-rloc-nopool -Memory 128MB -NoNetwork -OSVariant generic -Graphics None -Location $script:Tree -Start }
        @($Error).Count | Should -Be 1
        $Error[0].FullyQualifiedErrorId | Should -BeLike 'LocationNeedsPool,*'
        $Error[0].Exception.Message | Should -BeLike '*-Pool*'
        virsh -c $script:Uri domstate kvmps-rloc-nopool *> $null
        $LASTEXITCODE | Should -Not -Be 0 -Because 'nothing was defined'
    }
}
