# The files of a VM on a host that is not this machine, over qemu+tcp:// to a private libvirtd of
# this file's own (its own mount and network namespace, reached over a veth pair with addresses of
# that pair only, TCP without authentication on that address alone). Its paths are its own: they
# are looked at through its storage pools, or the request is refused, and nothing of this machine
# is read or written for them.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'PrivateDaemon.ps1')
    $script:SkipReason = if (-not $env:KVMPS_SYSTEM) { 'system tier only (KVMPS_SYSTEM=1)' } else { Get-PrivateDaemonSkipReason }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'PrivateDaemon.ps1')
    $script:Daemon = $null
    $script:Local = Join-Path ([IO.Path]::GetTempPath()) "kvmps-rfiles-local-$PID"
    $null = New-Item -ItemType Directory -Force $script:Local
    $script:Pool = 'kvmps-rfiles'
    $script:PoolDir = "/var/lib/libvirt/images/kvmps-rfiles-$PID"
    if (-not $script:SkipReason) {
        # A start that fails removes its daemon and link itself.
        $t = New-TcpPrivateDaemon 'kvmps-rfiles' -Net 252 -LinkPrefix kvmrf
        $script:Daemon = $t.Daemon
        $script:Uri = $t.Uri
        $script:HostSide = $t.HostSide
        $null = New-KvmStoragePool -Uri $script:Uri -Name $script:Pool -Type Dir -Path $script:PoolDir -Start
        $null = New-KvmVolume -Uri $script:Uri -Pool $script:Pool -Name data.qcow2 -Size 16MB -Format qcow2
        $script:HostVolume = (Get-KvmVolume -Uri $script:Uri -Pool $script:Pool -Name data.qcow2).Path
    }

    function Assert-Refused([string] $Id, [scriptblock] $Block, [string] $Name) {
        $Error.Clear()
        & { $ErrorActionPreference = 'SilentlyContinue'; & $Block }
        $err = @($Error)
        $err.Count | Should -Be 1 -Because "one refusal ($Id)"
        $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        if ($Name) {
            virsh -c $script:Uri domstate $Name *> $null
            $LASTEXITCODE | Should -Not -Be 0 -Because 'nothing was defined'
        }
        $err[0]
    }
}

AfterAll {
    Reset-KvmSession
    if ($script:Daemon) {
        foreach ($vm in 'kvmps-rf-disk', 'kvmps-rf-local', 'kvmps-rf-import', 'kvmps-rf-import-local', 'kvmps-rf-seed', 'kvmps-rf-loc', 'kvmps-rf-bak') {
            virsh -c $script:Uri destroy $vm *> $null
            virsh -c $script:Uri undefine $vm --nvram *> $null
        }
        Remove-PrivateDaemon $script:Daemon
        & ip link del $script:HostSide 2>$null
    }
    Remove-Item -Recurse -Force $script:Local -ErrorAction Ignore
}

