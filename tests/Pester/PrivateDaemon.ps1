# Dot-sourced by the fault tests: a libvirtd of the test's own, in a mount namespace and a network
# namespace made here, with private run/lib/cache/log directories, a copy of /etc/libvirt, its own
# pid files and host UUID. It is reached through its unix socket from the test's namespace, and
# stopped, killed, frozen (SIGSTOP) and restarted by its pid. Nothing here touches another daemon.

function Get-PrivateDaemonSkipReason {
    # A plain reason when this machine cannot run a private daemon, else $null.
    if (-not $IsLinux) { return 'private libvirt daemons need Linux' }
    if ((& id -u) -ne '0') { return 'private libvirt daemons need root (mount and network namespaces)' }
    foreach ($tool in 'unshare', 'ip', 'libvirtd', 'virtlogd', 'virsh') {
        if (-not (Get-Command $tool -ErrorAction Ignore)) { return "'$tool' is not installed" }
    }
    $probe = "kvmps-fault-probe-$PID"
    & ip netns add $probe 2>$null
    if ($LASTEXITCODE -ne 0) { return "'ip netns add' does not work here" }
    & ip netns exec $probe unshare -m --propagation private true 2>$null
    $ok = $LASTEXITCODE -eq 0
    & ip netns del $probe 2>$null
    if (-not $ok) { return "'unshare -m' does not work here" }
    return $null
}

function New-PrivateDaemon([string] $Name, [scriptblock] $Configure) {
    # Makes the directories and configuration, then starts virtlogd and libvirtd. $Configure runs
    # before the start with the daemon object: it may add to etc/libvirtd.conf and add the
    # properties Mounts (pairs: a directory or file of the test, the path it covers in the
    # daemon's mount namespace) and DaemonArgs (e.g. --listen), which every start then uses.
    $dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-$Name-$PID"
    if (Test-Path $dir) { Remove-Item -Recurse -Force $dir }
    foreach ($sub in 'run', 'lib', 'cache', 'log', 'pool') { $null = New-Item -ItemType Directory -Path (Join-Path $dir $sub) }
    & cp -a /etc/libvirt (Join-Path $dir 'etc')
    # A copy of the QEMU capabilities cache saves the new daemon seconds of probing QEMU.
    if (Test-Path /var/cache/libvirt/qemu) { & cp -a /var/cache/libvirt/qemu (Join-Path $dir 'cache/') 2>$null }
    # A host of its own: no domains, pools or autostarted networks from the copied configuration.
    Get-ChildItem (Join-Path $dir 'etc/qemu'), (Join-Path $dir 'etc/storage') -Recurse -File -ErrorAction Ignore | Remove-Item -Force
    $conf = Join-Path $dir 'etc/libvirtd.conf'
    Add-Content $conf "`nhost_uuid = `"$([guid]::NewGuid())`""
    $d = [pscustomobject]@{
        Name  = $Name
        Dir   = $dir
        Netns = "$Name-$PID"
        Uri   = "qemu+unix:///system?socket=$dir/run/libvirt-sock"
        Pool  = Join-Path $dir 'pool'
    }
    & ip netns add $d.Netns
    if ($LASTEXITCODE -ne 0) { throw "ip netns add $($d.Netns) failed" }
    if ($Configure) { & $Configure $d }
    Start-PrivateDaemon $d -WithLogDaemon
    return $d
}

function Start-PrivateDaemon($Daemon, [switch] $WithLogDaemon) {
    # A fresh mount namespace each time: the daemons started in it keep it alive.
    $dir = $Daemon.Dir
    $logd = if ($WithLogDaemon) { "virtlogd -d -p $dir/virtlogd.pid" } else { 'true' }
    $extra = @($Daemon.PSObject.Properties['Mounts'].Value | Where-Object { $_ } | ForEach-Object { "mount --bind '$($_[0])' '$($_[1])'" }) -join "`n"
    $daemonArgs = "$($Daemon.PSObject.Properties['DaemonArgs'].Value)"
    $script = @"
set -e
mount --bind $dir/run /run/libvirt
mount --bind $dir/lib /var/lib/libvirt
mount --bind $dir/etc /etc/libvirt
mount --bind $dir/log /var/log/libvirt
mount --bind $dir/cache /var/cache/libvirt
$extra
$logd
libvirtd -d -p $dir/libvirtd.pid $daemonArgs
"@
    foreach ($m in '/run/libvirt', '/var/lib/libvirt', '/var/log/libvirt', '/var/cache/libvirt') {
        if (-not (Test-Path $m)) { $null = New-Item -ItemType Directory -Path $m }
    }
    Remove-Item "$dir/libvirtd.pid" -ErrorAction Ignore
    & ip netns exec $Daemon.Netns unshare -m --propagation private sh -c $script
    if ($LASTEXITCODE -ne 0) { throw "starting the private libvirtd in $($Daemon.Netns) failed" }
    $answered = Wait-Until { & virsh -c $Daemon.Uri version *> $null; $LASTEXITCODE -eq 0 } -TimeoutSec 30
    if (-not $answered) { throw "the private libvirtd at $($Daemon.Uri) did not answer" }
}

