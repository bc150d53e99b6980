# A failed connection is one clean ErrorRecord: nothing from libvirt or libxml2 reaches the console
# beside it, and the message reads as one sentence. Runs the commands in a child pwsh so its stderr
# can be read (libxml2 writes straight to file descriptor 2, past PowerShell's streams).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    function Invoke-ChildPwsh([string] $Script) {
        $exe, $pre = Get-PwshCommand
        $stderr = [IO.Path]::GetTempFileName()
        try {
            $full = "Import-Module '$script:ModulePath'`n$Script"
            $stdout = & $exe @pre -NoProfile -NonInteractive -Command $full 2> $stderr | ForEach-Object { "$_" }
            [pscustomobject]@{ Out = @($stdout); Err = (Get-Content -Raw $stderr) }
        } finally {
            Remove-Item $stderr
        }
    }

    $script:Missing = Join-Path ([IO.Path]::GetTempPath()) "kvmps-missing-$PID.xml"
    $script:Child = Invoke-ChildPwsh @"
function Show(`$e) { 'ID=' + `$e.FullyQualifiedErrorId; 'CAT=' + `$e.CategoryInfo.Category; 'MSG=' + `$e.ToString(); 'TARGET=' + `$e.TargetObject }
try { Connect-KvmHost 'test://$script:Missing' -ErrorAction Stop } catch { Show `$_ }
try { Connect-KvmHost -Uri bogus -ErrorAction Stop } catch { Show `$_ }
# Other runspaces run on other threads, where libxml2 keeps its own error function.
1..2 | ForEach-Object -Parallel {
    Import-Module '$script:ModulePath'
    try { Connect-KvmHost 'test://$script:Missing' -ErrorAction Stop } catch { 'PAR=' + `$_.ToString() }
}
# An error written (not thrown) is formatted by PowerShell onto stderr: only that record.
Get-KvmVM -Uri 'test://$script:Missing' -ErrorAction Continue
'DONE'
"@
}

Describe 'Connection failures are clean ErrorRecords' {
    It 'ran the child to the end' {
        $Child.Out | Should -Contain 'DONE'
    }

    It 'reports a missing test-driver file as missing, with a connection category' {
        $Child.Out | Should -Contain 'ID=ConnectionFailed,KvmPS.Commands.ConnectKvmHostCommand'
        $Child.Out | Should -Contain 'CAT=ConnectionError'
        $Child.Out | Should -Contain "MSG=the test driver's host file '$Missing' does not exist (test:///default is the built-in host) (libvirt error 27 XmlError, in virConnectOpen)"
        $Child.Out | Should -Contain "TARGET=test://$Missing"
    }

    It 'reads -Uri bogus as one sentence naming the shape of a URI' {
        $msg = @($Child.Out | Where-Object { $_ -like 'MSG=*bogus*' })
        $msg.Count | Should -Be 1
        $msg[0] | Should -BeLike "MSG=URI 'bogus' does not include a driver name; a libvirt URI looks like qemu:///system*(libvirt error 5 NoConnect, in virConnectOpen)"
        $msg[0] | Should -Not -BeLike '*available for URI*'
    }

    It 'reports the same in parallel runspaces' {
        @($Child.Out | Where-Object { $_ -like "PAR=the test driver's host file*does not exist*" }).Count | Should -Be 2
    }

    It 'prints nothing on stderr but the one written error record (no libxml2 or libvirt noise)' {
        $lines = @("$($Child.Err)" -split "`n" | ForEach-Object { ($_ -replace '\x1b\[[0-9;]*m', '').Trim() } | Where-Object { $_ })
        $lines | Should -Not -Match 'I/O warning|external entity|libvirt:'
        $lines[0] | Should -BeLike 'Get-KvmVM:*' -Because "stderr was: $($Child.Err)"
        @($lines | Where-Object { $_ -like '*Get-KvmVM:*' }).Count | Should -Be 1 -Because 'one record'
        @($lines | Where-Object { $_ -like "*the test driver's host file*does not exist*" }).Count | Should -Be 1
        # Everything else is PowerShell's view of that record: the script line and its marker.
        $lines | Select-Object -Skip 1 | Should -Match '^(Line \||\d+ \||\|)' -Because "stderr was: $($Child.Err)"
    }
}
