# Enter-KvmVMConsole as a person uses it: a PowerShell on a real pseudo-terminal (tests/Pester/
# PtySession.py, Python's pty module) runs the cmdlet against the test guest's shell on its serial
# console (kvmps.shell=1), types a command key by key, reads the guest's answer, presses the escape
# key (Ctrl+]) and then checks that the cmdlet returned and the same PowerShell reads the next line.
BeforeDiscovery {
    $script:HaveImageTools = [bool](Get-Command apt-get -ErrorAction Ignore) -and (Test-Path /bin/busybox)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Uri = $SystemUri
    $script:Work = New-TestGuestWorkDirectory -Prefix 'kvmps-ttycon-'
    $script:Guest = "kvmps-ttycon-$PID"
    $script:Log = Join-Path $script:Work 'console.log'
    if ($HaveImageTools) {
        $null = Get-TestGuestImage
        $file = Join-Path $script:Work 'guest.xml'
        New-TestGuestDomainXml -Name $script:Guest -Shell -ConsolePty -SerialLog $script:Log | Set-Content $file
        virsh -c $script:Uri define $file | Out-Null
        virsh -c $script:Uri start $script:Guest | Out-Null
        $script:Report = Read-TestGuestReport -SerialLog $script:Log -TimeoutSec 120
    }

    function Invoke-PtyConversation([object[]] $Steps, [string] $Script) {
        # The PowerShell under test: a fresh one, its input and output the pty (not redirected).
        $exe, $pre = Get-PwshCommand
        $json = ConvertTo-Json -InputObject $Steps -Compress -Depth 3
        $out = & /usr/bin/python3 (Join-Path $PSScriptRoot 'PtySession.py') $json $exe @pre -NoProfile -NoLogo -Command $Script
        $LASTEXITCODE | Should -Be 0
        $out | ConvertFrom-Json
    }
}

AfterAll {
    virsh -c $script:Uri destroy $script:Guest *> $null
    virsh -c $script:Uri undefine $script:Guest *> $null
    Remove-Item $script:Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Enter-KvmVMConsole on a terminal' -Tag System -Skip:(-not $HaveImageTools) {
    It 'types into the guest shell, shows its answer, and Ctrl+] gives the terminal back to PowerShell' {
        $script = @"
Import-Module '$env:KVMPS_MODULE_PATH'
Enter-KvmVMConsole '$($script:Guest)' -Uri '$($script:Uri)'
[Console]::Out.WriteLine('console-returned ' + (6 * 7))
`$line = [Console]::In.ReadLine()
[Console]::Out.WriteLine('pwsh-read <' + `$line + '>')
"@
        $steps = @(
            @{ expect = 'Connected to the console of VM'; timeout = 90 }
            @{ send = "`r" }
            @{ expect = 'kvmps# '; timeout = 30 }
            @{ send = "echo tty-`$((6*7))-ok`r" }
            @{ expect = 'tty-42-ok'; timeout = 30 }
            @{ expect = 'kvmps# '; timeout = 30 }
            @{ send = [string][char]0x1d }
            @{ expect = 'console-returned 42'; timeout = 30 }
            @{ send = "after-escape`r" }
            @{ expect = 'pwsh-read <after-escape>'; timeout = 30 }
        )
        $r = Invoke-PtyConversation $steps $script
        $because = "step $($r.failedStep) failed; the terminal showed:`n$($r.transcript)"
        $r.ok | Should -BeTrue -Because $because
        $r.exitCode | Should -Be 0 -Because $because
        # The guest computed the answer ($((6*7)) is typed, 42 comes back) ...
        $r.transcript | Should -Match 'tty-42-ok'
        # ... and what was typed after the escape key went to PowerShell, not to the guest.
        Start-Sleep -Seconds 1
        Get-Content $script:Log -Raw | Should -Not -Match 'after-escape'
        Get-Content $script:Log -Raw | Should -Match 'tty-42-ok'
    }

    It 'Ctrl+C inside the console goes to the guest and does not stop the cmdlet' {
        # The guest's shell echoes the control byte it receives as ^C (its line discipline's echo;
        # the local terminal is raw, so the echo can only come from the guest).
        $script = @"
Import-Module '$env:KVMPS_MODULE_PATH'
Enter-KvmVMConsole '$($script:Guest)' -Uri '$($script:Uri)'
[Console]::Out.WriteLine('console-returned ' + (6 * 7))
"@
        $steps = @(
            @{ expect = 'Connected to the console of VM'; timeout = 90 }
            @{ send = "`r" }
            @{ expect = 'kvmps# '; timeout = 30 }
            @{ send = [string][char]3 }
            @{ expect = '\^C'; timeout = 30 }
            @{ send = "echo after-ctrl-c-`$((7*6))`r" }
            @{ expect = 'after-ctrl-c-42'; timeout = 30 }
            @{ send = [string][char]0x1d }
            @{ expect = 'console-returned 42'; timeout = 30 }
        )
        $r = Invoke-PtyConversation $steps $script
        $because = "step $($r.failedStep) failed; the terminal showed:`n$($r.transcript)"
        $r.ok | Should -BeTrue -Because $because
        $r.exitCode | Should -Be 0 -Because $because
    }
}
