# A VM on a host that is not this machine (a qemu+tcp:// or qemu+ssh:// URI in KVMPS_REMOTE_URI,
# e.g. a libvirtd in a network namespace of the test run): its files are seen through the host's
# storage pools only. Nothing on this machine decides about them, and an imported disk is not owned.
BeforeDiscovery {
    $script:RemoteUri = $env:KVMPS_REMOTE_URI
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Uri = $env:KVMPS_REMOTE_URI
    $script:Pool = "kvmps-remote-$PID"
    $script:PoolDir = "/var/lib/libvirt/images/kvmps-remote-$PID"
}

AfterAll {
    if ($script:Uri) {
        foreach ($vm in 'kvmps-rh-import', 'kvmps-rh-local') {
            virsh -c $script:Uri destroy $vm *> $null
            virsh -c $script:Uri undefine $vm --nvram *> $null
        }
        virsh -c $script:Uri vol-delete --pool $script:Pool base.qcow2 *> $null
        virsh -c $script:Uri pool-destroy $script:Pool *> $null
        virsh -c $script:Uri pool-delete $script:Pool *> $null
        virsh -c $script:Uri pool-undefine $script:Pool *> $null
    }
}

Describe 'New-KvmVM on a remote host' -Tag System -Skip:(-not $script:RemoteUri -or $script:RemoteUri -notmatch '^[a-z]+\+(tcp|ssh|tls)://[^/]+/') {
    BeforeAll {
        $null = New-KvmStoragePool -Uri $script:Uri -Name $script:Pool -Type Dir -Path $script:PoolDir -Start
        $null = New-KvmVolume -Uri $script:Uri -Pool $script:Pool -Name base.qcow2 -Size 64MB -Format qcow2
        $script:Base = (Get-KvmVolume -Uri $script:Uri -Pool $script:Pool -Name base.qcow2).Path
    }

    It 'imports a disk the host''s pool holds, reading its format there, and does not own it' {
        Test-Path $script:Base | Should -BeFalse -Because 'the image is on the remote host, not here'
        $null = New-KvmVM -OSVariant linux2022 -Uri $script:Uri -Name kvmps-rh-import -Memory 256MB -DiskPath $script:Base -Import -Graphics None
        $disk = Get-KvmDisk -Uri $script:Uri kvmps-rh-import | Where-Object Device -eq 'disk'
        $disk.Path | Should -Be $script:Base
        $disk.Format | Should -Be 'qcow2'
        $disk.Owned | Should -BeFalse
        Remove-KvmVM -Uri $script:Uri kvmps-rh-import -DeleteStorage -Confirm:$false
        (Get-KvmVolume -Uri $script:Uri -Pool $script:Pool -Name base.qcow2).Path | Should -Be $script:Base
    }

    It 'refuses a file of this machine that no pool of the host holds, and runs nothing here' {
        $local = Join-Path ([IO.Path]::GetTempPath()) "kvmps-rh-$PID.qcow2"
        qemu-img create -q -f qcow2 $local 16M
        try {
            New-KvmVM -OSVariant linux2022 -Uri $script:Uri -Name kvmps-rh-local -Memory 256MB -DiskPath $local -Import -Graphics None -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -BeLike 'DiskNotFound,*'
            virsh -c $script:Uri dominfo kvmps-rh-local *> $null
            $LASTEXITCODE | Should -Not -Be 0
        } finally {
            Remove-Item $local -ErrorAction Ignore
        }
    }
}
