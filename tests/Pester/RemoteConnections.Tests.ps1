# Connections with credentials, KvmConnection objects given with -Connection, and the read
# cmdlets over several hosts at once, on libvirt's test driver: a host file with an <auth> element
# asks for a user name and password through virConnectOpenAuth's callback as a SASL host does, and
# host files of their own are separate hosts.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-remoteconn-$PID"
    $null = New-Item -ItemType Directory -Path $script:Dir -Force
    $script:AuthFile = Join-Path $script:Dir 'auth.xml'
    Set-Content $script:AuthFile "<node><auth><user password='s3cret-pw'>alice</user></auth></node>"
    $script:AuthUri = "test://$script:AuthFile"
    function New-Cred([string] $User, [string] $Password) {
        [pscredential]::new($User, (ConvertTo-SecureString $Password -AsPlainText -Force))
    }
    # Three hosts of 200 domains each (names tell the host apart).
    $script:FleetUris = foreach ($h in 'h1', 'h2', 'h3') {
        $domains = foreach ($i in 1..200) {
            "<domain type='test'><name>$h-vm$i</name><memory>65536</memory><os><type>hvm</type></os></domain>"
        }
        $file = Join-Path $script:Dir "$h.xml"
        Set-Content $file "<node>$($domains -join '')</node>"
        "test://$file"
    }
    $script:DownUri = "test://$script:Dir/no-such-host.xml"
}

AfterAll {
    Reset-KvmSession
    Remove-Item -Recurse -Force $script:Dir -ErrorAction Ignore
}

Describe 'Connect-KvmHost -Credential' {
    BeforeEach { Reset-KvmSession }

    It 'answers the host''s user name and password through the callback and the connection is reused by URI' {
        $c = Connect-KvmHost -Uri $script:AuthUri -Credential (New-Cred alice 's3cret-pw') -PassThru
        $c.IsAlive | Should -BeTrue
        # Without a credential a new connect to this host fails, so these must reuse the open one.
        (Get-KvmHost -Uri $script:AuthUri).Uri | Should -Be $c.Uri
        (Get-KvmHost -Connection $c).Uri | Should -Be $c.Uri
        @(Get-KvmConnection).Count | Should -Be 1
    }

    It 'fails a wrong password with one AuthenticationError and does not print it' {
        $out = Connect-KvmHost -Uri $script:AuthUri -Credential (New-Cred alice 'wrong-pw') -ErrorAction SilentlyContinue -ErrorVariable err -Verbose 4>&1
        $err.Count | Should -Be 1
        $err[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed,*'
        "$($err[0]) $($out -join ' ')" | Should -Not -Match 'wrong-pw|s3cret-pw'
        @(Get-KvmConnection).Count | Should -Be 0
    }

    It 'fails a host that wants a password when none is given, without asking' {
        Connect-KvmHost -Uri $script:AuthUri -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed,*'
    }

    It 'replaces an open connection when it connects again with a credential' {
        $a = Connect-KvmHost -Uri $script:AuthUri -Credential (New-Cred alice 's3cret-pw') -PassThru
        $b = Connect-KvmHost -Uri $script:AuthUri -Credential (New-Cred alice 's3cret-pw') -PassThru
        $b.IsAlive | Should -BeTrue
        @(Get-KvmConnection).Count | Should -Be 1
    }

    It 'warns that plain qemu+ssh:// does not use the credential' -Skip:(-not (Get-Command ssh -ErrorAction Ignore)) {
        $env:KVMPS_CONNECT_TIMEOUT = '3'
        try {
            $w = Connect-KvmHost -Uri 'qemu+ssh://nobody@127.0.0.1:1/system?no_tty=1' -Credential (New-Cred nobody x) -ErrorAction SilentlyContinue -WarningVariable wv 3>&1
            "$wv" | Should -Match 'qemu\+libssh://'
        }
        finally { Remove-Item Env:KVMPS_CONNECT_TIMEOUT }
    }
}

Describe '-Connection' {
    BeforeEach { Reset-KvmSession }

    It 'names the host of any host cmdlet' {
        $c = Connect-KvmHost -Uri test:///default -PassThru
        (Get-KvmVM -Connection $c -Name test).Uri | Should -Be 'test:///default'
        @(Get-KvmNetwork -Connection $c).Count | Should -BeGreaterThan 0
        (Get-Command Start-KvmVM).Parameters['Connection'].ParameterType | Should -Be ([KvmPS.KvmConnection])
    }

    It 'is refused together with -Uri, before anything is done' {
        $c = Connect-KvmHost -Uri test:///default -PassThru
        { Get-KvmNetwork -Connection $c -Uri test:///default -ErrorAction Stop } | Should -Throw -ErrorId 'UriAndConnectionGiven,*'
        { Get-KvmVM -Connection $c -Uri test:///default -ErrorAction Stop } | Should -Throw -ErrorId 'UriAndConnectionGiven,*'
    }
}

Describe 'Reading several hosts at once' {
    BeforeEach { Reset-KvmSession }

    It 'lists 3 hosts of 200 VMs each, host by host in the order given, with one error for the host that is down' {
        $vms = @(Get-KvmVM -Uri $script:FleetUris[0], $script:DownUri, $script:FleetUris[1], $script:FleetUris[2] -ErrorAction SilentlyContinue -ErrorVariable err)
        $vms.Count | Should -Be 600
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed,*'
        $err[0].TargetObject | Should -Be $script:DownUri
        ($vms | Select-Object -ExpandProperty Uri -Unique) | Should -Be $script:FleetUris
        $vms[0].Name | Should -BeLike 'h1-*'
        $vms[-1].Name | Should -BeLike 'h3-*'
        ($vms | Where-Object { $_.Name -notlike "$([IO.Path]::GetFileNameWithoutExtension($_.Uri))-*" }) | Should -BeNullOrEmpty
        $vms[0].ComputerName | Should -Be ([Environment]::MachineName)
    }

    It 'finds a literal name on whichever host has it, and reports a name no host has once' {
        $found = @(Get-KvmVM -Uri $script:FleetUris -Name 'h2-vm7', 'nowhere' -ErrorAction SilentlyContinue -ErrorVariable err)
        $found.Name | Should -Be 'h2-vm7'
        $found.Uri | Should -Be $script:FleetUris[1]
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'VMNotFound,*'
    }

    It 'takes several connections and keeps them one per host' {
        $conns = $script:FleetUris | ForEach-Object { Connect-KvmHost -Uri $_ -PassThru }
        $hosts = @(Get-KvmHost -Connection $conns)
        $hosts.Uri | Should -Be $script:FleetUris
        @(Get-KvmConnection).Count | Should -Be 3
    }

    It 'checks several hosts with Test-KvmHost, one report each' {
        $reports = @(Test-KvmHost -Uri test:///default, $script:FleetUris[0] -Check LibvirtDaemon)
        $reports.Count | Should -Be 2
        $reports.Uri | Should -Be @('test:///default', $script:FleetUris[0])
    }

    It 'works in ForEach-Object -Parallel, each runspace with connections of its own' {
        $module = $env:KVMPS_MODULE_PATH
        $counts = $script:FleetUris | ForEach-Object -Parallel {
            Import-Module $using:module
            [pscustomobject]@{ Uri = $_; Count = @(Get-KvmVM -Uri $_).Count; Connections = @(Get-KvmConnection).Count }
        } -ThrottleLimit 3
        @($counts).Count | Should -Be 3
        $counts | ForEach-Object { $_.Count | Should -Be 200; $_.Connections | Should -Be 1 }
        @(Get-KvmConnection).Count | Should -Be 0
    }
}
