# libvirt's network transports against hosts of this file: three private daemons (PrivateDaemon.ps1),
# each in its own mount and network namespace, joined to this namespace by a veth pair with a
# private /30 (RemoteTransports.ps1): one on qemu+tcp:// with SASL (DIGEST-MD5, a sasldb of the
# test), one on qemu+tls:// with a CA, server and client certificates made here by certtool, one
# behind an sshd of the test (key and password). Then the hosts that do not answer: an address
# that drops every packet, a listener that accepts and never speaks (Ctrl+C), a daemon frozen or
# killed mid-session. Each host has a storage pool defined through its unix socket, named after
# its transport, so a connection shows which host it reached. Keepalive is 1 s x 2 pings here.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'PrivateDaemon.ps1')
    . (Join-Path $PSScriptRoot 'RemoteTransports.ps1')
    $script:SkipReason = Get-PrivateDaemonSkipReason
    $script:SaslSkip = Get-RemoteToolSkipReason 'saslpasswd2'
    $script:TlsSkip = Get-RemoteToolSkipReason 'certtool'
    $script:SshSkip = Get-RemoteToolSkipReason '/usr/sbin/sshd', 'ssh', 'ssh-keygen', 'openssl'
    $script:ListenerSkip = Get-RemoteToolSkipReason '/usr/bin/python3', 'ss'
    # libvirt built without libssh says so at once; with it, port 1 of loopback refuses at once.
    $probe = if (Get-Command virsh -ErrorAction Ignore) { "$(& virsh -c 'qemu+libssh://root@127.0.0.1:1/system?known_hosts_verify=ignore' version 2>&1)" } else { '' }
    $script:LibsshSkip = if ($SshSkip) { $SshSkip } elseif ($probe -match 'libssh transport support was not enabled|no connection driver') { "libvirt here has no libssh transport: $probe" } else { $null }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'PrivateDaemon.ps1')
    . (Join-Path $PSScriptRoot 'RemoteTransports.ps1')
    $script:Saved = @{}
    foreach ($v in 'KVMPS_KEEPALIVE_INTERVAL', 'KVMPS_KEEPALIVE_COUNT', 'KVMPS_CONNECT_TIMEOUT') { $script:Saved[$v] = [Environment]::GetEnvironmentVariable($v) }
    $env:KVMPS_KEEPALIVE_INTERVAL = '1'
    $env:KVMPS_KEEPALIVE_COUNT = '2'
    $env:KVMPS_CONNECT_TIMEOUT = '5'
    # Keepalive gives up after interval x (count + 1) = 3 s; the margin covers a loaded machine.
    $script:KeepAliveLimit = [TimeSpan]::FromSeconds(3 + 6)
    $script:Tmp = Join-Path ([IO.Path]::GetTempPath()) "kvmps-rt-$PID"
    $script:Made = [Collections.Generic.List[object]]::new()
    $script:Listener = $null
    $script:Password = 'Tcp-S3cret!'
    $script:RootPassword = 'Ssh-S3cret!'
    function New-Cred([string] $User, [string] $Text) { [pscredential]::new($User, (ConvertTo-SecureString $Text -AsPlainText -Force)) }
    function Invoke-Timed([scriptblock] $Script) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        # Errors are collected, not thrown, whatever the caller's preference (the test run's is Stop).
        $all = @(& { $ErrorActionPreference = 'Continue'; & $Script } 2>&1 3>$null)
        [pscustomobject]@{
            Elapsed = $sw.Elapsed
            Output  = @($all | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] })
            Errors  = @($all | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
        }
    }
    function Get-Pools($Connection) { @(Get-KvmStoragePool -Connection $Connection).Name }
    function New-Host([string] $Transport, [int] $Index, [scriptblock] $Configure) {
        $d = New-PrivateDaemon "kvmps-rt-$Transport" -Configure $Configure
        $script:Made.Add($d)
        Add-HostLink $d $Index
        virsh -c $d.Uri pool-define-as "kvmps-rt-mark-$Transport" dir --target "$($d.Dir)/pool" | Out-Null
        return $d
    }
    function Get-DispatchCount {
        # The TCP host logs its remote dispatch calls (daemon.remote at debug level).
        $log = "$($Tcp.Dir)/log/libvirtd.log"
        [pscustomobject]@{
            Connections = @(Select-String -Path $log -Pattern 'remoteDispatchAuthListHelper' -ErrorAction Ignore).Count
            SaslStarts  = @(Select-String -Path $log -Pattern 'remoteDispatchAuthSaslStartHelper' -ErrorAction Ignore).Count
        }
    }
    function Write-Figure([string] $Text) { Write-Information "    [figure] $Text" -InformationAction Continue }

    if (Get-PrivateDaemonSkipReason) { return }
    $null = New-Item -ItemType Directory -Force -Path $script:Tmp
    $n = $PID % 250
    if (-not (Get-RemoteToolSkipReason 'saslpasswd2')) {
        New-TestSaslDb "$Tmp/sasl2" alice $Password
        $script:Tcp = New-Host tcp 0 {
            param($d)
            Add-Content "$($d.Dir)/etc/libvirtd.conf" "`nlisten_tcp = 1`nlisten_tls = 0`nauth_tcp = `"sasl`"`nlog_filters = `"1:daemon.remote 4:*`"`nlog_outputs = `"1:file:/var/log/libvirt/libvirtd.log`""
            $d | Add-Member -NotePropertyMembers @{ Mounts = @(, @("$Tmp/sasl2", '/etc/sasl2')); DaemonArgs = '--listen' }
        }
        $script:TcpUri = "qemu+tcp://$($Tcp.Address)/system"
    }
    if (-not (Get-RemoteToolSkipReason 'certtool')) {
        New-TestCertificates "$Tmp/pki" "10.253.$n.6"
        $script:Tls = New-Host tls 1 {
            param($d)
            Add-Content "$($d.Dir)/etc/libvirtd.conf" ("`nlisten_tcp = 0`nlisten_tls = 1`nauth_tls = `"none`"`n" +
                "ca_file = `"$Tmp/pki/server/cacert.pem`"`ncert_file = `"$Tmp/pki/server/servercert.pem`"`nkey_file = `"$Tmp/pki/server/serverkey.pem`"")
            $d | Add-Member -NotePropertyMembers @{ DaemonArgs = '--listen' }
        }
        $script:TlsUri = "qemu+tls://$($Tls.Address)/system?pkipath=$Tmp/pki/client"
    }
    if (-not (Get-RemoteToolSkipReason '/usr/sbin/sshd', 'ssh', 'ssh-keygen', 'openssl')) {
        $script:Ssh = New-Host ssh 2 $null
        Start-TestSshd $Ssh "$Tmp/ssh" $RootPassword
        $script:SshUri = "qemu+ssh://root@$($Ssh.Address)/system?command=$Tmp/ssh/ssh&keyfile=$Tmp/ssh/clientkey"
        $script:LibsshUri = "qemu+libssh://root@$($Ssh.Address)/system?known_hosts=$Tmp/ssh/known_hosts&sshauth=password"
    }
    # A namespace whose end of the pair has no address: what is sent to it is dropped there.
    $script:Void = New-TestNamespace 'kvmps-rt-void'
    $script:Made.Add($Void)
    Add-HostLink $Void 3 -NoPeerAddress
    Set-SilentAddress $Void
}

AfterAll {
    Reset-KvmSession
    if ($script:Listener) { Stop-Process -Id $script:Listener.Id -Force -ErrorAction Ignore }
    if ($script:Ssh) { Stop-TestSshd $script:Ssh }
    foreach ($d in $script:Made) {
        if ($d.PSObject.Properties['Dir']) { Remove-PrivateDaemon $d } else { & ip netns del $d.Netns 2>$null }
        Remove-HostLink $d
    }
    # A host whose start failed half-way is not in the list: its namespace and directory by name.
    foreach ($t in 'tcp', 'tls', 'ssh', 'void') {
        & ip netns del "kvmps-rt-$t-$PID" 2>$null
        $dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-kvmps-rt-$t-$PID"
        if (Test-Path $dir) {
            foreach ($f in 'libvirtd.pid', 'virtlogd.pid') { if (Test-Path "$dir/$f") { & kill -KILL ([int](Get-Content "$dir/$f" -Raw).Trim()) 2>$null } }
            Remove-Item -Recurse -Force $dir -ErrorAction Ignore
        }
    }
    if ($script:Tmp) { Remove-Item -Recurse -Force $script:Tmp -ErrorAction Ignore }
    foreach ($v in $script:Saved.Keys) { [Environment]::SetEnvironmentVariable($v, $script:Saved[$v]) }
}

Describe 'qemu+tcp:// with SASL' -Tag System -Skip:([bool]($SkipReason -or $SaslSkip)) {
    AfterEach { Reset-KvmSession }

    It 'connects with the right -Credential and reaches that host; virsh with an auth file agrees' {
        $c = Connect-KvmHost -Uri $TcpUri -Credential (New-Cred alice $Password) -PassThru
        $c.IsAlive | Should -BeTrue
        Get-Pools $c | Should -Contain 'kvmps-rt-mark-tcp'
        (Get-KvmHost -Connection $c).HypervisorType | Should -Be 'QEMU'
        # libvirt's own client, its credentials from an auth file of the test.
        Set-Content "$Tmp/auth.conf" "[credentials-t]`nauthname=alice`npassword=$Password`n[auth-libvirt-$($Tcp.Address)]`ncredentials=t"
        "$(& env "LIBVIRT_AUTH_FILE=$Tmp/auth.conf" virsh -c $TcpUri pool-list --all --name)" | Should -Match 'kvmps-rt-mark-tcp'
    }

    It 'a wrong password is one AuthenticationError at once: no prompt, one attempt on the daemon' {
        $before = Get-DispatchCount
        $r = Invoke-Timed { Connect-KvmHost -Uri $TcpUri -Credential (New-Cred alice 'wrong-password') }
        Write-Figure "wrong SASL password: error after $([int]$r.Elapsed.TotalMilliseconds) ms"
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Be 'ConnectionFailed,KvmPS.Commands.ConnectKvmHostCommand'
        $r.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        "$($r.Errors[0])" | Should -Not -Match 'wrong-password'
        $r.Elapsed | Should -BeLessThan ([TimeSpan]::FromSeconds(5))
        @(Get-KvmConnection | Where-Object RequestedUri -eq $TcpUri).Count | Should -Be 0
        # The daemon's side: one connection asked for the auth list, one SASL exchange was started.
        $after = Get-DispatchCount
        $after.Connections - $before.Connections | Should -Be 1
        $after.SaslStarts - $before.SaslStarts | Should -Be 1
    }

    It 'without a credential the host''s demand is a clear error at once, never a prompt' {
        $r = Invoke-Timed { Connect-KvmHost -Uri $TcpUri }
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        "$($r.Errors[0])" | Should -Match '-Credential'
        $r.Elapsed | Should -BeLessThan ([TimeSpan]::FromSeconds(5))
    }
}

Describe 'qemu+tls:// with certificates of the test' -Tag System -Skip:([bool]($SkipReason -or $TlsSkip)) {
    AfterEach { Reset-KvmSession }

    It 'connects with the client certificate from pkipath; virsh agrees' {
        $c = Connect-KvmHost -Uri $TlsUri -PassThru
        $c.IsAlive | Should -BeTrue
        Get-Pools $c | Should -Contain 'kvmps-rt-mark-tls'
        "$(& virsh -c $TlsUri pool-list --all --name)" | Should -Match 'kvmps-rt-mark-tls'
    }

    It 'refuses a host whose certificate another CA signed, as a connection error naming the certificate' {
        $other = "$Tmp/pki-other"
        $null = New-Item -ItemType Directory -Force $other
        Set-Content "$other/ca.info" "cn = another CA`nca`ncert_signing_key`nexpiration_days = 2"
        & certtool --generate-privkey --bits 2048 --outfile "$other/cakey.pem" 2>$null
        & certtool --generate-self-signed --load-privkey "$other/cakey.pem" --template "$other/ca.info" --outfile "$other/cacert.pem" 2>$null
        Copy-Item "$Tmp/pki/client/clientcert.pem", "$Tmp/pki/client/clientkey.pem" $other
        $uri = "qemu+tls://$($Tls.Address)/system?pkipath=$other"
        $r = Invoke-Timed { Connect-KvmHost -Uri $uri }
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Be 'ConnectionFailed,KvmPS.Commands.ConnectKvmHostCommand'
        "$($r.Errors[0])" | Should -Match 'certificate'
        & virsh -c $uri version *> $null
        $LASTEXITCODE | Should -Not -Be 0 -Because 'virsh refuses that host too'
    }
}

