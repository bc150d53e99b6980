# Dot-sourced by VirtInstallParity.System.Tests.ps1 and tests/bench/Measure-VirtInstallParity.ps1:
# the request pairs (the same VM asked of New-KvmVM and of virt-install 4.1) and the canonical form
# in which two definitions are compared: what reaches the guest, without names, UUIDs, MAC
# addresses, paths and the addresses libvirt assigns.

function Get-ParityPairs {
    # $Ctx: Dir (scratch), Pool (a dir pool in Dir), Net (an isolated network), Iso, Kernel,
    # Initrd, Image (an existing qcow2 in the pool), UserData (a cloud-init file), Type (kvm/qemu),
    # SshKey (a .pub file), HostDevice (a PCI node device of the host, or none), Tree and TreeIso
    # (a Fedora-like install tree: a directory and an ISO of it), NetworkConfig (a cloud-init
    # network-config file).
    param([hashtable] $Ctx)
    $pairs = [System.Collections.Generic.List[object]]::new()
    function Add-Pair([string] $Id, [hashtable] $Kvm, [string[]] $Vi, [switch] $NeedsDefaultNetwork) {
        $name = "kvmps-par-$Id"
        # Memory and vCPUs: 1 GiB and 2 unless the pair gives its own (both sides).
        $k = @{ Name = $name; VirtType = $Ctx.Type } + $Kvm
        if (-not $k.ContainsKey('Memory')) { $k.Memory = 1GB }
        if (-not $k.ContainsKey('VCpuCount')) { $k.VCpuCount = 2 }
        $v = @('--name', "$name-vi", '--virt-type', $Ctx.Type.ToLowerInvariant()) + $Vi
        if ($Vi -notcontains '--memory') { $v += '--memory', '1024' }
        if ($Vi -notcontains '--vcpus') { $v += '--vcpus', '2' }
        $pairs.Add([pscustomobject]@{ Id = $Id; Name = $name; Kvm = $k; Vi = $v; NeedsDefaultNetwork = [bool]$NeedsDefaultNetwork })
    }
    $newDisk = { param($n) @{ Pool = $Ctx.Pool; DiskSize = 2GB } }
    $viDisk = @('--disk', "pool=$($Ctx.Pool),size=2")
    $net = @{ Network = $Ctx.Net }
    $viNet = @('--network', "network=$($Ctx.Net)")
    $cd = @{ Cdrom = $Ctx.Iso }
    $viCd = @('--cdrom', $Ctx.Iso)
    $imp = @{ DiskPath = $Ctx.Image; Import = $true }
    $viImp = @('--import', '--disk', "path=$($Ctx.Image)")
    $kern = @{ Kernel = $Ctx.Kernel; Initrd = $Ctx.Initrd; KernelArgs = 'console=ttyS0' }
    $viKern = @('--install', "kernel=$($Ctx.Kernel),initrd=$($Ctx.Initrd),kernel_args=console=ttyS0")
    $sb = 'uefi,firmware.feature0.name=secure-boot,firmware.feature0.enabled=yes,firmware.feature1.name=enrolled-keys,firmware.feature1.enabled=yes'

    foreach ($os in 'win7', 'win8.1', 'win10', 'win11', 'win2k16', 'win2k19', 'win2k22') {
        Add-Pair "$($os -replace '\.', '')-cd" (@{ OSVariant = $os } + (& $newDisk) + $cd + $net) (@('--osinfo', $os) + $viDisk + $viCd + $viNet)
    }
    Add-Pair 'win10-vnc' (@{ OSVariant = 'win10'; Graphics = 'Vnc' } + (& $newDisk) + $cd + $net) (@('--osinfo', 'win10', '--graphics', 'vnc') + $viDisk + $viCd + $viNet)
    Add-Pair 'win10-tpm' (@{ OSVariant = 'win10'; Tpm = $true } + (& $newDisk) + $cd + $net) (@('--osinfo', 'win10', '--tpm', 'emulator') + $viDisk + $viCd + $viNet)
    Add-Pair 'win10-nographics' (@{ OSVariant = 'win10'; Graphics = 'None' } + $imp + $net) (@('--osinfo', 'win10', '--graphics', 'none') + $viImp + $viNet)
    Add-Pair 'win2k22-uefi' (@{ OSVariant = 'win2k22'; Firmware = 'Uefi' } + (& $newDisk) + $cd + $net) (@('--osinfo', 'win2k22', '--boot', 'uefi') + $viDisk + $viCd + $viNet)
    Add-Pair 'win2k19-sb' (@{ OSVariant = 'win2k19'; Firmware = 'Uefi'; SecureBoot = $true } + (& $newDisk) + $cd + $net) (@('--osinfo', 'win2k19', '--boot', $sb) + $viDisk + $viCd + $viNet)
    Add-Pair 'win11-defnet' (@{ OSVariant = 'win11' } + (& $newDisk) + $cd) (@('--osinfo', 'win11') + $viDisk + $viCd) -NeedsDefaultNetwork
    Add-Pair 'winxp-imp' (@{ OSVariant = 'winxp' } + $imp + $net) (@('--osinfo', 'winxp') + $viImp + $viNet)

    Add-Pair 'rhel90-cd' (@{ OSVariant = 'rhel9.0' } + (& $newDisk) + $cd + $net) (@('--osinfo', 'rhel9.0') + $viDisk + $viCd + $viNet)
    Add-Pair 'rhel86-imp' (@{ OSVariant = 'rhel8.6' } + $imp + $net) (@('--osinfo', 'rhel8.6') + $viImp + $viNet)
    Add-Pair 'rhel90-defnet' (@{ OSVariant = 'rhel9.0' } + $imp) (@('--osinfo', 'rhel9.0') + $viImp) -NeedsDefaultNetwork
    Add-Pair 'centos9-cd' (@{ OSVariant = 'centos-stream9' } + (& $newDisk) + $cd + $net) (@('--osinfo', 'centos-stream9') + $viDisk + $viCd + $viNet)
    Add-Pair 'centos7-imp' (@{ OSVariant = 'centos7.0' } + $imp + $net) (@('--osinfo', 'centos7.0') + $viImp + $viNet)
    Add-Pair 'fedora37-cd' (@{ OSVariant = 'fedora37' } + (& $newDisk) + $cd + $net) (@('--osinfo', 'fedora37') + $viDisk + $viCd + $viNet)
    Add-Pair 'fedora37-uefi' (@{ OSVariant = 'fedora37'; Firmware = 'Uefi' } + (& $newDisk) + $cd + $net) (@('--osinfo', 'fedora37', '--boot', 'uefi') + $viDisk + $viCd + $viNet)
    Add-Pair 'almalinux9-uefi-tpm' (@{ OSVariant = 'almalinux9'; Firmware = 'Uefi'; Tpm = $true } + $imp + $net) (@('--osinfo', 'almalinux9', '--boot', 'uefi', '--tpm', 'emulator') + $viImp + $viNet)
    Add-Pair 'debian11-imp' (@{ OSVariant = 'debian11' } + $imp + $net) (@('--osinfo', 'debian11') + $viImp + $viNet)
    Add-Pair 'debian10-vnc' (@{ OSVariant = 'debian10'; Graphics = 'Vnc' } + (& $newDisk) + $cd + $net) (@('--osinfo', 'debian10', '--graphics', 'vnc') + $viDisk + $viCd + $viNet)
    Add-Pair 'debian11-bridge' (@{ OSVariant = 'debian11'; Bridge = 'kvmpsparbr0' } + $imp) (@('--osinfo', 'debian11', '--network', 'bridge=kvmpsparbr0') + $viImp)
    Add-Pair 'ubuntu2204-cloud' (@{ OSVariant = 'ubuntu22.04'; CloudInit = $Ctx.UserData } + $imp + $net) (@('--osinfo', 'ubuntu22.04', '--cloud-init', "user-data=$($Ctx.UserData)") + $viImp + $viNet)
    Add-Pair 'ubuntu2204-sb' (@{ OSVariant = 'ubuntu22.04'; Firmware = 'Uefi'; SecureBoot = $true } + (& $newDisk) + $cd + $net) (@('--osinfo', 'ubuntu22.04', '--boot', $sb) + $viDisk + $viCd + $viNet)
    Add-Pair 'ubuntu2004-nographics' (@{ OSVariant = 'ubuntu20.04'; Graphics = 'None' } + $imp + $net) (@('--osinfo', 'ubuntu20.04', '--graphics', 'none') + $viImp + $viNet)
    Add-Pair 'opensuse154-cd' (@{ OSVariant = 'opensuse15.4' } + (& $newDisk) + $cd + $net) (@('--osinfo', 'opensuse15.4') + $viDisk + $viCd + $viNet)
    Add-Pair 'tumbleweed-imp' (@{ OSVariant = 'opensusetumbleweed' } + $imp + $net) (@('--osinfo', 'opensusetumbleweed') + $viImp + $viNet)
    Add-Pair 'alpine317-imp' (@{ OSVariant = 'alpinelinux3.17' } + $imp + $net) (@('--osinfo', 'alpinelinux3.17') + $viImp + $viNet)
    Add-Pair 'alpine317-kernel' (@{ OSVariant = 'alpinelinux3.17' } + (& $newDisk) + $kern + $net) (@('--osinfo', 'alpinelinux3.17') + $viDisk + $viKern + $viNet)
    Add-Pair 'freebsd131-cd' (@{ OSVariant = 'freebsd13.1' } + (& $newDisk) + $cd + $net) (@('--osinfo', 'freebsd13.1') + $viDisk + $viCd + $viNet)
    Add-Pair 'freebsd123-vnc' (@{ OSVariant = 'freebsd12.3'; Graphics = 'Vnc' } + $imp + $net) (@('--osinfo', 'freebsd12.3', '--graphics', 'vnc') + $viImp + $viNet)
    Add-Pair 'archlinux-imp' (@{ OSVariant = 'archlinux' } + $imp + $net) (@('--osinfo', 'archlinux') + $viImp + $viNet)
    Add-Pair 'linux2022-kernel' (@{ OSVariant = 'linux2022' } + (& $newDisk) + $kern + $net) (@('--osinfo', 'linux2022') + $viDisk + $viKern + $viNet)
    Add-Pair 'generic-imp' (@{ OSVariant = 'generic' } + $imp + $net) (@('--osinfo', 'generic') + $viImp + $viNet)
    Add-Pair 'generic-cd' (@{ OSVariant = 'generic' } + (& $newDisk) + $cd + $net) (@('--osinfo', 'generic') + $viDisk + $viCd + $viNet)
    Add-Pair 'generic-uefi' (@{ OSVariant = 'generic'; Firmware = 'Uefi' } + $imp + $net) (@('--osinfo', 'generic', '--boot', 'uefi') + $viImp + $viNet)

    # The install branch's newer parameters, each beside virt-install's spelling of it.
    $pool = $Ctx.Pool
    Add-Pair 'generic-disks' (@{ OSVariant = 'generic'; Disk = "pool=$pool,size=1", "pool=$pool,size=2,bus=sata,cache=none,discard=unmap" } + $cd + $net) (@('--osinfo', 'generic', '--disk', "pool=$pool,size=1", '--disk', "pool=$pool,size=2,bus=sata,cache=none,discard=unmap") + $viCd + $viNet)
    Add-Pair 'fedora37-pxe' (@{ OSVariant = 'fedora37'; Pxe = $true } + (& $newDisk) + $net) (@('--osinfo', 'fedora37', '--pxe') + $viDisk + $viNet)
    Add-Pair 'debian11-netmodel' (@{ OSVariant = 'debian11'; NetworkModel = 'e1000e' } + $imp + $net) (@('--osinfo', 'debian11', '--network', "network=$($Ctx.Net),model=e1000e") + $viImp)
    Add-Pair 'generic-bootorder' (@{ OSVariant = 'generic'; BootOrder = 'Network', 'Hd' } + $imp + $net) (@('--osinfo', 'generic', '--boot', 'network,hd') + $viImp + $viNet)
    Add-Pair 'rhel90-vncport' (@{ OSVariant = 'rhel9.0'; Graphics = 'Vnc'; GraphicsPort = 5977 } + $imp + $net) (@('--osinfo', 'rhel9.0', '--graphics', 'vnc,port=5977') + $viImp + $viNet)
    Add-Pair 'rhel90-listennone' (@{ OSVariant = 'rhel9.0'; Graphics = 'Spice'; GraphicsListen = 'none' } + $imp + $net) (@('--osinfo', 'rhel9.0', '--graphics', 'spice,listen=none') + $viImp + $viNet)
    Add-Pair 'debian11-direct' (@{ OSVariant = 'debian11'; DirectInterface = 'kvmpspardir0' } + $imp) (@('--osinfo', 'debian11', '--network', 'type=direct,source=kvmpspardir0,source.mode=bridge') + $viImp)
    Add-Pair 'fedora37-serialtcp' (@{ OSVariant = 'fedora37'; Graphics = 'None'; Serial = 'tcp=127.0.0.1:4555' } + $imp + $net) (@('--osinfo', 'fedora37', '--graphics', 'none', '--serial', 'tcp,host=127.0.0.1:4555,mode=bind,protocol.type=raw') + $viImp + $viNet)
    Add-Pair 'ubuntu2204-fs' (@{ OSVariant = 'ubuntu22.04'; Filesystem = "$($Ctx.Dir),share" } + $imp + $net) (@('--osinfo', 'ubuntu22.04', '--filesystem', "source.dir=$($Ctx.Dir),target.dir=share,driver.type=virtiofs", '--memorybacking', 'source.type=memfd,access.mode=shared') + $viImp + $viNet)
    Add-Pair 'ubuntu2204-sshkey' (@{ OSVariant = 'ubuntu22.04'; SshKey = $Ctx.SshKey } + $imp + $net) (@('--osinfo', 'ubuntu22.04', '--cloud-init', "root-ssh-key=$($Ctx.SshKey)") + $viImp + $viNet)
    # CPU topology, maximum vCPUs and memory, a generated root password, a network-config.
    Add-Pair 'rhel90-topology' (@{ OSVariant = 'rhel9.0'; Sockets = 1; Cores = 2; Threads = 1 } + $imp + $net) (@('--osinfo', 'rhel9.0', '--vcpus', '2,sockets=1,cores=2,threads=1') + $viImp + $viNet)
    Add-Pair 'fedora37-maxvcpus' (@{ OSVariant = 'fedora37'; VCpuCount = 4; MaxVCpuCount = 8; Sockets = 2; Cores = 2; Threads = 2 } + (& $newDisk) + $cd + $net) (@('--osinfo', 'fedora37', '--vcpus', '4,maxvcpus=8,sockets=2,cores=2,threads=2') + $viDisk + $viCd + $viNet)
    Add-Pair 'debian11-maxvcpus' (@{ OSVariant = 'debian11'; MaxVCpuCount = 6 } + $imp + $net) (@('--osinfo', 'debian11', '--vcpus', '2,maxvcpus=6') + $viImp + $viNet)
    Add-Pair 'debian11-maxmemory' (@{ OSVariant = 'debian11'; MaxMemory = 2GB } + $imp + $net) (@('--osinfo', 'debian11', '--memory', '1024,maxmemory=2048') + $viImp + $viNet)
    Add-Pair 'win10-maxmemory' (@{ OSVariant = 'win10'; Memory = 2GB; MaxMemory = 4GB } + (& $newDisk) + $cd + $net) (@('--osinfo', 'win10', '--memory', '2048,maxmemory=4096') + $viDisk + $viCd + $viNet)
    Add-Pair 'ubuntu2204-rootpw' (@{ OSVariant = 'ubuntu22.04'; RootPasswordGenerate = $true } + $imp + $net) (@('--osinfo', 'ubuntu22.04', '--cloud-init', 'root-password-generate=on') + $viImp + $viNet)
    Add-Pair 'ubuntu2204-netconfig' (@{ OSVariant = 'ubuntu22.04'; CloudInit = $Ctx.UserData; CloudInitNetworkConfig = $Ctx.NetworkConfig } + $imp + $net) (@('--osinfo', 'ubuntu22.04', '--cloud-init', "user-data=$($Ctx.UserData),network-config=$($Ctx.NetworkConfig)") + $viImp + $viNet)
    # -Location: New-KvmVM needs -Start to run it, so these pairs compare its -PrintXml output.
    foreach ($l in @(@('fedora37-location-dir', $Ctx.Tree), @('fedora37-location-iso', $Ctx.TreeIso))) {
        Add-Pair $l[0] (@{ OSVariant = 'fedora37'; Location = $l[1]; ExtraArgs = 'console=ttyS0' } + (& $newDisk) + $net) (@('--osinfo', 'fedora37', '--location', $l[1], '--extra-args', 'console=ttyS0') + $viDisk + $viNet)
        $pairs[-1] | Add-Member PrintXml $true
    }
    if ($Ctx.HostDevice) {
        Add-Pair 'generic-hostdev' (@{ OSVariant = 'generic'; HostDevice = $Ctx.HostDevice } + $imp + $net) (@('--osinfo', 'generic', '--host-device', $Ctx.HostDevice) + $viImp + $viNet)
    }
    $pairs
}

