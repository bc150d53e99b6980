# Dot-sourced by RemoteTransports.System.Tests.ps1, after PrivateDaemon.ps1: libvirt hosts reached
# over the network. Each private daemon's network namespace gets a veth pair to the test's own
# namespace with a /30 of 10.253.<n>.x on it and nothing else; the daemon, sshd and the silent
# listener listen only inside their namespace. Certificates, the SASL database, ssh keys and a
# copy of the shadow file (for sshd's password check) are made in a temp dir of the test: the
# machine's /etc/pki, /etc/sasl2, /etc/shadow and ~/.ssh are never written (the daemon's and
# sshd's mount namespaces see the test's files over those paths).

function Get-RemoteToolSkipReason([string[]] $Tools) {
    foreach ($tool in $Tools) {
        if (-not (Get-Command $tool -ErrorAction Ignore)) { return "'$tool' is not installed (build.ps1 installs it)" }
    }
    return $null
}

function Add-HostLink($Daemon, [int] $Index, [switch] $NoPeerAddress) {
    # A veth pair: one end here (10.253.<n>.4i+1), the other in the daemon's namespace (.4i+2).
    $n = $PID % 250
    $root = "kvr$Index-$($PID % 100000)"; $peer = "kvn$Index-$($PID % 100000)"
    $here = "10.253.$n.$(4 * $Index + 1)"; $there = "10.253.$n.$(4 * $Index + 2)"
    & ip link add $root type veth peer name $peer netns $Daemon.Netns
    if ($LASTEXITCODE -ne 0) { throw "ip link add $root (veth) failed" }
    & ip addr add "$here/30" dev $root
    & ip link set $root up
    if (-not $NoPeerAddress) { & ip -n $Daemon.Netns addr add "$there/30" dev $peer }
    & ip -n $Daemon.Netns link set $peer up
    & ip -n $Daemon.Netns link set lo up
    $Daemon | Add-Member -Force -NotePropertyMembers @{ Address = $there; RootLink = $root; PeerLink = $peer }
}

function Remove-HostLink($Daemon) {
    # Deleting the namespace removes the pair too; this covers a namespace that is already gone.
    if ($Daemon -and $Daemon.PSObject.Properties['RootLink']) { & ip link del $Daemon.RootLink 2>$null }
}

function New-TestNamespace([string] $Name) {
    # A network namespace with no daemon (for the unreachable address), shaped like a private daemon.
    $ns = [pscustomobject]@{ Netns = "$Name-$PID" }
    & ip netns add $ns.Netns
    if ($LASTEXITCODE -ne 0) { throw "ip netns add $($ns.Netns) failed" }
    return $ns
}

function Set-SilentAddress($Namespace) {
    # The root side sends to the peer's address on the peer's MAC, but the peer has no address:
    # its kernel drops every packet, so a connect waits (no refusal, no ICMP).
    $mac = ((& ip -n $Namespace.Netns -j link show $Namespace.PeerLink) | ConvertFrom-Json)[0].address
    & ip neigh replace $Namespace.Address lladdr $mac dev $Namespace.RootLink nud permanent
    if ($LASTEXITCODE -ne 0) { throw 'ip neigh replace failed' }
}

function New-TestCertificates([string] $Dir, [string] $ServerAddress) {
    # A CA, a server certificate for the address and a client certificate, as libvirt's pki layout wants them.
    $null = New-Item -ItemType Directory -Force -Path (Join-Path $Dir 'client'), (Join-Path $Dir 'server')
    Set-Content "$Dir/ca.info" "cn = KvmPS test CA`nca`ncert_signing_key`nexpiration_days = 2"
    Set-Content "$Dir/server.info" "organization = KvmPS tests`ncn = $ServerAddress`nip_address = $ServerAddress`ntls_www_server`nencryption_key`nsigning_key`nexpiration_days = 2"
    Set-Content "$Dir/client.info" "organization = KvmPS tests`ncn = kvmps-client`ntls_www_client`nencryption_key`nsigning_key`nexpiration_days = 2"
    $run = {
        param([string[]] $CertArgs)
        $out = & certtool @CertArgs 2>&1
        if ($LASTEXITCODE -ne 0) { throw "certtool $($CertArgs -join ' ') failed: $out" }
    }
    & $run @('--generate-privkey', '--bits', '2048', '--outfile', "$Dir/cakey.pem")
    & $run @('--generate-self-signed', '--load-privkey', "$Dir/cakey.pem", '--template', "$Dir/ca.info", '--outfile', "$Dir/cacert.pem")
    foreach ($who in 'server', 'client') {
        & $run @('--generate-privkey', '--bits', '2048', '--outfile', "$Dir/$who/${who}key.pem")
        & $run @('--generate-certificate', '--load-privkey', "$Dir/$who/${who}key.pem", '--load-ca-certificate', "$Dir/cacert.pem",
            '--load-ca-privkey', "$Dir/cakey.pem", '--template', "$Dir/$who.info", '--outfile', "$Dir/$who/${who}cert.pem")
        Copy-Item "$Dir/cacert.pem" "$Dir/$who/cacert.pem"
    }
}

function New-TestSaslDb([string] $Dir, [string] $User, [string] $Password) {
    # libvirt's SASL configuration (read from /etc/sasl2 in the daemon's mount namespace) and its user database.
    $null = New-Item -ItemType Directory -Force -Path $Dir
    Set-Content "$Dir/libvirt.conf" "mech_list: digest-md5`nsasldb_path: $Dir/passwd.db"
    $Password | & saslpasswd2 -p -a libvirt -f "$Dir/passwd.db" -c $User
    if ($LASTEXITCODE -ne 0) { throw 'saslpasswd2 failed' }
}

