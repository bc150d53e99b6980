# Events on libvirt's test driver: lifecycle events from start, stop, suspend and resume reach
# PowerShell's eventing (Get-Event, Wait-Event, -Action), Get-KvmEvent and Wait-KvmEvent.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Reset-KvmSession
    Connect-KvmHost test:///default
    $script:Vm = "kvmps-ev-$PID"
    Import-KvmVM -Xml "<domain type='test'><name>$Vm</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>"

    function Receive-Queued([string] $Id, [int] $Count, [int] $TimeoutSec = 10) {
        $deadline = (Get-Date).AddSeconds($TimeoutSec)
        while (@(Get-Event -SourceIdentifier $Id -ErrorAction SilentlyContinue).Count -lt $Count -and (Get-Date) -lt $deadline) {
            $null = Wait-Event -SourceIdentifier $Id -Timeout 1
        }
        $got = @(Get-Event -SourceIdentifier $Id -ErrorAction SilentlyContinue)
        $got | Remove-Event
        $got
    }
}

AfterAll {
    Unregister-KvmEvent -ErrorAction SilentlyContinue
    Stop-KvmVM $Vm -TurnOff -Confirm:$false -ErrorAction SilentlyContinue
    Remove-KvmVM $Vm -Confirm:$false -ErrorAction SilentlyContinue
    Reset-KvmSession
}

