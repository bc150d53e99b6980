# The guest cmdlets on libvirt's test driver, which has no guest agent and no consoles: binding
# (names, piped VMs, parameter checks) and the errors a guest without an agent gives.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Reset-KvmSession
    Connect-KvmHost test:///default
    $script:Tmp = Join-Path ([IO.Path]::GetTempPath()) "kvmps-guest-pester-$PID"
    $null = New-Item -ItemType Directory -Force $script:Tmp
}

AfterAll {
    Remove-Item $script:Tmp -Recurse -Force -ErrorAction Ignore
    Reset-KvmSession
}

Describe 'Guest cmdlets take their VM as the lifecycle cmdlets do' {
    It '<Command> has -Name (alias -VMName) and -VM from the pipeline' -ForEach @(
        @{ Command = 'Invoke-KvmVMScript' }, @{ Command = 'Copy-KvmVMFile' }, @{ Command = 'Get-KvmVMGuestInfo' },
        @{ Command = 'Test-KvmVMGuestAgent' }, @{ Command = 'Enter-KvmVMConsole' }, @{ Command = 'Get-KvmVMConsoleLog' },
        @{ Command = 'Save-KvmVMScreenshot' }
    ) {
        $c = Get-Command $Command
        $c.Parameters['Name'].Aliases | Should -Contain 'VMName'
        ($c.Parameters['VM'].Attributes | Where-Object { $_ -is [Parameter] }).ValueFromPipeline | Should -Contain $true
        $c.ParameterSets.Name | Should -Be @('Name', 'VM')
    }

    It 'a piped VM, a name and -VMName reach the same VM' {
        (Get-KvmVM test | Test-KvmVMGuestAgent).VMName | Should -Be 'test'
        (Test-KvmVMGuestAgent -VMName test).VMName | Should -Be 'test'
        (Get-KvmVMGuestInfo test).VMName | Should -Be 'test'
    }

    It 'a missing VM is VMNotFound; a wildcard that matches nothing is silent' {
        Test-KvmVMGuestAgent no-such-vm -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'VMNotFound,KvmPS.Commands.TestKvmVMGuestAgentCommand'
        @(Test-KvmVMGuestAgent 'no-such-*' -ErrorVariable e2).Count | Should -Be 0
        $e2.Count | Should -Be 0
    }

    It 'a network object is refused as a VM' {
        { Get-KvmNetwork default | Test-KvmVMGuestAgent -ErrorAction Stop } | Should -Throw
    }
}

