# Concurrent changes of one VM's definition: runspaces of one process share test:///default, so
# each adds its own network adapters to the same VM at the same time, and none may be lost
# silently (an adapter missing at the end must have been reported as an error).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

AfterAll {
    Reset-KvmSession
}

Describe 'Concurrent edits of one VM' {
    BeforeEach {
        Reset-KvmSession
        Connect-KvmHost test:///default
        New-KvmVM -Name cedit1 -Memory 256MB -VCpuCount 1 -Network default
        $script:pool = [runspacefactory]::CreateRunspacePool(8, 8)
        $script:pool.Open()
    }
    AfterEach {
        $script:pool.Dispose()
        Remove-KvmVM cedit1 -Confirm:$false -ErrorAction SilentlyContinue
        Reset-KvmSession
    }

    It 'keeps every network adapter eight runspaces add to the same VM, or reports the one it could not add' {
        $work = {
            param([string] $ModulePath, [int] $Runspace)
            Import-Module $ModulePath
            foreach ($i in 1..5) {
                $mac = '52:54:00:ce:{0:x2}:{1:x2}' -f $Runspace, $i
                $err = $null
                Add-KvmNetworkAdapter cedit1 -Uri test:///default -MacAddress $mac -ErrorAction SilentlyContinue -ErrorVariable err
                [pscustomobject]@{ Mac = $mac; Failed = [bool]$err; ErrorId = "$($err | Select-Object -First 1 | ForEach-Object FullyQualifiedErrorId)" }
            }
        }
        $jobs = foreach ($r in 1..8) {
            $ps = [powershell]::Create()
            $ps.RunspacePool = $script:pool
            $null = $ps.AddScript($work).AddArgument($script:ModulePath).AddArgument($r)
            [pscustomobject]@{ PS = $ps; Handle = $ps.BeginInvoke() }
        }
        $results = @(foreach ($j in $jobs) {
            try {
                $j.PS.EndInvoke($j.Handle)
                $j.PS.Streams.Error | ForEach-Object { throw $_ }
            } finally {
                $j.PS.Dispose()
            }
        })

        $results.Count | Should -Be 40
        @($results.Mac | Sort-Object -Unique).Count | Should -Be 40
        $present = @(Get-KvmNetworkAdapter cedit1 | ForEach-Object MacAddress)
        $failed = @($results | Where-Object Failed | ForEach-Object Mac)
        foreach ($r in $results) {
            if ($r.Mac -notin $present) {
                $r.Mac | Should -BeIn $failed -Because "adapter $($r.Mac) is missing, so its Add must have failed"
            }
            if ($r.Failed) {
                $r.Mac | Should -Not -BeIn $present -Because "a failed Add ($($r.ErrorId)) must have left nothing behind"
            }
        }
        # The adapter New-KvmVM made is still there too.
        $present.Count | Should -Be (1 + 40 - $failed.Count)
    }
}

Describe 'Concurrent edits of one VM from two processes' -Tag System {
    # Two processes cannot share the in-process test driver: they edit a VM of the real daemon.
    BeforeAll {
        $script:Uri = 'qemu:///system'
        # A network that is defined, never started: the adapters go into the stopped VM's configuration.
        $script:Net = "kvmps-cedit-net-$PID"
        New-IsolatedTestNetwork -Name $Net -Uri $Uri
        $null = Import-KvmVM -Uri $Uri -Force -Xml "<domain type='qemu'><name>kvmps-cedit-proc</name><memory>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>"
        $script:Exe, $script:Pre = Get-PwshCommand
    }
    AfterAll {
        Remove-KvmVM -Uri $Uri -Name kvmps-cedit-proc -Confirm:$false -ErrorAction Ignore
        Remove-IsolatedTestNetwork -Name $Net -Uri $Uri
    }

    It 'keeps every network adapter two processes add at the same time, or reports the one it could not add' {
        $outs = foreach ($p in 1, 2) { Join-Path ([IO.Path]::GetTempPath()) "kvmps-cedit-$PID-$p.json" }
        $procs = foreach ($p in 1, 2) {
            $work = "Import-Module '$script:ModulePath'; " +
                "`$r = foreach (`$i in 1..6) { `$mac = '52:54:00:cf:{0:x2}:{1:x2}' -f $p, `$i; `$err = `$null; " +
                "Add-KvmNetworkAdapter kvmps-cedit-proc -Uri $Uri -Network $Net -MacAddress `$mac -ErrorAction SilentlyContinue -ErrorVariable err; " +
                "[pscustomobject]@{ Mac = `$mac; Failed = [bool]`$err } }; `$r | ConvertTo-Json | Set-Content '$($outs[$p - 1])'"
            Start-Process -FilePath $Exe -ArgumentList (@($Pre) + @('-NoProfile', '-NonInteractive', '-Command', $work)) -PassThru
        }
        foreach ($proc in $procs) { $proc.WaitForExit(120000) | Should -BeTrue }
        $results = @($outs | ForEach-Object { Get-Content $_ -Raw | ConvertFrom-Json } | ForEach-Object { $_ })
        Remove-Item $outs -ErrorAction Ignore
        $results.Count | Should -Be 12
        $present = @(Get-KvmNetworkAdapter -Uri $Uri -Name kvmps-cedit-proc | ForEach-Object MacAddress)
        foreach ($r in $results) {
            if ($r.Failed) { $r.Mac | Should -Not -BeIn $present -Because 'a failed Add must leave nothing behind' }
            else { $r.Mac | Should -BeIn $present -Because "the Add of $($r.Mac) reported no error, so the adapter must be there" }
        }
    }
}