Describe 'Register-KvmEvent' {
    AfterEach { Unregister-KvmEvent -ErrorAction SilentlyContinue; Get-Event | Remove-Event }

    It 'queues start, suspend, resume and stop in order for Get-Event' {
        Register-KvmEvent -EventType Lifecycle -VMName $Vm -SourceIdentifier kvmps-ev-order
        Start-KvmVM $Vm
        Suspend-KvmVM $Vm
        Resume-KvmVM $Vm
        Stop-KvmVM $Vm -TurnOff -Confirm:$false
        $got = @(Receive-Queued kvmps-ev-order 4)
        $got.SourceEventArgs.Event | Should -Be @('Started', 'Suspended', 'Resumed', 'Stopped')
        $got.SourceEventArgs.Detail | Should -Be @('Booted', 'Paused', 'Unpaused', 'Destroyed')
        $got.SourceEventArgs.VMName | Sort-Object -Unique | Should -Be $Vm
        $got[0].SourceEventArgs | Should -BeOfType KvmPS.KvmEvent
        $got[0].SourceEventArgs.Uuid | Should -Be (Get-KvmVM $Vm).Uuid
    }

    It 'filters by VM name' {
        Register-KvmEvent Lifecycle -VMName 'kvmps-ev-other*' -SourceIdentifier kvmps-ev-filter
        Start-KvmVM $Vm
        Stop-KvmVM $Vm -TurnOff -Confirm:$false
        Start-Sleep -Milliseconds 500
        @(Get-Event -SourceIdentifier kvmps-ev-filter -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'filters by kind' {
        Register-KvmEvent Reboot -SourceIdentifier kvmps-ev-kind
        Start-KvmVM $Vm
        Stop-KvmVM $Vm -TurnOff -Confirm:$false
        Start-Sleep -Milliseconds 500
        @(Get-Event -SourceIdentifier kvmps-ev-kind -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'runs -Action for each event and returns its job' {
        $global:KvmPSEvTest = [Collections.Concurrent.ConcurrentQueue[object]]::new()
        $job = Register-KvmEvent Lifecycle -VMName $Vm -Action { $global:KvmPSEvTest.Enqueue($Event.SourceEventArgs) } -MessageData 'x'
        $job | Should -BeOfType System.Management.Automation.PSEventJob
        Start-KvmVM $Vm
        Stop-KvmVM $Vm -TurnOff -Confirm:$false
        $deadline = (Get-Date).AddSeconds(10)
        while ($global:KvmPSEvTest.Count -lt 2 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
        # The actions are queued on libvirt's thread in arrival order and run in that order.
        @($global:KvmPSEvTest.ToArray()).Event | Should -Be @('Started', 'Stopped')
        Remove-Variable KvmPSEvTest -Scope Global
    }

    It 'refuses a source identifier in use' {
        Register-KvmEvent Lifecycle -SourceIdentifier kvmps-ev-dup
        Register-KvmEvent Lifecycle -SourceIdentifier kvmps-ev-dup -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SourceIdentifierInUse,*'
        @(Get-KvmEvent -Registration | Where-Object SourceIdentifier -EQ kvmps-ev-dup).Count | Should -Be 1
    }

    It 'returns the registration with -PassThru and lists it' {
        $r = Register-KvmEvent Lifecycle, Agent -VMName $Vm -SourceIdentifier kvmps-ev-list -PassThru
        $r | Should -BeOfType KvmPS.KvmEventRegistration
        $r.EventType | Should -Be @('Lifecycle', 'Agent')
        $listed = Get-KvmEvent -Registration | Where-Object SourceIdentifier -EQ kvmps-ev-list
        $listed.VMName | Should -Be $Vm
    }
}

Describe 'Unregister-KvmEvent' {
    It 'ends a registration: no more events, gone from the subscribers' {
        Register-KvmEvent Lifecycle -VMName $Vm -SourceIdentifier kvmps-ev-unreg
        Unregister-KvmEvent kvmps-ev-unreg
        Get-EventSubscriber -SourceIdentifier kvmps-ev-unreg -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Start-KvmVM $Vm
        Stop-KvmVM $Vm -TurnOff -Confirm:$false
        Start-Sleep -Milliseconds 500
        @(Get-Event -SourceIdentifier kvmps-ev-unreg -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'reports an identifier nobody registered' {
        Unregister-KvmEvent kvmps-ev-never -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RegistrationNotFound,*'
    }

    It 'ends the hub registration when Unregister-Event is used' {
        Register-KvmEvent Lifecycle -SourceIdentifier kvmps-ev-ps
        Unregister-Event -SourceIdentifier kvmps-ev-ps
        @(Get-KvmEvent -Registration | Where-Object SourceIdentifier -EQ kvmps-ev-ps).Count | Should -Be 0
    }
}

Describe 'Get-KvmEvent and Wait-KvmEvent' {
    It 'keeps what arrived, filtered by kind, VM and time' {
        $null = Get-KvmEvent -Listen
        $t = Get-Date
        Start-KvmVM $Vm
        Suspend-KvmVM $Vm
        Stop-KvmVM $Vm -TurnOff -Confirm:$false
        $deadline = (Get-Date).AddSeconds(10)
        while (@(Get-KvmEvent -VMName $Vm -Since $t).Count -lt 3 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $e = @(Get-KvmEvent -EventType Lifecycle -VMName $Vm -Since $t)
        $e.Event | Should -Be @('Started', 'Suspended', 'Stopped')
        @(Get-KvmEvent -VMName $Vm -Since $t -Newest 1).Event | Should -Be 'Stopped'
        @(Get-KvmEvent -EventType Reboot -VMName $Vm -Since $t).Count | Should -Be 0
        $e[1].SequenceNumber | Should -BeGreaterThan $e[0].SequenceNumber
    }

    It 'waits for a matching event, counting the buffer with -Since' {
        $t = Get-Date
        Start-KvmVM $Vm
        $e = Wait-KvmEvent Lifecycle -VMName $Vm -Event Started -Since $t -TimeoutSec 10
        $e.Event | Should -Be 'Started'
        $e.VMName | Should -Be $Vm
        Stop-KvmVM $Vm -TurnOff -Confirm:$false
    }

    It 'waits for an event that comes later' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModulePath'; Start-Sleep -Milliseconds 800; Start-KvmVM -Name '$Vm' -Uri test:///default").BeginInvoke()
        try {
            $e = Wait-KvmEvent Lifecycle -VMName $Vm -Event Started -TimeoutSec 15
            $e.Detail | Should -Be 'Booted'
        } finally {
            $ps.Dispose()
            Stop-KvmVM $Vm -TurnOff -Confirm:$false -ErrorAction SilentlyContinue
        }
    }

    It 'times out with WaitTimeout' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        Wait-KvmEvent Reboot -VMName $Vm -TimeoutSec 1 -ErrorVariable err -ErrorAction SilentlyContinue
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 5
        $err[0].FullyQualifiedErrorId | Should -BeLike 'WaitTimeout,*'
        $err[0].CategoryInfo.Category | Should -Be OperationTimeout
    }

    It 'shows events in a table and a list' {
        $text = Get-KvmEvent -VMName $Vm -Newest 2 | Format-Table | Out-String -Width 200
        $text | Should -Match 'VMName\s+EventType\s+Event\s+Detail'
        (Get-KvmEvent -VMName $Vm -Newest 1 | Format-List | Out-String) | Should -Match 'Message\s+:\s+VM '
    }
}
