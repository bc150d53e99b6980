# New-KvmVM against virt-install 4.1 on the real daemon: the same request made by both, compared
# on everything that reaches the guest (machine, firmware, features, clock, CPU, every device with
# its bus and model, memory, vCPUs). New-KvmVM defines its VM; virt-install prints its
# definitions (--print-xml --dry-run: the install boot and the final one), which are defined too,
# so both are compared in the form libvirt keeps. Every difference left is one of the documented
# ones (docs/VIRT-INSTALL-PARITY.md), applied below as a named adjustment; any other fails.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'VirtInstallParity.Common.ps1')
    $script:ParDir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-par-$PID"
    $script:ParCtx = @{
        Dir = $script:ParDir; Pool = 'kvmps-par-pool'; Net = 'kvmps-par-net'; Iso = "$($script:ParDir)/install.iso"
        Kernel = "$($script:ParDir)/vmlinuz"; Initrd = "$($script:ParDir)/initrd"; Image = "$($script:ParDir)/import.qcow2"
        UserData = "$($script:ParDir)/user-data"; Type = 'Qemu'; SshKey = "$($script:ParDir)/id.pub"; HostDevice = 'pci_host'
        Tree = "$($script:ParDir)/tree"; TreeIso = "$($script:ParDir)/tree.iso"; NetworkConfig = "$($script:ParDir)/network-config"
    }
    # KVMPS_PARITY_ONLY (ids, comma-separated) runs only those pairs, e.g. while working on one.
    $only = @($env:KVMPS_PARITY_ONLY -split ',' | Where-Object { $_ })
    $script:ParIds = @(Get-ParityPairs $script:ParCtx | Where-Object { -not $only -or $_.Id -in $only } | ForEach-Object { @{ Id = $_.Id } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'VirtInstallParity.Common.ps1')
    $script:Uri = $SystemUri
    $script:Missing = @('virt-install', 'virt-xml-validate', 'virsh', 'qemu-img', 'xorriso' | Where-Object { -not (Get-Command $_ -ErrorAction Ignore) })
    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-par-$PID"
    $script:Made = @{ Pool = $false; Net = $false; Default = $false }
    if (-not $SystemTier -or $script:Missing) { return }

    $null = New-Item -ItemType Directory -Force -Path $script:Dir, "$($script:Dir)/iso"
    # The daemon (another user in CI) reads the pool directory.
    & chmod 755 $script:Dir
    Set-Content "$($script:Dir)/iso/readme" 'parity'
    & xorriso -as mkisofs -quiet -o "$($script:Dir)/install.iso" "$($script:Dir)/iso" 2>$null
    Remove-Item -Recurse "$($script:Dir)/iso"
    [IO.File]::WriteAllBytes("$($script:Dir)/vmlinuz", [byte[]]::new(4096))
    [IO.File]::WriteAllBytes("$($script:Dir)/initrd", [byte[]]::new(4096))
    & qemu-img create -q -f qcow2 "$($script:Dir)/import.qcow2" 1G
    Set-Content "$($script:Dir)/user-data" "#cloud-config`n"
    Set-Content "$($script:Dir)/network-config" "version: 2`nethernets:`n  eth0:`n    dhcp4: true`n"
    Set-Content "$($script:Dir)/id.pub" 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKvmpsParityKeyOnlyForTheTestSuite00000000 parity@kvmps'
    # A Fedora-like install tree (.treeinfo, images/pxeboot) for -Location, as a directory and as an ISO.
    $null = New-Item -ItemType Directory -Force -Path "$($script:Dir)/tree/images/pxeboot"
    [IO.File]::WriteAllBytes("$($script:Dir)/tree/images/pxeboot/vmlinuz", [byte[]]::new(8192))
    [IO.File]::WriteAllBytes("$($script:Dir)/tree/images/pxeboot/initrd.img", [byte[]]::new(4096))
    Set-Content "$($script:Dir)/tree/.treeinfo" ("[general]`nfamily = Fedora`nversion = 37`narch = x86_64`nname = Fedora 37`n`n[images-x86_64]`nkernel = images/pxeboot/vmlinuz`ninitrd = images/pxeboot/initrd.img`n`n" +
        "[tree]`narch = x86_64`nbuild_timestamp = 1`nplatforms = x86_64`nvariants = Everything`n`n[release]`nname = Fedora`nshort = Fedora`nversion = 37`n`n[header]`ntype = productmd.treeinfo`nversion = 1.2`n")
    & xorriso -as mkisofs -quiet -R -J -V 'Fedora-E-dvd-x86_64-37' -o "$($script:Dir)/tree.iso" "$($script:Dir)/tree" 2>$null

    # KVM when the host can run it, else QEMU's emulation: the same for both tools (New-KvmVM
    # keeps the default CPU model for KVM forced on a CPU without vmx/svm; docs).
    [xml] $caps = virsh -c $script:Uri capabilities
    $kvm = @($caps.capabilities.guest.arch.domain.type) -contains 'kvm' -and (Select-String -Quiet -Pattern '\b(vmx|svm)\b' /proc/cpuinfo)
    $ctx = @{
        Dir = $script:Dir; Pool = 'kvmps-par-pool'; Net = 'kvmps-par-net'; Iso = "$($script:Dir)/install.iso"
        Kernel = "$($script:Dir)/vmlinuz"; Initrd = "$($script:Dir)/initrd"; Image = "$($script:Dir)/import.qcow2"
        UserData = "$($script:Dir)/user-data"; Type = $kvm ? 'Kvm' : 'Qemu'; SshKey = "$($script:Dir)/id.pub"
        Tree = "$($script:Dir)/tree"; TreeIso = "$($script:Dir)/tree.iso"; NetworkConfig = "$($script:Dir)/network-config"
        # A PCI device of the host for --host-device (a definition only: nothing is started).
        HostDevice = @(virsh -c $script:Uri nodedev-list --cap pci 2>$null | Where-Object { $_ -match '^pci_' } | Select-Object -Last 1)[0]
    }
    $script:Pairs = @{}
    $only = @($env:KVMPS_PARITY_ONLY -split ',' | Where-Object { $_ })
    foreach ($p in Get-ParityPairs $ctx | Where-Object { -not $only -or $_.Id -in $only }) { $script:Pairs[$p.Id] = $p }

    $script:PoolsBefore = @(virsh -c $script:Uri pool-list --all --name | ForEach-Object Trim | Where-Object { $_ })
    virsh -c $script:Uri pool-define-as kvmps-par-pool dir --target $script:Dir *> $null
    virsh -c $script:Uri pool-start kvmps-par-pool *> $null
    $script:Made.Pool = $true
    New-IsolatedTestNetwork -Name kvmps-par-net -Uri $script:Uri -Start
    $script:Made.Net = $true
    # virt-install's default NIC is on the network "default": one is defined (not started) for
    # the pairs that leave the network out, if the daemon has none.
    virsh -c $script:Uri net-info default *> $null
    if ($LASTEXITCODE -ne 0) {
        New-IsolatedTestNetwork -Name default -Uri $script:Uri
        $script:Made.Default = $true
    }
    $script:Printed = Invoke-VirtInstallPrint @($script:Pairs.Values) $script:Uri

    function Get-AdjustedFacts([string[]] $Facts, [object] $Pair, [string] $Step, [string[]] $Theirs) {
        # The documented differences (docs/VIRT-INSTALL-PARITY.md), applied to New-KvmVM's facts.
        $k = $Pair.Kvm
        $secure = $k.SecureBoot -or ($k.OSVariant -eq 'win11' -and -not $k.ContainsKey('Firmware'))
        foreach ($f in $Facts) {
            # 1. Install lifecycle (the other half of the work): the install boot of virt-install
            #    ends at the installer's reboot; its final definition boots the disk, media ejected.
            if ($Step -eq 'install' -and $f -eq "on_reboot: on_reboot[]='restart'") { "on_reboot: on_reboot[]='destroy'"; continue }
            if ($Step -eq 'final' -and ($f -eq 'os: boot[dev=cdrom]' -or $f -match '^os: (kernel|initrd|cmdline)\[')) { continue }
            if ($Step -eq 'final' -and $k.Pxe -and $f -eq 'os: boot[dev=network]') { continue }
            if ($Step -eq 'final' -and $f -match '^device: disk\[device=cdrom' -and $Theirs -notcontains $f) { $f -replace 'source\[\]; ', ''; continue }
            # 2. Secure boot: SMM is on in the definition (libvirt turns it on at start for
            #    virt-install's too); win11 asks for secure-boot firmware, virt-install for any EFI.
            if ($secure -and $f -match '^features: ') { $f -replace '; smm\[state=on\]', ''; continue }
            if ($k.OSVariant -eq 'win11' -and -not $k.SecureBoot -and $f -match '^os: firmware\[\]\(feature') { continue }
            $f
        }
    }
}