function ConvertTo-ParityFact([System.Xml.XmlElement] $E, [string] $Parent = '') {
    # One element as text: its name, sorted attributes and children (text as ='...'), without
    # what does not reach the guest or names this VM only.
    $skipChild = 'address', 'alias', 'mac', 'uuid', 'name', 'nvram', 'log'
    $attrs = foreach ($a in $E.Attributes) {
        $drop = ($E.LocalName -eq 'source' -and $a.LocalName -in 'file', 'pool', 'volume', 'dev', 'path') -or
            ($E.LocalName -eq 'controller' -and $a.LocalName -eq 'index') -or
            ($E.LocalName -eq 'target' -and $Parent -eq 'controller') -or
            ($E.LocalName -eq 'graphics' -and $a.LocalName -in 'port', 'tlsPort', 'autoport')
        if (-not $drop) { "$($a.LocalName)=$($a.Value)" }
    }
    $children = foreach ($c in $E.ChildNodes) {
        if ($c -is [System.Xml.XmlElement] -and $c.LocalName -notin $skipChild) { ConvertTo-ParityFact $c $E.LocalName }
    }
    $text = if ($E.LocalName -in 'kernel', 'initrd') { '=path' }
        elseif (-not $E.HasChildNodes -or $E.FirstChild -isnot [System.Xml.XmlText]) { '' }
        else { "='$($E.InnerText.Trim())'" }
    $s = "$($E.LocalName)[$((@($attrs) | Sort-Object) -join ',')]$text"
    if (@($children).Count) { $s += '(' + ((@($children) | Sort-Object) -join '; ') + ')' }
    $s
}

