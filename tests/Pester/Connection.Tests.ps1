BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Connect-KvmHost' {
    BeforeEach { Reset-KvmSession }

    It 'returns a KvmConnection with -PassThru and makes it the default' {
        $c = Connect-KvmHost -Uri test:///default -PassThru
        $c | Should -BeOfType ([KvmPS.KvmConnection])
        $c.Uri | Should -Be 'test:///default'
        $c.HypervisorType | Should -Be 'TEST'
        $c.IsAlive | Should -BeTrue
        $c.IsDefault | Should -BeTrue
        $c.LibvirtVersion | Should -BeOfType ([version])
        (Get-KvmConnection -Default).Uri | Should -Be 'test:///default'
    }

    It 'returns nothing without -PassThru' {
        Connect-KvmHost -Uri test:///default | Should -BeNullOrEmpty
    }

    It 'reuses one connection per URI instead of opening one per call' {
        Connect-KvmHost -Uri test:///default
        1..5 | ForEach-Object { Get-KvmHost | Out-Null }
        Get-KvmHost -Uri test:///default | Out-Null
        @(Get-KvmConnection).Count | Should -Be 1
    }

    It 'gives a bogus URI a ConnectionError record with libvirt''s message, no stack trace' {
        Connect-KvmHost -Uri bogus:///x -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'ConnectionFailed,KvmPS.Commands.ConnectKvmHostCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $err[0].TargetObject | Should -Be 'bogus:///x'
        $err[0].Exception | Should -BeOfType ([System.Exception])
        $err[0].Exception.GetType().Name | Should -Be 'LibvirtException'
        $err[0].ErrorDetails.Message | Should -Match 'libvirt error \d+'
        $err[0].ErrorDetails.Message | Should -Not -Match ' at KvmPS\.'
        $err[0].Exception.Code | Should -Not -Be 0
        Get-KvmConnection | Should -BeNullOrEmpty
    }

    It 'stops the pipeline with -ErrorAction Stop' {
        { Connect-KvmHost -Uri bogus:///x -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionFailed,KvmPS.Commands.ConnectKvmHostCommand'
    }

    It 'keeps going after one bad URI in a pipeline' {
        $r = 'bogus:///x', 'test:///default' | Connect-KvmHost -PassThru -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $r.Uri | Should -Be 'test:///default'
    }

    It 'keeps the test driver''s state for the life of the connection' {
        Connect-KvmHost -Uri test:///default
        $a = Get-KvmConnection -Default
        Get-KvmHost | Out-Null
        (Get-KvmConnection -Default).Uri | Should -Be $a.Uri
    }
}

Describe 'Disconnect-KvmHost and Get-KvmConnection' {
    BeforeEach { Reset-KvmSession }

    It 'closes the default connection and clears the default' {
        Connect-KvmHost -Uri test:///default
        Disconnect-KvmHost
        Get-KvmConnection | Should -BeNullOrEmpty
        Get-KvmConnection -Default | Should -BeNullOrEmpty
    }

    It 'closes connections piped from Get-KvmConnection' {
        Get-KvmHost -Uri test:///default | Out-Null
        Connect-KvmHost -Uri "test:///$($script:RepoRoot)/tests/fixtures/testdriver/empty-host.xml"
        @(Get-KvmConnection).Count | Should -Be 2
        Get-KvmConnection | Disconnect-KvmHost
        Get-KvmConnection | Should -BeNullOrEmpty
    }

    It 'reports NotConnected for a URI that is not open' {
        Disconnect-KvmHost -Uri test:///default -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'NotConnected,KvmPS.Commands.DisconnectKvmHostCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'filters by URI with wildcards' {
        Get-KvmHost -Uri test:///default | Out-Null
        @(Get-KvmConnection -Uri 'test:*').Count | Should -Be 1
        @(Get-KvmConnection -Uri 'qemu:*').Count | Should -Be 0
    }

    It 'uses LIBVIRT_DEFAULT_URI when no default is set' {
        $old = $env:LIBVIRT_DEFAULT_URI
        try {
            $env:LIBVIRT_DEFAULT_URI = 'test:///default'
            (Get-KvmHost).HypervisorType | Should -Be 'TEST'
        } finally {
            $env:LIBVIRT_DEFAULT_URI = $old
        }
    }

    It 'keeps connections per runspace' {
        Connect-KvmHost -Uri test:///default
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$($script:ModulePath)'; @(Get-KvmConnection).Count")
            $ps.Invoke() | Should -Be 0
        } finally {
            $ps.Dispose()
        }
        @(Get-KvmConnection).Count | Should -Be 1
    }

    It 'completes -Uri from open connections' {
        Get-KvmHost -Uri test:///default | Out-Null
        $line = 'Get-KvmHost -Uri test'
        $r = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)
        $r.CompletionMatches.CompletionText | Should -Contain 'test:///default'
    }
}

Describe 'A connection whose daemon went away' -Tag System {
    BeforeAll { Reset-KvmSession }

    It 'fails with a message that says so while the daemon is down, and is reopened when it is back' -Skip:(-not $env:KVMPS_DAEMON_OWNED) {
        Connect-KvmHost -Uri qemu:///system
        (Get-KvmHost).HypervisorType | Should -Be 'QEMU'
        Stop-TestDaemon
        try {
            Get-KvmHost -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be 'ConnectionLost,KvmPS.Commands.GetKvmHostCommand'
            $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
            $err[0].ErrorDetails.Message | Should -Match 'was lost'
        } finally {
            Start-TestDaemon
        }
        $h = Get-KvmHost -Verbose 4>&1
        @(($h | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message) -match 'Opening libvirt connection' | Should -Not -BeNullOrEmpty
        ($h | Where-Object { $_ -is [KvmPS.KvmHost] }).HypervisorType | Should -Be 'QEMU'
        (Get-KvmConnection -Default).IsAlive | Should -BeTrue
    }
}