Describe 'qemu+ssh:// and qemu+libssh:// through an sshd of the test' -Tag System -Skip:([bool]($SkipReason -or $SshSkip)) {
    AfterEach { Reset-KvmSession }

    It 'qemu+ssh:// with a key file and the test''s known_hosts; virsh agrees' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $c = Connect-KvmHost -Uri $SshUri -PassThru
        Write-Figure "qemu+ssh:// connect took $([int]$sw.Elapsed.TotalMilliseconds) ms"
        $c.IsAlive | Should -BeTrue
        Get-Pools $c | Should -Contain 'kvmps-rt-mark-ssh'
        "$(& virsh -c $SshUri pool-list --all --name)" | Should -Match 'kvmps-rt-mark-ssh'
    }

    It 'qemu+libssh:// with the right -Credential (password auth)' -Skip:([bool]$LibsshSkip) {
        $c = Connect-KvmHost -Uri $LibsshUri -Credential (New-Cred root $RootPassword) -PassThru
        $c.IsAlive | Should -BeTrue
        Get-Pools $c | Should -Contain 'kvmps-rt-mark-ssh'
    }

    It 'qemu+libssh:// with a wrong password: one AuthenticationError, one password tried (sshd''s log)' -Skip:([bool]$LibsshSkip) {
        $before = @(Select-String -Path "$Tmp/ssh/sshd.log" -Pattern 'Failed password' -ErrorAction Ignore).Count
        $r = Invoke-Timed { Connect-KvmHost -Uri $LibsshUri -Credential (New-Cred root 'wrong-password') }
        Write-Figure "wrong libssh password: error after $([int]$r.Elapsed.TotalMilliseconds) ms"
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        "$($r.Errors[0])" | Should -Not -Match 'wrong-password'
        $r.Elapsed | Should -BeLessThan ([TimeSpan]::FromSeconds(8))
        $null = Wait-Until { @(Select-String -Path "$Tmp/ssh/sshd.log" -Pattern 'Failed password').Count -gt $before } -TimeoutSec 3
        @(Select-String -Path "$Tmp/ssh/sshd.log" -Pattern 'Failed password').Count - $before | Should -Be 1
    }
}

