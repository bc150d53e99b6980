# Faults: the libvirt daemon stopped, killed or frozen (SIGSTOP) while a command waits on it.
# Every command must return within the keepalive limit (plus a margin) with ConnectionLost, say
# what it left behind and how to remove it, and the rerun must work. The daemon is a private one
# of this file (PrivateDaemon.ps1: own mount and network namespaces, own pid files), so these
# tests run beside the shared daemon. Keepalive is shortened here to 1 s x 2 pings.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'PrivateDaemon.ps1')
    $script:SkipReason = Get-PrivateDaemonSkipReason
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'PrivateDaemon.ps1')
    $script:Saved = @{}
    foreach ($v in 'KVMPS_KEEPALIVE_INTERVAL', 'KVMPS_KEEPALIVE_COUNT', 'KVMPS_CONNECT_TIMEOUT') { $script:Saved[$v] = [Environment]::GetEnvironmentVariable($v) }
    $env:KVMPS_KEEPALIVE_INTERVAL = '1'
    $env:KVMPS_KEEPALIVE_COUNT = '2'
    $env:KVMPS_CONNECT_TIMEOUT = '5'
    # Keepalive gives up after interval x (count + 1) = 3 s; the margin covers a loaded machine.
    $script:Limit = [TimeSpan]::FromSeconds(12)
    $script:D = $null
    if (-not (Get-PrivateDaemonSkipReason)) {
        $script:D = New-PrivateDaemon 'kvmps-fault'
        $script:Uri = $script:D.Uri
        virsh -c $script:Uri pool-create-as faults dir --target $script:D.Pool | Out-Null
    }

    function Restore-Daemon {
        # Thaws or restarts the private daemon and closes this session's connection to it.
        Send-PrivateDaemonSignal $script:D CONT
        if (-not (Get-Process -Id (Get-PrivateDaemonPid $script:D) -ErrorAction Ignore)) {
            Start-PrivateDaemon $script:D
            virsh -c $script:Uri pool-create-as faults dir --target $script:D.Pool *> $null
        }
        Reset-KvmSession
    }

    function Invoke-Timed([scriptblock] $Script) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $out = & $Script
        [pscustomobject]@{ Elapsed = $sw.Elapsed; Output = $out }
    }

    function Start-Fault([scriptblock] $Command, [object[]] $Arguments) {
        # The command runs in a thread job of this process (the module's state is per runspace).
        $module = $env:KVMPS_MODULE_PATH
        if (-not $module) { $module = Join-Path $PSScriptRoot '../../out/KvmPS/KvmPS.psd1' }
        Start-ThreadJob -ScriptBlock {
            param($Module, $Text, $Arguments)
            Import-Module $Module
            $env:KVMPS_KEEPALIVE_INTERVAL = '1'; $env:KVMPS_KEEPALIVE_COUNT = '2'; $env:KVMPS_CONNECT_TIMEOUT = '5'
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $all = & ([scriptblock]::Create($Text)) @Arguments 2>&1 3>&1
            [pscustomobject]@{
                Elapsed  = $sw.Elapsed
                Errors   = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
                Warnings = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
            }
        } -ArgumentList $module, $Command.ToString(), $Arguments
    }

    function Receive-Fault($Job, [TimeSpan] $Within) {
        $done = Wait-Job $Job -Timeout ([int][Math]::Ceiling($Within.TotalSeconds + 5))
        if (-not $done) { Stop-Job $Job; throw 'the command did not return' }
        $r = Receive-Job $Job
        Remove-Job $Job -Force
        return $r
    }
}

AfterAll {
    if ($script:D) { Remove-PrivateDaemon $script:D }
    foreach ($v in $script:Saved.Keys) { [Environment]::SetEnvironmentVariable($v, $script:Saved[$v]) }
    Reset-KvmSession
}