AfterAll {
    if (-not $SystemTier -or $script:Missing) { return }
    foreach ($p in $script:Pairs.Values) {
        foreach ($n in $p.Name, "$($p.Name)-vi") {
            virsh -c $script:Uri undefine --nvram $n *> $null
        }
    }
    foreach ($v in @(virsh -c $script:Uri vol-list kvmps-par-pool --name 2>$null | ForEach-Object Trim | Where-Object { $_ -like 'kvmps-par-*' })) {
        virsh -c $script:Uri vol-delete --pool kvmps-par-pool $v *> $null
    }
    if ($script:Made.Pool) {
        virsh -c $script:Uri pool-destroy kvmps-par-pool *> $null
        virsh -c $script:Uri pool-undefine kvmps-par-pool *> $null
    }
    # Pools virt-install defined for directories it looked at (it does so even with --dry-run).
    foreach ($pool in @(virsh -c $script:Uri pool-list --all --name | ForEach-Object Trim | Where-Object { $_ -and $_ -notin $script:PoolsBefore })) {
        virsh -c $script:Uri pool-destroy $pool *> $null
        virsh -c $script:Uri pool-undefine $pool *> $null
    }
    if ($script:Made.Net) { Remove-IsolatedTestNetwork -Name kvmps-par-net -Uri $script:Uri }
    if ($script:Made.Default) { Remove-IsolatedTestNetwork -Name default -Uri $script:Uri }
    Remove-Item -Recurse -Force $script:Dir -ErrorAction Ignore
}