Describe 'Hosts that do not answer' -Tag System -Skip:([bool]$SkipReason) {
    AfterEach { Reset-KvmSession }

    It 'an address that drops every packet: Connect-KvmHost -TimeoutSec 2 is a clear timeout error after 2 s' {
        $uri = "qemu+tcp://$($Void.Address)/system"
        $r = Invoke-Timed { Connect-KvmHost -Uri $uri -TimeoutSec 2 }
        Write-Figure "unreachable host, -TimeoutSec 2: error after $([int]$r.Elapsed.TotalMilliseconds) ms"
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Be 'ConnectionFailed,KvmPS.Commands.ConnectKvmHostCommand'
        $r.Errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        "$($r.Errors[0])" | Should -Match 'no answer .* within 2 s'
        "$($r.Errors[0])" | Should -Match "-TimeoutSec"
        $r.Elapsed | Should -BeGreaterThan ([TimeSpan]::FromSeconds(1.8))
        $r.Elapsed | Should -BeLessThan ([TimeSpan]::FromSeconds(2 + 3))
    }

    It 'Ctrl+C (Stop) ends a connect waiting on a listener that never answers, in a few seconds' -Skip:([bool]($ListenerSkip -or $SaslSkip)) {
        $script:Listener = Start-SilentListener $Tcp 16600 $Tmp
        $uri = "qemu+tcp://$($Tcp.Address):16600/system"
        $module = $env:KVMPS_MODULE_PATH
        if (-not $module) { $module = Join-Path $PSScriptRoot '../../out/KvmPS/KvmPS.psd1' }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$module'; Connect-KvmHost -Uri '$uri' -TimeoutSec 120")
            $async = $ps.BeginInvoke()
            # The connect is under way once the listener holds its connection.
            (Wait-Until { "$(& ip netns exec $Tcp.Netns ss -Htn state established 2>$null)" -match ":16600\b" } -TimeoutSec 30) | Should -BeTrue
            Start-Sleep -Milliseconds 500
            $ps.InvocationStateInfo.State | Should -Be 'Running'
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $stopped = $sw.Elapsed
            Write-Figure "Stop() of a hanging connect returned after $([int]$stopped.TotalMilliseconds) ms"
            $stopped | Should -BeLessThan ([TimeSpan]::FromSeconds(3))
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $async.IsCompleted | Should -BeTrue
        } finally {
            $ps.Dispose()
            Stop-Process -Id $script:Listener.Id -Force -ErrorAction Ignore
            $script:Listener = $null
        }
    }
}

