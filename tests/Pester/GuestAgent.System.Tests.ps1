# The guest agent, the serial console and the screen of a real guest (tests/guest with
# kvmps.agent=1 and kvmps.shell=1) on a real libvirtd: what the module reports is checked against
# the guest itself (through virsh qemu-agent-command, an independent tool) and against independent
# decoders (Python's PIL for PNG, sha256sum for content).
BeforeDiscovery {
    $script:HaveImageTools = [bool](Get-Command apt-get -ErrorAction Ignore) -and (Test-Path /bin/busybox)
    & /usr/bin/python3 -c 'import PIL' 2>$null
    $script:HavePil = $LASTEXITCODE -eq 0
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
    $script:Uri = $SystemUri
    $script:Image = Get-TestGuestImage
    $script:Work = New-TestGuestWorkDirectory -Prefix 'kvmps-gagent-'
    $script:Net = "kvmps-gagent-$PID"
    New-IsolatedTestNetwork $script:Net -Uri $script:Uri -Start
    $script:Mac = '52:54:00:6a:01:07'
    $script:Agent = 'kvmps-gagent-a'
    $script:Plain = 'kvmps-gagent-plain'
    $script:Silent = 'kvmps-gagent-silent'
    $script:Log = Join-Path $script:Work 'agent.log'
    $nic = "<interface type='network'><source network='$($script:Net)'/><mac address='$($script:Mac)'/><model type='virtio'/></interface>"
    $vnc = "<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>"
    $channel = "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
    function Start-Guest([string] $Name, [string] $Xml) {
        $file = Join-Path $script:Work "$Name.xml"
        $Xml | Set-Content $file
        virsh -c $script:Uri define $file | Out-Null
        virsh -c $script:Uri start $Name | Out-Null
    }
    Start-Guest $script:Agent (New-TestGuestDomainXml -Name $script:Agent -Agent -Shell -SerialLog $script:Log -ExtraDevicesXml @($nic, $vnc))
    Start-Guest $script:Plain (New-TestGuestDomainXml -Name $script:Plain -Hold -SerialLog (Join-Path $script:Work 'plain.log'))
    # A channel without an agent behind it: the guest runs no qemu-ga.
    Start-Guest $script:Silent (New-TestGuestDomainXml -Name $script:Silent -Hold -SerialLog (Join-Path $script:Work 'silent.log') -ExtraDevicesXml @($channel))
    $script:Report = Read-TestGuestReport -SerialLog $script:Log -TimeoutSec 120
    $script:AgentUp = Wait-TestGuestAgent -Uri $script:Uri -Domain $script:Agent -TimeoutSec 60
    Reset-KvmSession
    Connect-KvmHost $script:Uri
}

AfterAll {
    foreach ($n in $script:Agent, $script:Plain, $script:Silent) {
        virsh -c $script:Uri destroy $n *> $null
        virsh -c $script:Uri undefine $n *> $null
    }
    Remove-IsolatedTestNetwork $script:Net -Uri $script:Uri
    Remove-Item $script:Work -Recurse -Force -ErrorAction Ignore
}