Describe 'New-KvmVM builds what virt-install 4.1 builds' -Tag System {
    It 'has at least 30 request pairs' {
        if ($env:KVMPS_PARITY_ONLY) { Set-ItResult -Skipped -Because 'KVMPS_PARITY_ONLY selects some pairs'; return }
        $ParIds.Count | Should -BeGreaterOrEqual 30
    }

    It '<Id>: the same definition as virt-install, valid for libvirt' -ForEach $ParIds {
        if (-not $SystemTier) { Set-ItResult -Skipped -Because 'System tier (KVMPS_SYSTEM=1)'; return }
        if ($Missing) { Set-ItResult -Skipped -Because "needs $($Missing -join ', ')"; return }
        $pair = $Pairs[$Id]
        if (-not $pair) { Set-ItResult -Skipped -Because "the daemon lists no PCI node device for --host-device"; return }
        $printed = $Printed[$Id]
        if ($printed.Code -ne 0 -and $printed.Text -match "cannot open directory '/var/lib/libvirt/boot'") {
            Set-ItResult -Skipped -Because "virt-install keeps cloud-init seeds in /var/lib/libvirt/boot, which this daemon's host lacks"; return
        }
        $printed.Code | Should -Be 0 -Because $printed.Text
        $steps = @(Split-VirtInstallXml $printed.Text)
        $steps.Count | Should -BeIn 1, 2

        $k = $pair.Kvm
        if ($pair.PrintXml) {
            # The definition it would make, defined and read back as virt-install's are.
            $printedOurs = @(New-KvmVM @k -Uri $Uri -PrintXml -WarningAction SilentlyContinue -ErrorAction Stop)
            $xml = Get-DefinedXml $Uri $printedOurs[-1]
        } else {
            New-KvmVM @k -Uri $Uri -WarningAction SilentlyContinue -ErrorAction Stop | Out-Null
            $xml = (virsh -c $Uri dumpxml --inactive $pair.Name) -join "`n"
        }
        $file = Join-Path $Dir "$($pair.Name).xml"
        Set-Content -LiteralPath $file -Value $xml
        virt-xml-validate $file domain *> $null
        $LASTEXITCODE | Should -Be 0 -Because "virt-xml-validate accepts New-KvmVM's definition of $Id"
        $ours = @(Get-ParityFacts $xml)

        for ($i = 0; $i -lt $steps.Count; $i++) {
            $step = $steps.Count -eq 1 ? 'only' : $i -eq 0 ? 'install' : 'final'
            $theirsXml = Get-DefinedXml $Uri $steps[$i]
            Set-Content -LiteralPath "$file.vi" -Value $theirsXml
            virt-xml-validate "$file.vi" domain *> $null
            $LASTEXITCODE | Should -Be 0 -Because "virt-xml-validate accepts virt-install's $step definition of $Id"
            $theirs = @(Get-ParityFacts $theirsXml)
            if ($step -eq 'install') {
                # New-KvmVM's persistent definition is its final one: the SMBIOS ds=nocloud serial
                # is on its first boot only (VMInstall.System.Tests.ps1 compares that boot itself).
                $theirs = @($theirs | Where-Object { $_ -notmatch '^os: smbios\[mode=sysinfo\]$' -and $_ -notmatch '^sysinfo: ' })
            }
            # A printed request has its own first boot to compare with virt-install's install boot.
            $mine = $pair.PrintXml -and $step -eq 'install' ? @(Get-ParityFacts (Get-DefinedXml $Uri $printedOurs[0])) : $ours
            $diff = Compare-ParityFacts @(Get-AdjustedFacts $mine $pair $step $theirs) $theirs
            $diff -join "`n" | Should -BeNullOrEmpty -Because "$Id, virt-install's $step definition ('-' only virt-install, '+' only New-KvmVM)"
        }
        if (-not $pair.PrintXml) { Remove-KvmVM -Uri $Uri -Name $pair.Name -DeleteStorage -Confirm:$false }
    }
}