function Start-TestSshd($Daemon, [string] $Dir, [string] $RootPassword) {
    # An sshd on the host's veth address with a host key, an authorized client key and root's
    # password, all of this test; it runs in a mount namespace of its own where the host's libvirt
    # socket is at its usual path (so virt-ssh-helper finds it) and /etc/shadow is the test's copy.
    $null = New-Item -ItemType Directory -Force -Path $Dir
    $Daemon | Add-Member -Force -NotePropertyMembers @{ SshDir = $Dir }
    & ssh-keygen -q -t ed25519 -N '' -C kvmps-test-host -f "$Dir/hostkey"
    & ssh-keygen -q -t ed25519 -N '' -C kvmps-test-client -f "$Dir/clientkey"
    Copy-Item "$Dir/clientkey.pub" "$Dir/authorized_keys"
    $hash = (& openssl passwd -6 -salt kvmpstest $RootPassword)
    $shadow = (Get-Content /etc/shadow) | ForEach-Object {
        if ($_ -like 'root:*') { $f = $_.Split(':'); $f[1] = $hash; $f -join ':' } else { $_ }
    }
    Set-Content "$Dir/shadow" $shadow
    & chmod 600 "$Dir/shadow" "$Dir/clientkey"
    $hostKey = (Get-Content "$Dir/hostkey.pub" -Raw).Trim().Split(' ')
    Set-Content "$Dir/known_hosts" "$($Daemon.Address) $($hostKey[0]) $($hostKey[1])"
    Set-Content "$Dir/sshd_config" @"
ListenAddress $($Daemon.Address)
Port 22
HostKey $Dir/hostkey
PidFile $Dir/sshd.pid
AuthorizedKeysFile $Dir/authorized_keys
PermitRootLogin yes
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxAuthTries 4
ClientAliveInterval 2
ClientAliveCountMax 2
LogLevel INFO
"@
    # The ssh program libvirt runs for qemu+ssh://: this test's known_hosts, never a prompt.
    Set-Content "$Dir/ssh" "#!/bin/sh`nexec ssh -F /dev/null -o UserKnownHostsFile=$Dir/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5 `"`$@`""
    & chmod 755 "$Dir/ssh"
    $script = @"
set -e
mount -t tmpfs kvmps-sshd /run
mkdir -p /run/sshd /run/libvirt
mount --bind $($Daemon.Dir)/run /run/libvirt
mount --bind $Dir/shadow /etc/shadow
/usr/sbin/sshd -f $Dir/sshd_config -E $Dir/sshd.log
"@
    & ip netns exec $Daemon.Netns unshare -m --propagation private sh -c $script
    if ($LASTEXITCODE -ne 0) { throw "sshd in $($Daemon.Netns) did not start: $(Get-Content "$Dir/sshd.log" -Raw -ErrorAction Ignore)" }
    if (-not (Wait-Until { Test-Path "$Dir/sshd.pid" } -TimeoutSec 10)) { throw 'sshd wrote no pid file' }
}

function Stop-TestSshd($Daemon) {
    # By its pid file, also when its start failed half-way.
    if (-not $Daemon -or -not $Daemon.PSObject.Properties['SshDir']) { return }
    $file = Join-Path $Daemon.SshDir 'sshd.pid'
    if (-not (Test-Path $file)) { return }
    # The listener and the session processes it forked (they outlive it): the tree below its pid.
    $main = [int](Get-Content $file -Raw).Trim()
    # Only the sshd of this configuration (a stale pid file could name another process by now).
    if ("$(Get-Content "/proc/$main/cmdline" -Raw -ErrorAction Ignore)" -notmatch [regex]::Escape("$($Daemon.SshDir)/sshd_config")) { return }
    $ids = [Collections.Generic.List[int]]::new()
    $ids.Add($main)
    for ($i = 0; $i -lt $ids.Count; $i++) {
        foreach ($child in @(& pgrep -P $ids[$i] 2>$null)) { if ($child) { $ids.Add([int]$child) } }
    }
    foreach ($id in $ids) { & kill -TERM $id 2>$null }
    $null = Wait-Until { -not ($ids | Where-Object { Test-LiveProcess $_ }) } -TimeoutSec 5
}

function Start-SilentListener($Daemon, [int] $Port, [string] $Dir) {
    # A TCP listener in the host's namespace that accepts connections and never says a word: a
    # libvirt client waits on it for ever. Returns the process (its pid is python's: ip netns exec execs).
    $file = Join-Path $Dir 'silent.py'
    Set-Content $file @"
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('$($Daemon.Address)', $Port))
s.listen(16)
held = []
while True:
    c, _ = s.accept()
    held.append(c)
"@
    $p = Start-Process -FilePath ip -ArgumentList @('netns', 'exec', $Daemon.Netns, '/usr/bin/python3', $file) -PassThru
    $up = Wait-Until { "$(& ip netns exec $Daemon.Netns ss -Hltn 2>$null)" -match ":$Port\b" } -TimeoutSec 10
    if (-not $up) { Stop-Process -Id $p.Id -Force -ErrorAction Ignore; throw 'the silent listener did not start' }
    return $p
}