Describe 'The guest agent of a real guest' -Tag System -Skip:(-not $HaveImageTools) {
    BeforeAll {
        if (-not $script:AgentUp) { throw "The test guest's agent did not answer (report: agent=$($Report.agent))" }
    }

    It 'Test-KvmVMGuestAgent finds it ready, and -Quiet says $true' {
        $s = Test-KvmVMGuestAgent $script:Agent
        $s.Configured | Should -BeTrue
        $s.Responding | Should -BeTrue
        $s.ExecAllowed | Should -BeTrue
        $s.Version | Should -Match '^\d+\.\d+'
        Test-KvmVMGuestAgent $script:Agent -Quiet | Should -BeTrue
    }

    It 'Invoke-KvmVMScript returns the output and the exit code of a script, with arguments' {
        $r = Invoke-KvmVMScript $script:Agent -ScriptText 'echo "out:$1:$2"; echo err >&2; exit 3' -ArgumentList 'a b', 'c'
        $r.StdOut | Should -Be "out:a b:c`n"
        $r.StdErr | Should -Be "err`n"
        $r.ExitCode | Should -Be 3
        $r.TimedOut | Should -BeFalse
        $r.Truncated | Should -BeFalse
    }

    It 'Invoke-KvmVMScript -Command runs a program without a shell; the guest agrees through virsh' {
        $r = Get-KvmVM $script:Agent | Invoke-KvmVMScript -Command cat -ArgumentList /proc/sys/kernel/random/boot_id
        $r.ExitCode | Should -Be 0
        $r.StdOut.Trim() | Should -Be $Report.boot_id
        (Invoke-TestGuestCommand -Uri $script:Uri -Domain $script:Agent -Script 'hostname').StdOut.Trim() |
            Should -Be (Invoke-KvmVMScript $script:Agent 'hostname').StdOut.Trim()
    }

    It 'Invoke-KvmVMScript -TimeoutSec returns TimedOut with a warning while the program goes on' {
        $r = Invoke-KvmVMScript $script:Agent 'sleep 20' -TimeoutSec 1 -WarningVariable w -WarningAction SilentlyContinue
        $r.TimedOut | Should -BeTrue
        $r.ExitCode | Should -BeNullOrEmpty
        "$w" | Should -Match 'still running'
    }

    It 'Copy-KvmVMFile copies 5 MiB in and out byte-identical, keeping the mode' {
        $src = Join-Path $script:Work 'in.bin'
        $bytes = [byte[]]::new(5MB); [Random]::new(14).NextBytes($bytes); [IO.File]::WriteAllBytes($src, $bytes)
        [IO.File]::SetUnixFileMode($src, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, OtherRead')
        $in = Copy-KvmVMFile $script:Agent -Source $src -Destination /tmp/in.bin
        $in.Length | Should -Be 5MB
        $in.Mode | Should -Be '744'
        $sum = (Invoke-TestGuestCommand -Uri $script:Uri -Domain $script:Agent -Script 'sha256sum /tmp/in.bin; stat -c %a /tmp/in.bin').StdOut -split '\s+'
        $sum[0] | Should -Be (Get-FileHash $src -Algorithm SHA256).Hash.ToLower()
        $sum[2] | Should -Be '744'
        $dst = Join-Path $script:Work 'out.bin'
        $out = Copy-KvmVMFile $script:Agent -Source /tmp/in.bin -Destination $dst -FromGuest
        $out.Sha256 | Should -Be $in.Sha256
        (Get-FileHash $dst -Algorithm SHA256).Hash | Should -Be (Get-FileHash $src -Algorithm SHA256).Hash
        [IO.File]::GetUnixFileMode($dst) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, OtherRead')
    }

    It 'Copy-KvmVMFile -FromGuest of a missing file is an error and leaves no file' {
        $dst = Join-Path $script:Work 'missing.bin'
        Copy-KvmVMFile $script:Agent -Source /no/such/file -Destination $dst -FromGuest -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'GuestAgentCommandFailed,KvmPS.Commands.CopyKvmVMFileCommand'
        Test-Path $dst | Should -BeFalse
        Test-Path "$dst.kvmps-partial" | Should -BeFalse
    }

    It 'Get-KvmVMGuestInfo shows the NIC with the MAC the VM was given, and the host name' {
        $i = Get-KvmVMGuestInfo $script:Agent
        $i.AgentResponding | Should -BeTrue
        $i.HostName | Should -Be 'kvmps-guest'
        $i.KernelRelease | Should -Be $Report.kernel
        ($i.Interfaces | Where-Object MacAddress -eq $script:Mac).Source | Should -Be 'Agent'
        ($Report.nic | Where-Object Mac -eq $script:Mac) | Should -Not -BeNullOrEmpty
    }
}

Describe 'A guest without a working agent' -Tag System -Skip:(-not $HaveImageTools) {
    It 'no channel: GuestAgentNotConfigured (NotInstalled) that says how to add one' {
        Invoke-KvmVMScript $script:Plain 'true' -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'GuestAgentNotConfigured,KvmPS.Commands.InvokeKvmVMScriptCommand'
        $e[0].CategoryInfo.Category | Should -Be 'NotInstalled'
        "$($e[0])" | Should -Match 'org.qemu.guest_agent.0'
        Test-KvmVMGuestAgent $script:Plain -Quiet | Should -BeFalse
    }

    It 'a channel with no agent behind it: GuestAgentNotRunning (ResourceUnavailable) that says to install qemu-guest-agent' {
        Copy-KvmVMFile $script:Silent -Source /etc/hostname -Destination /tmp/x -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'GuestAgentNotRunning,KvmPS.Commands.CopyKvmVMFileCommand'
        $e[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        "$($e[0])" | Should -Match 'qemu-guest-agent'
        (Test-KvmVMGuestAgent $script:Silent).Connected | Should -BeFalse
    }

    It 'Get-KvmVMGuestInfo still returns an object, saying why the agent gave nothing' {
        $i = Get-KvmVMGuestInfo $script:Plain
        $i.AgentResponding | Should -BeFalse
        $i.AgentProblem | Should -Match 'no guest agent channel'
    }
}

Describe 'The serial console and the screen' -Tag System -Skip:(-not $HaveImageTools) {
    It 'Enter-KvmVMConsole types a command into the guest shell and reads the answer' {
        $x = @(Enter-KvmVMConsole $script:Agent -InputObject 'echo kvmps-$((6*7))', 'cat /proc/sys/kernel/random/boot_id' -Expect 'kvmps# $' -TimeoutSec 30)
        $x.Count | Should -Be 2
        $x[0].Matched | Should -BeTrue
        $x[0].Output | Should -Match '(?m)^kvmps-42$'
        $x[1].Output | Should -Match ([regex]::Escape($Report.boot_id))
    }

    It 'Get-KvmVMConsoleLog reads the serial log of the definition' {
        $lines = Get-KvmVMConsoleLog $script:Agent
        $lines | Should -Contain 'KVMPS done'
        @(Get-KvmVMConsoleLog $script:Agent -Tail 3).Count | Should -Be 3
    }

    It 'Save-KvmVMScreenshot writes a PNG of the size virsh screenshot gives, checked by PIL' -Skip:(-not $HavePil) {
        $png = Join-Path $script:Work 'screen.png'
        $ppm = Join-Path $script:Work 'screen.ppm'
        $s = Save-KvmVMScreenshot $script:Agent -Path $png
        # QEMU 7.1 and later can answer PNG itself (libvirt then says image/png); older ones give PPM.
        $s.SourceMimeType | Should -BeIn 'image/png', 'image/x-portable-pixmap'
        $s.Converted | Should -Be ($s.SourceMimeType -ne 'image/png')
        virsh -c $script:Uri screenshot $script:Agent $ppm | Out-Null
        $py = 'import sys; from PIL import Image; a=Image.open(sys.argv[1]); a.load(); b=Image.open(sys.argv[2]); b.load(); print(a.format, a.mode, a.size[0], a.size[1], b.size[0], b.size[1])'
        $out = (& /usr/bin/python3 -c $py $png $ppm) -split ' '
        $LASTEXITCODE | Should -Be 0
        $out[0] | Should -Be 'PNG'
        $out[1] | Should -Be 'RGB'
        [int]$out[2] | Should -Be ([int]$out[4])
        [int]$out[3] | Should -Be ([int]$out[5])
        $s.Width | Should -Be ([int]$out[2])
        $s.Height | Should -Be ([int]$out[3])
    }
}