Describe 'A host that dies mid-session' -Tag System -Skip:([bool]($SkipReason -or $SaslSkip)) {
    AfterEach { Reset-KvmSession }

    It 'frozen (SIGSTOP): the waiting cmdlet and an idle connection are given up by keepalive within the limit, as ConnectionLost' {
        $c = Connect-KvmHost -Uri $TcpUri -Credential (New-Cred alice $Password) -PassThru
        @(Get-KvmVM -Connection $c).Count | Should -Be 0
        Send-PrivateDaemonSignal $Tcp STOP
        try {
            $r = Invoke-Timed { Get-KvmVM -Connection $c }
            Write-Figure "frozen host: Get-KvmVM gave up after $([int]$r.Elapsed.TotalMilliseconds) ms (keepalive 1 s x 2)"
            $r.Elapsed | Should -BeLessThan $KeepAliveLimit
            $r.Errors[0].FullyQualifiedErrorId | Should -Be 'ConnectionLost,KvmPS.Commands.GetKvmVMCommand'
            $r.Errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        } finally {
            Send-PrivateDaemonSignal $Tcp CONT
        }
        # An idle connection: nothing is called, keepalive alone sees the host stop.
        Reset-KvmSession
        $c = Connect-KvmHost -Uri $TcpUri -Credential (New-Cred alice $Password) -PassThru
        Send-PrivateDaemonSignal $Tcp STOP
        try {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $dead = Wait-Until { -not (Get-KvmConnection | Where-Object RequestedUri -eq $TcpUri).IsAlive } -TimeoutSec 20
            Write-Figure "frozen host: idle connection seen dead after $([int]$sw.Elapsed.TotalMilliseconds) ms"
            $dead | Should -BeTrue
            $sw.Elapsed | Should -BeLessThan $KeepAliveLimit
        } finally {
            Send-PrivateDaemonSignal $Tcp CONT
        }
    }

    It 'killed (SIGKILL): the connection is seen dead at once and the next cmdlet says ConnectionLost' {
        $c = Connect-KvmHost -Uri $TcpUri -Credential (New-Cred alice $Password) -PassThru
        @(Get-KvmVM -Connection $c).Count | Should -Be 0
        $id = Get-PrivateDaemonPid $Tcp
        $sw = [Diagnostics.Stopwatch]::StartNew()
        Send-PrivateDaemonSignal $Tcp KILL
        $dead = Wait-Until { -not (Get-KvmConnection | Where-Object RequestedUri -eq $TcpUri).IsAlive } -TimeoutSec 20
        Write-Figure "killed host: connection seen dead after $([int]$sw.Elapsed.TotalMilliseconds) ms"
        $dead | Should -BeTrue
        $sw.Elapsed | Should -BeLessThan $KeepAliveLimit
        (Wait-Until { -not (Test-LiveProcess $id) } -TimeoutSec 5) | Should -BeTrue
        # Dead (a zombie here, whose parent does not reap it): nothing left for the cleanup to stop.
        Remove-Item (Join-Path $Tcp.Dir 'libvirtd.pid')
        $r = Invoke-Timed { Get-KvmVM -Connection $c }
        $r.Elapsed | Should -BeLessThan ([TimeSpan]::FromSeconds(5))
        $r.Errors[0].FullyQualifiedErrorId | Should -Be 'ConnectionLost,KvmPS.Commands.GetKvmVMCommand'
        $r.Errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }
}