function Get-PrivateDaemonPid($Daemon, [string] $Which = 'libvirtd') {
    $file = Join-Path $Daemon.Dir "$Which.pid"
    if (Test-Path $file) { return [int](Get-Content $file -Raw).Trim() }
    return $null
}

function Test-LiveProcess([int] $Id) {
    # Whether a process still runs. A killed one whose parent has not reaped it (a zombie) does
    # not, once all its threads are gone: a leader that is a zombie while other threads still
    # exit holds its sockets and files yet.
    $state = "$(Get-Content "/proc/$Id/status" -ErrorAction Ignore | Select-String '^State:')"
    if (-not $state) { return $false }
    if ($state -notmatch 'State:\s+[ZX]') { return $true }
    return @(Get-ChildItem "/proc/$Id/task" -ErrorAction Ignore).Count -gt 1
}

function Send-PrivateDaemonSignal($Daemon, [string] $Signal) {
    # STOP (freeze), CONT (thaw), KILL, TERM: always to the pid this daemon wrote.
    $id = Get-PrivateDaemonPid $Daemon
    if ($id) { & kill "-$Signal" $id 2>$null }
}

function Stop-PrivateDaemon($Daemon, [switch] $Kill) {
    $id = Get-PrivateDaemonPid $Daemon
    if (-not $id -or -not (Get-Process -Id $id -ErrorAction Ignore)) { return }
    & kill -CONT $id 2>$null
    & kill $(if ($Kill) { '-KILL' } else { '-TERM' }) $id 2>$null
    $null = Wait-Until { -not (Get-Process -Id $id -ErrorAction Ignore) } -TimeoutSec 20
}

function Remove-PrivateDaemon($Daemon) {
    # Ends what this daemon started (its QEMU processes, by their pid files), then the daemons,
    # then the namespace and the directory.
    if (-not $Daemon) { return }
    Stop-PrivateDaemon $Daemon -Kill
    Get-ChildItem (Join-Path $Daemon.Dir 'run/qemu') -Filter *.pid -ErrorAction Ignore | ForEach-Object {
        $q = [int](Get-Content $_.FullName -Raw).Trim()
        if ($q) { & kill -KILL $q 2>$null }
    }
    $logd = Get-PrivateDaemonPid $Daemon 'virtlogd'
    if ($logd) { & kill -TERM $logd 2>$null; $null = Wait-Until { -not (Get-Process -Id $logd -ErrorAction Ignore) } -TimeoutSec 10 }
    & ip netns del $Daemon.Netns 2>$null
    Remove-Item -Recurse -Force $Daemon.Dir -ErrorAction Ignore
}

function New-TcpPrivateDaemon([string] $Name, [int] $Net, [string] $LinkPrefix) {
    # A private daemon answering qemu+tcp:// without authentication on one address of a veth pair
    # of its own (10.<Net>.n.2, this side 10.<Net>.n.1): a remote host for the tests. Returns the
    # daemon, its URI and this side's link (to delete after Remove-PrivateDaemon).
    $d = New-PrivateDaemon $Name
    Stop-PrivateDaemon $d
    $n = $PID % 200 + 20
    $hostSide = "$($LinkPrefix)a$($PID % 100000)"
    $ns = "$($LinkPrefix)b$($PID % 100000)"
    & ip link add $hostSide type veth peer name $ns
    & ip link set $ns netns $d.Netns
    & ip addr add "10.$Net.$n.1/30" dev $hostSide
    & ip link set $hostSide up
    & ip -n $d.Netns addr add "10.$Net.$n.2/30" dev $ns
    & ip -n $d.Netns link set $ns up
    & ip -n $d.Netns link set lo up
    Add-Content (Join-Path $d.Dir 'etc/libvirtd.conf') "`nlisten_tls = 0`nlisten_tcp = 1`nauth_tcp = `"none`"`nlisten_addr = `"10.$Net.$n.2`""
    # As Start-PrivateDaemon, with --listen for the TCP socket.
    $dir = $d.Dir
    $script = "set -e; mount --bind $dir/run /run/libvirt; mount --bind $dir/lib /var/lib/libvirt; mount --bind $dir/etc /etc/libvirt; " +
        "mount --bind $dir/log /var/log/libvirt; mount --bind $dir/cache /var/cache/libvirt; libvirtd -d --listen -p $dir/libvirtd.pid"
    & ip netns exec $d.Netns unshare -m --propagation private sh -c $script
    $uri = "qemu+tcp://10.$Net.$n.2/system"
    $result = [pscustomobject]@{ Daemon = $d; Uri = $uri; HostSide = $hostSide }
    if (-not (Wait-Until { & virsh -c $uri version *> $null; $LASTEXITCODE -eq 0 } -TimeoutSec 30)) {
        # Nothing of a failed start is left behind: the caller has no daemon to clean up.
        Remove-PrivateDaemon $d
        & ip link del $hostSide 2>$null
        throw "the private libvirtd did not answer at $uri"
    }
    $result
}