function Get-ParityFacts([string] $Xml) {
    # The canonical facts of a definition (as libvirt keeps it), one string each, sorted.
    $doc = [xml] $Xml
    $d = $doc.DocumentElement
    $facts = [System.Collections.Generic.List[string]]::new()
    $facts.Add("type=$($d.GetAttribute('type'))")
    foreach ($top in $d.ChildNodes) {
        if ($top -isnot [System.Xml.XmlElement]) { continue }
        switch ($top.LocalName) {
            { $_ -in 'name', 'uuid', 'metadata', 'description', 'title' } { break }
            'devices' {
                foreach ($dev in $top.ChildNodes) {
                    if ($dev -is [System.Xml.XmlElement]) { $facts.Add('device: ' + (ConvertTo-ParityFact $dev 'devices')) }
                }
                break
            }
            'os' {
                foreach ($o in $top.ChildNodes) {
                    if ($o -is [System.Xml.XmlElement] -and $o.LocalName -ne 'nvram') { $facts.Add('os: ' + (ConvertTo-ParityFact $o 'os')) }
                }
                if ($top.GetAttribute('firmware')) { $facts.Add("os: firmware=$($top.GetAttribute('firmware'))") }
                break
            }
            default { $facts.Add("$($top.LocalName): " + (ConvertTo-ParityFact $top 'domain')) }
        }
    }
    $facts | Sort-Object
}