Describe 'A guest without an agent on the test driver' {
    It 'Invoke-KvmVMScript: GuestAgentNotConfigured (NotInstalled), the VM as target' {
        Invoke-KvmVMScript test 'true' -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'GuestAgentNotConfigured,KvmPS.Commands.InvokeKvmVMScriptCommand'
        $e[0].CategoryInfo.Category | Should -Be 'NotInstalled'
        $e[0].TargetObject | Should -Be 'test'
    }

    It 'Copy-KvmVMFile: GuestAgentNotConfigured too, and no file is written' {
        $dst = Join-Path $script:Tmp 'never.bin'
        Copy-KvmVMFile test -Source /etc/hostname -Destination $dst -FromGuest -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'GuestAgentNotConfigured,KvmPS.Commands.CopyKvmVMFileCommand'
        Test-Path $dst | Should -BeFalse
    }

    It 'Test-KvmVMGuestAgent: a status object saying what is missing, and -Quiet $false' {
        $s = Test-KvmVMGuestAgent test
        $s | Should -BeOfType ([KvmPS.KvmGuestAgentStatus])
        $s.Configured | Should -BeFalse
        $s.IsReady | Should -BeFalse
        $s.Problem | Should -Match 'org.qemu.guest_agent.0'
        Test-KvmVMGuestAgent test -Quiet | Should -BeExactly $false
    }

    It 'Get-KvmVMGuestInfo: the interface from the lease source without an agent' {
        $i = Get-KvmVMGuestInfo test
        $i.AgentResponding | Should -BeFalse
        $i.Interfaces[0].MacAddress | Should -Be 'aa:bb:cc:dd:ee:ff'
        $i.Interfaces[0].Source | Should -Be 'Lease'
    }

    It 'a VM that is not running is VMNotRunning (InvalidOperation)' {
        New-KvmVM -Name kvmps-guest-off -Memory 128MB | Out-Null
        try {
            Invoke-KvmVMScript kvmps-guest-off 'true' -ErrorVariable e -ErrorAction SilentlyContinue
            $e[0].FullyQualifiedErrorId | Should -Be 'VMNotRunning,KvmPS.Commands.InvokeKvmVMScriptCommand'
            $e[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            Save-KvmVMScreenshot kvmps-guest-off -Path (Join-Path $script:Tmp 'off.png') -ErrorVariable e2 -ErrorAction SilentlyContinue
            $e2[0].FullyQualifiedErrorId | Should -Be 'VMNotRunning,KvmPS.Commands.SaveKvmVMScreenshotCommand'
        } finally {
            Remove-KvmVM kvmps-guest-off -Force
        }
    }
}

Describe 'Parameters are checked before anything is done' {
    It 'Invoke-KvmVMScript without a script is ScriptRequired; with two it is ScriptGivenTwice' {
        { Invoke-KvmVMScript test -ErrorAction Stop } | Should -Throw -ErrorId 'ScriptRequired,KvmPS.Commands.InvokeKvmVMScriptCommand'
        { Invoke-KvmVMScript test -ScriptText 'id' -Command id -ErrorAction Stop } | Should -Throw -ErrorId 'ScriptGivenTwice,KvmPS.Commands.InvokeKvmVMScriptCommand'
        { Invoke-KvmVMScript test -FilePath (Join-Path $script:Tmp 'none.sh') -ErrorAction Stop } | Should -Throw -ErrorId 'ScriptFileNotFound,KvmPS.Commands.InvokeKvmVMScriptCommand'
        { Invoke-KvmVMScript test 'id' -TimeoutSec 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,KvmPS.Commands.InvokeKvmVMScriptCommand'
    }

    It 'Copy-KvmVMFile refuses a relative guest path, a missing source and a bad mode' {
        Copy-KvmVMFile test -Source /etc/hostname -Destination relative/x -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'GuestPathNotAbsolute,KvmPS.Commands.CopyKvmVMFileCommand'
        Copy-KvmVMFile test -Source (Join-Path $script:Tmp 'none') -Destination /tmp/x -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e2[0].FullyQualifiedErrorId | Should -Be 'SourceNotFound,KvmPS.Commands.CopyKvmVMFileCommand'
        { Copy-KvmVMFile test -Source /etc/hostname -Destination /tmp/x -Mode 999 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,KvmPS.Commands.CopyKvmVMFileCommand'
    }

    It 'Copy-KvmVMFile -WhatIf does nothing and reaches no agent' {
        Copy-KvmVMFile test -Source /etc/hostname -Destination /tmp/x -WhatIf -ErrorVariable e
        $e.Count | Should -Be 0
    }

    It 'Enter-KvmVMConsole refuses an invalid -Expect, and an interactive session in a host without keys' {
        { Enter-KvmVMConsole test -Expect '(' -ErrorAction Stop } | Should -Throw -ErrorId 'ExpectInvalid,KvmPS.Commands.EnterKvmVMConsoleCommand'
        $exe, $pre = Get-PwshCommand
        $r = '' | & $exe @pre -NoProfile -NonInteractive -Command "Import-Module '$env:KVMPS_MODULE_PATH'; Enter-KvmVMConsole test -Uri test:///default -ErrorVariable e -ErrorAction SilentlyContinue; `$e[0].FullyQualifiedErrorId"
        "$r" | Should -Match 'ConsoleNotInteractive'
    }

    It 'Enter-KvmVMConsole -InputObject on a driver without consoles is the libvirt failure, named' {
        Enter-KvmVMConsole test -InputObject 'x' -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'EnterKvmVMConsoleFailed,KvmPS.Commands.EnterKvmVMConsoleCommand'
        $e[0].CategoryInfo.Category | Should -Be 'NotImplemented'
    }

    It 'Get-KvmVMConsoleLog: no log in the definition is ConsoleLogNotConfigured' {
        Get-KvmVMConsoleLog test -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'ConsoleLogNotConfigured,KvmPS.Commands.GetKvmVMConsoleLogCommand'
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Save-KvmVMScreenshot on the test driver' {
    It 'passes the PNG libvirt returns through, checked by an independent decoder' {
        & /usr/bin/python3 -c 'import PIL' 2>$null
        if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'needs Python PIL (python3-pil)' }
        $path = Join-Path $script:Tmp 'test.png'
        $s = Save-KvmVMScreenshot test -Path $path
        $s.SourceMimeType | Should -Be 'image/png'
        $s.Converted | Should -BeFalse
        $size = & /usr/bin/python3 -c 'import sys; from PIL import Image; im=Image.open(sys.argv[1]); im.load(); print(im.format, im.size[0], im.size[1])' $path
        $size | Should -Be "PNG $($s.Width) $($s.Height)"
    }

    It 'replaces {0} with each VM name and -WhatIf writes nothing' {
        Save-KvmVMScreenshot test -Path (Join-Path $script:Tmp '{0}-shot.png') | Out-Null
        Test-Path (Join-Path $script:Tmp 'test-shot.png') | Should -BeTrue
        Save-KvmVMScreenshot test -Path (Join-Path $script:Tmp 'whatif.png') -WhatIf
        Test-Path (Join-Path $script:Tmp 'whatif.png') | Should -BeFalse
    }
}