Describe 'A VM''s files on a qemu+tcp:// host' -Tag System -Skip:([bool]$script:SkipReason) {
    It 'attaches a -Disk file of a pool there with the format the pool reports' {
        Test-Path $script:HostVolume | Should -BeFalse -Because 'the volume is the host''s, not this machine''s'
        $null = New-KvmVM -Uri $script:Uri -Name kvmps-rf-disk -Memory 128MB -NoNetwork -OSVariant generic -Graphics None -Disk "path=$($script:HostVolume)" 3>$null
        $disk = Get-KvmDisk -Uri $script:Uri kvmps-rf-disk | Where-Object Path -eq $script:HostVolume
        $disk.Format | Should -Be 'qcow2'
        ([xml](virsh -c $script:Uri dumpxml kvmps-rf-disk)).domain.devices.disk | Where-Object { $_.source.file -eq $script:HostVolume } |
            ForEach-Object { $_.driver.type } | Should -Be 'qcow2'
        Remove-KvmVM -Uri $script:Uri -Name kvmps-rf-disk -Force
        virsh -c $script:Uri vol-info --pool $script:Pool data.qcow2 *> $null
        $LASTEXITCODE | Should -Be 0 -Because 'an attached file is not the VM''s own: removing the VM keeps it'
    }

    It 'refuses a -Disk file of this machine that no pool there holds, without format=, and defines nothing' {
        $file = Join-Path $script:Local 'here.qcow2'
        & qemu-img create -q -f qcow2 $file 16M
        $e = Assert-Refused 'DiskFormatUnknown' { New-KvmVM -Uri $script:Uri -Name kvmps-rf-local -Memory 128MB -NoNetwork -OSVariant generic -Graphics None -Disk "path=$file" } -Name kvmps-rf-local
        $e.Exception.Message | Should -BeLike '*format=*'
    }

    It 'puts the -CloudInit seed of an imported disk into that disk''s pool there; -DeleteStorage removes the seed, not the disk' {
        $null = New-KvmVM -Uri $script:Uri -Name kvmps-rf-seed -Memory 128MB -NoNetwork -OSVariant generic -Graphics None -DiskPath $script:HostVolume -Import -CloudInit "#cloud-config`n" 3>$null
        $cdrom = Get-KvmDisk -Uri $script:Uri kvmps-rf-seed | Where-Object Device -eq 'cdrom'
        $cdrom.Path | Should -BeLike "$($script:PoolDir)/*"
        Test-Path $cdrom.Path | Should -BeFalse -Because 'the seed was uploaded to the host, not written here'
        $seed = [regex]::Escape([IO.Path]::GetFileName($cdrom.Path))
        (virsh -c $script:Uri vol-list --pool $script:Pool | Out-String) | Should -Match $seed
        Remove-KvmVM -Uri $script:Uri -Name kvmps-rf-seed -DeleteStorage -Force 3>$null
        $left = virsh -c $script:Uri vol-list --pool $script:Pool | Out-String
        $left | Should -Not -Match $seed -Because '-DeleteStorage removes the owned seed through the pool'
        $left | Should -Match 'data\.qcow2' -Because 'the imported disk is not the VM''s own'
    }

    It 'refuses -Location, read on this machine, for a host that is not it when no -Pool takes its files' {
        # With -Pool its kernel and initrd are uploaded there (RemoteLocation.System.Tests.ps1).
        $e = Assert-Refused 'LocationNeedsPool' { New-KvmVM -Uri $script:Uri -Name kvmps-rf-loc -Memory 128MB -NoNetwork -OSVariant generic -Graphics None -Location $script:Local -Start } -Name kvmps-rf-loc
        $e.Exception.Message | Should -BeLike '*give -Pool*'
    }

    It 'refuses Backup-KvmVM of a VM there before anything is written here' {
        $null = New-KvmVM -Uri $script:Uri -Name kvmps-rf-bak -Memory 128MB -NoNetwork -OSVariant generic -Graphics None -Pool $script:Pool -DiskSize 16MB 3>$null
        $dest = Join-Path $script:Local 'backup'
        $e = Assert-Refused 'BackupNeedsLocalHost' { Backup-KvmVM -Uri $script:Uri -Name kvmps-rf-bak -Destination $dest }
        $e.Exception.Message | Should -BeLike '*Export-KvmVM -IncludeStorage*' -Because 'the refusal names what does work from here'
        Test-Path $dest | Should -BeFalse
        Remove-KvmVM -Uri $script:Uri -Name kvmps-rf-bak -DeleteStorage -Force
    }

    It 'imports a -DiskPath disk the host''s pool holds, reading its format there, and does not own it' {
        $null = New-KvmVM -OSVariant generic -Uri $script:Uri -Name kvmps-rf-import -Memory 128MB -NoNetwork -DiskPath $script:HostVolume -Import -Graphics None 3>$null
        $disk = Get-KvmDisk -Uri $script:Uri kvmps-rf-import | Where-Object Device -eq 'disk'
        $disk.Path | Should -Be $script:HostVolume
        $disk.Format | Should -Be 'qcow2'
        $disk.Owned | Should -BeFalse
        Remove-KvmVM -Uri $script:Uri kvmps-rf-import -DeleteStorage -Confirm:$false
        (Get-KvmVolume -Uri $script:Uri -Pool $script:Pool -Name data.qcow2).Path | Should -Be $script:HostVolume
    }

    It 'refuses a -DiskPath file of this machine that no pool of the host holds, and defines nothing' {
        $file = Join-Path $script:Local 'import-here.qcow2'
        & qemu-img create -q -f qcow2 $file 16M
        $null = Assert-Refused 'DiskNotFound' { New-KvmVM -OSVariant generic -Uri $script:Uri -Name kvmps-rf-import-local -Memory 128MB -NoNetwork -DiskPath $file -Import -Graphics None } -Name kvmps-rf-import-local
    }
}
