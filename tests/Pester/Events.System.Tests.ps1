# Events on a real libvirtd with QEMU: start, suspend, resume, reboot and stop of the test guest
# arrive in order through Register-KvmEvent; and on a private daemon of this file
# (PrivateDaemon.ps1), a daemon killed and started again: the registration says so and events
# keep coming after the reconnect.
BeforeDiscovery {
    $script:HaveImageTools = [bool](Get-Command apt-get -ErrorAction Ignore) -and (Test-Path /bin/busybox)
    . (Join-Path $PSScriptRoot 'PrivateDaemon.ps1')
    $script:SkipReason = Get-PrivateDaemonSkipReason
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'PrivateDaemon.ps1')
    Reset-KvmSession

    function Receive-Queued([string] $Id, [scriptblock] $Until, [int] $TimeoutSec = 60) {
        # Collects the queued events of a registration until $Until is true of what came so far.
        $got = [Collections.Generic.List[object]]::new()
        $deadline = (Get-Date).AddSeconds($TimeoutSec)
        while ((Get-Date) -lt $deadline) {
            $e = Wait-Event -SourceIdentifier $Id -Timeout 1
            if ($e) {
                $got.Add($e.SourceEventArgs)
                $e | Remove-Event
                if (& $Until $got) { break }
            }
        }
        , $got.ToArray()
    }
}

AfterAll {
    Unregister-KvmEvent -ErrorAction SilentlyContinue
    Reset-KvmSession
}

Describe 'Lifecycle and reboot events of the test guest' -Tag System -Skip:(-not $HaveImageTools) {
    BeforeAll {
        Import-Module (Join-Path $script:RepoRoot 'tests/guest/TestGuest.psm1') -Force
        $script:Dir = New-TestGuestWorkDirectory -Prefix kvmps-evsys-
        $script:Vm = "kvmps-evsys-$PID"
        $script:Log = Join-Path $script:Dir 'serial.log'
        $xml = Join-Path $script:Dir 'guest.xml'
        New-TestGuestDomainXml -Name $script:Vm -MemoryMiB 256 -VCpu 1 -SerialLog $script:Log -Hold | Set-Content $xml
        virsh -c $script:SystemUri define $xml | Out-Null
    }

    AfterAll {
        Unregister-KvmEvent kvmps-evsys -ErrorAction SilentlyContinue
        virsh -c $script:SystemUri destroy $script:Vm *> $null
        virsh -c $script:SystemUri undefine $script:Vm *> $null
        Remove-Item -Recurse -Force $script:Dir -ErrorAction Ignore
    }

    It 'receives start, suspend, resume, reboot and stop in order' {
        Register-KvmEvent -EventType Lifecycle, Reboot -VMName $script:Vm -SourceIdentifier kvmps-evsys -Uri $script:SystemUri
        Start-KvmVM $script:Vm -Uri $script:SystemUri
        $null = Read-TestGuestReport -SerialLog $script:Log -TimeoutSec 180
        Suspend-KvmVM $script:Vm -Uri $script:SystemUri
        Resume-KvmVM $script:Vm -Uri $script:SystemUri
        # An ACPI reboot; the held guest boots again and prints a second report.
        virsh -c $script:SystemUri reboot $script:Vm | Out-Null
        $null = Read-TestGuestReport -SerialLog $script:Log -Occurrence 2 -TimeoutSec 180
        Stop-KvmVM $script:Vm -TurnOff -Confirm:$false -Uri $script:SystemUri
        $got = Receive-Queued kvmps-evsys { param($g) $g.Event -contains 'Stopped' }
        # libvirt starts QEMU paused and resumes it (a Resumed may come first), and QEMU may report
        # the reset as a suspend/resume pair: find the expected events one after the other.
        $seq = @($got | Where-Object { $_.EventType -eq 'Reboot' -or $_.Event -in 'Started', 'Suspended', 'Resumed', 'Stopped' } |
                ForEach-Object { if ($_.EventType -eq 'Reboot') { 'Reboot' } else { "$($_.Event)/$($_.Detail)" } })
        $at = -1
        foreach ($want in 'Started/Booted', 'Suspended/Paused', 'Resumed/Unpaused', 'Reboot', 'Stopped/Destroyed') {
            $next = [array]::IndexOf($seq, $want, $at + 1)
            $next | Should -BeGreaterThan $at -Because "'$want' follows in: $($seq -join ', ')"
            $at = $next
        }
        $seq[-1] | Should -Be 'Stopped/Destroyed'
        ($got.SequenceNumber | Sort-Object) | Should -Be $got.SequenceNumber
        $got.VMName | Sort-Object -Unique | Should -Be $script:Vm
    }
}

Describe 'Events across a daemon restart' -Tag System -Skip:([bool]$SkipReason) {
    BeforeAll {
        $script:D = New-PrivateDaemon 'kvmps-evrst'
        $script:PUri = $script:D.Uri
        $script:Vm = 'kvmps-evrst-vm'
        $xml = Join-Path $script:D.Dir 'vm.xml'
        # A small domain without an OS: enough for QEMU to start and stop it.
        "<domain type='qemu'><name>$($script:Vm)</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>" | Set-Content $xml
        virsh -c $script:PUri define $xml | Out-Null
    }

    AfterAll {
        Unregister-KvmEvent kvmps-evrst -ErrorAction SilentlyContinue
        if ($script:D) { Remove-PrivateDaemon $script:D }
    }

    It 'says the connection was lost and re-established, and events keep coming' {
        Register-KvmEvent Lifecycle -VMName $script:Vm -SourceIdentifier kvmps-evrst -Uri $script:PUri
        virsh -c $script:PUri start $script:Vm | Out-Null
        $first = Receive-Queued kvmps-evrst { param($g) $g.Event -contains 'Started' } -TimeoutSec 30
        $first.Event | Should -Contain 'Started'

        Stop-PrivateDaemon $script:D -Kill
        $lost = Receive-Queued kvmps-evrst { param($g) $g.Event -contains 'Disconnected' } -TimeoutSec 30
        $lost.EventType | Should -Contain 'Connection'
        ($lost | Where-Object Event -EQ Disconnected).Message | Should -Match 'lost'

        Start-PrivateDaemon $script:D
        $back = Receive-Queued kvmps-evrst { param($g) $g.Event -contains 'Reconnected' } -TimeoutSec 60
        ($back | Where-Object Event -EQ Reconnected).Message | Should -Match 'registered again'
        # The notice reaches the next event command as a warning too.
        $null = Get-KvmEvent -Uri $script:PUri -WarningVariable w -WarningAction SilentlyContinue
        ($w -join "`n") | Should -Match 'back after'

        # QEMU kept running while the daemon was away; stop it through the new daemon.
        virsh -c $script:PUri destroy $script:Vm | Out-Null
        $after = Receive-Queued kvmps-evrst { param($g) $g.Event -contains 'Stopped' } -TimeoutSec 30
        ($after | Where-Object Event -EQ Stopped).Detail | Should -Be 'Destroyed'
        (Get-KvmEvent -Registration | Where-Object SourceIdentifier -EQ kvmps-evrst).Received | Should -BeGreaterOrEqual 4
    }
}