Describe 'A daemon that stops answering' -Tag System, Faults -Skip:([bool]$SkipReason) {
    AfterEach { Restore-Daemon }

    It 'Get-KvmVM on a frozen daemon returns within the keepalive limit with ConnectionLost; the rerun works once it thaws' {
        @(Get-KvmVM -Uri $Uri).Count | Should -Be 0
        Send-PrivateDaemonSignal $D STOP
        $r = Invoke-Timed { Get-KvmVM -Uri $Uri -ErrorVariable e -ErrorAction SilentlyContinue; $e }
        $r.Elapsed | Should -BeLessThan $Limit
        $r.Output[0].FullyQualifiedErrorId | Should -Be 'ConnectionLost,KvmPS.Commands.GetKvmVMCommand'
        $r.Output[0].ErrorDetails.Message | Should -Match 'keepalive'
        # Still frozen: the next command fails within the connect timeout, as lost too.
        $r = Invoke-Timed { Get-KvmNetwork -Uri $Uri -ErrorVariable e -ErrorAction SilentlyContinue; $e }
        $r.Elapsed | Should -BeLessThan $Limit
        $r.Output[0].FullyQualifiedErrorId | Should -Be 'ConnectionLost,KvmPS.Commands.GetKvmNetworkCommand'
        Send-PrivateDaemonSignal $D CONT
        @(Get-KvmVM -Uri $Uri).Count | Should -Be 0
    }

    It 'Get-KvmVM after the daemon was killed says ConnectionLost at once, in every cmdlet alike' {
        Get-KvmHost -Uri $Uri | Should -Not -BeNullOrEmpty
        Stop-PrivateDaemon $D -Kill
        foreach ($c in 'Get-KvmVM', 'Get-KvmStoragePool', 'Get-KvmHost') {
            $r = Invoke-Timed { & $c -Uri $Uri -ErrorVariable e -ErrorAction SilentlyContinue; $e }
            $r.Elapsed | Should -BeLessThan ([TimeSpan]::FromSeconds(5))
            $r.Output[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionLost,*'
            $r.Output[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        }
        Start-PrivateDaemon $D
        (Get-KvmHost -Uri $Uri).HypervisorType | Should -Be 'QEMU'
    }

    It 'a host never reached is ConnectionFailed, within the connect timeout when it accepts but never answers' {
        Get-KvmVM -Uri 'qemu+unix:///system?socket=/nonexistent/sock' -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'ConnectionFailed,KvmPS.Commands.GetKvmVMCommand'
        Reset-KvmSession
        Send-PrivateDaemonSignal $D STOP
        $r = Invoke-Timed { Connect-KvmHost $Uri -ErrorVariable e -ErrorAction SilentlyContinue; $e }
        $r.Elapsed | Should -BeLessThan $Limit
        $r.Output[0].FullyQualifiedErrorId | Should -Be 'ConnectionFailed,KvmPS.Commands.ConnectKvmHostCommand'
        $r.Output[0].ErrorDetails.Message | Should -Match 'no answer .* within 5 s'
    }

    It 'Import-KvmVolume of a big file, daemon frozen mid-upload: ConnectionLost, the partial volume named, the rerun replaces it' {
        $file = Join-Path $D.Dir 'big.img'
        # Data, not zeros: an upload into a file pool sends zero chunks as holes, which would allocate
        # nothing to wait for and end before the daemon is frozen.
        & bash -c 'yes kvmps-fault-data | head -c 1536M > "$1"' kvmps $file
        $job = Start-Fault { param($Uri, $File) Import-KvmVolume -Uri $Uri -Path $File -Pool faults -Name big.img -Confirm:$false } @($Uri, $file)
        $target = Join-Path $D.Pool 'big.img'
        (Wait-Until { (Test-Path $target) -and (Get-Item $target).Length -gt 0 -and (& du -k $target).Split()[0] -gt 8192 } -TimeoutSec 30) | Should -BeTrue
        Send-PrivateDaemonSignal $D STOP
        $r = Receive-Fault $job $Limit
        $r.Elapsed | Should -BeLessThan ($Limit + [TimeSpan]::FromSeconds(3))
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionLost,*'
        ($r.Warnings -join "`n") | Should -Match "Remove-KvmVolume -Pool 'faults' -Name 'big.img'"
        Send-PrivateDaemonSignal $D CONT
        Reset-KvmSession
        $v = Import-KvmVolume -Uri $Uri -Path $file -Pool faults -Name big.img -Confirm:$false -PassThru
        $v.CapacityBytes | Should -Be (1536MB)
        # The mark is gone: the head of the volume is the file's own.
        $head = [byte[]]::new(64); $own = [byte[]]::new(64)
        $fs = [IO.File]::OpenRead($target); try { $null = $fs.Read($head, 0, 64) } finally { $fs.Dispose() }
        $fs = [IO.File]::OpenRead($file); try { $null = $fs.Read($own, 0, 64) } finally { $fs.Dispose() }
        [Text.Encoding]::ASCII.GetString($head) | Should -Be ([Text.Encoding]::ASCII.GetString($own))
        [Text.Encoding]::ASCII.GetString($head) | Should -BeLike 'kvmps-fault-data*'
        Remove-KvmVolume -Uri $Uri -Pool faults -Name big.img -Confirm:$false
        Remove-Item $file
    }

    It 'Import-KvmVolume never replaces a volume of that name it did not leave' {
        $file = Join-Path $D.Dir 'small.img'
        [IO.File]::WriteAllBytes($file, [byte[]](1..200 | ForEach-Object { 7 }))
        virsh -c $Uri vol-create-as faults small.img 200 --format raw | Out-Null
        virsh -c $Uri vol-upload --pool faults small.img $file | Out-Null
        Import-KvmVolume -Uri $Uri -Path $file -Pool faults -Name small.img -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'StorageVolumeExists,KvmPS.Commands.ImportKvmVolumeCommand'
        virsh -c $Uri vol-delete --pool faults small.img | Out-Null
    }

    It 'New-KvmVM with a volume, daemon killed while it starts the VM: ConnectionLost, the leftovers named with their commands, which clean up for the rerun' {
        $job = Start-Fault { param($Uri) New-KvmVM -Uri $Uri -Name fault-vm -Memory 64MB -Pool faults -DiskSize 16MB -VirtType Qemu -Start -Confirm:$false } @($Uri)
        $conf = Join-Path $D.Dir 'etc/qemu/fault-vm.xml'
        (Wait-Until { Test-Path $conf } -TimeoutSec 30) | Should -BeTrue
        Stop-PrivateDaemon $D -Kill
        $r = Receive-Fault $job $Limit
        $r.Elapsed | Should -BeLessThan $Limit
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionLost,*'
        $text = $r.Warnings -join "`n"
        $text | Should -Match "Remove-KvmVM -Name 'fault-vm' -DeleteStorage"
        $text | Should -Match "Remove-KvmVolume -Pool 'faults' -Name 'fault-vm.qcow2'"
        Restore-Daemon
        # Each named command works, in the order given (newest first), and then the rerun does.
        foreach ($cmd in [regex]::Matches($text, 'Remove it with: (.+)$', 'Multiline') | ForEach-Object { $_.Groups[1].Value }) {
            Invoke-Expression "$cmd -ErrorAction SilentlyContinue"
        }
        virsh -c $Uri vol-list faults | Should -Not -Match 'fault-vm'
        New-KvmVM -Uri $Uri -Name fault-vm -Memory 64MB -Pool faults -DiskSize 16MB -VirtType Qemu -Confirm:$false | Out-Null
        (Get-KvmVM -Uri $Uri -Name fault-vm).Name | Should -Be 'fault-vm'
        Remove-KvmVM -Uri $Uri -Name fault-vm -DeleteStorage -Confirm:$false
    }

    It 'Stop-KvmVM waiting for a guest that ignores the shutdown, daemon frozen: returns within the limit with ConnectionLost' {
        New-KvmVM -Uri $Uri -Name fault-wait -Memory 64MB -VirtType Qemu -Start -Confirm:$false | Out-Null
        $job = Start-Fault { param($Uri) Stop-KvmVM -Uri $Uri -Name fault-wait -TimeoutSec 60 -Confirm:$false } @($Uri)
        Start-Sleep -Milliseconds 1500
        Send-PrivateDaemonSignal $D STOP
        $r = Receive-Fault $job $Limit
        $r.Elapsed | Should -BeLessThan ($Limit + [TimeSpan]::FromSeconds(2))
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionLost,*'
        Restore-Daemon
        virsh -c $Uri destroy fault-wait *> $null
        Remove-KvmVM -Uri $Uri -Name fault-wait -Confirm:$false
        @(Get-KvmVM -Uri $Uri).Count | Should -Be 0
    }

    It 'a description over the remote protocol''s limit is refused before sending, with the limit in the message' {
        New-KvmVM -Uri $Uri -Name fault-desc -Memory 64MB -VirtType Qemu -Confirm:$false | Out-Null
        Set-KvmVM -Uri $Uri -Name fault-desc -Description ('x' * 5MB) -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'PayloadTooLarge,KvmPS.Commands.SetKvmVMCommand'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e[0].Exception.Message | Should -Match '4 MiB'
        (Get-KvmVM -Uri $Uri -Name fault-desc).Name | Should -Be 'fault-desc'
        New-KvmVM -Uri $Uri -Name fault-desc2 -Memory 64MB -VirtType Qemu -Description ('y' * 5MB) -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'PayloadTooLarge,*'
        @(Get-KvmVM -Uri $Uri -Name fault-desc2 -ErrorAction SilentlyContinue).Count | Should -Be 0
        Remove-KvmVM -Uri $Uri -Name fault-desc -Confirm:$false
    }
}