function Split-VirtInstallXml([string] $Text) {
    # virt-install --print-xml prints one <domain> per step (install boot, final definition).
    [regex]::Matches($Text, '(?s)<domain\b.*?</domain>') | ForEach-Object Value
}

function Compare-ParityFacts([string[]] $KvmPS, [string[]] $VirtInstall) {
    # The facts only one side has: '-' virt-install only, '+' New-KvmVM only.
    @(Compare-Object -ReferenceObject @($VirtInstall) -DifferenceObject @($KvmPS) |
        ForEach-Object { ($_.SideIndicator -eq '=>' ? '+ ' : '- ') + $_.InputObject } | Sort-Object)
}

function Invoke-VirtInstallPrint([object[]] $Pairs, [string] $Uri) {
    # virt-install --print-xml --dry-run for every pair, four at a time (each run takes seconds):
    # Id -> its output (stdout), or the error text when it failed.
    $results = $Pairs | ForEach-Object -ThrottleLimit 4 -Parallel {
        $out = & virt-install --connect $using:Uri --print-xml --dry-run @($_.Vi) 2>&1
        [pscustomobject]@{ Id = $_.Id; Code = $LASTEXITCODE; Text = ($out | ForEach-Object { "$_" }) -join "`n" }
    }
    $map = @{}
    foreach ($r in $results) {
        # Two runs that both need a storage pool for a directory (the cloud-init seeds' one) race
        # to define it; the one that lost runs again now that the pool is there.
        if ($r.Code -ne 0 -and $r.Text -match "pool '[^']+' already exists") {
            $vi = @($Pairs | Where-Object Id -eq $r.Id)[0].Vi
            $out = & virt-install --connect $Uri --print-xml --dry-run @vi 2>&1
            $r = [pscustomobject]@{ Id = $r.Id; Code = $LASTEXITCODE; Text = ($out | ForEach-Object { "$_" }) -join "`n" }
        }
        $map[$r.Id] = $r
    }
    $map
}

function Get-DefinedXml([string] $Uri, [string] $Xml) {
    # Defines a definition, reads back what libvirt keeps (its normalised form), removes it again.
    $file = [IO.Path]::GetTempFileName()
    try {
        Set-Content -LiteralPath $file -Value $Xml
        $name = ([xml] $Xml).domain.name
        $null = virsh -c $Uri define $file 2>&1
        if ($LASTEXITCODE -ne 0) { throw "virsh define of virt-install's '$name' failed" }
        try { (virsh -c $Uri dumpxml --inactive $name) -join "`n" }
        finally { $null = virsh -c $Uri undefine --nvram $name 2>&1 }
    } finally {
        Remove-Item -LiteralPath $file
    }
}
