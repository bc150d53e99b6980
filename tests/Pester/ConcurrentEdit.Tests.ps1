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
        $script:pool = [runspacefactory]::CreateRunspacePool(4, 4)
        $script:pool.Open()
    }
    AfterEach {
        $script:pool.Dispose()
        Remove-KvmVM cedit1 -Confirm:$false -ErrorAction SilentlyContinue
        Reset-KvmSession
    }

    It 'keeps every network adapter four runspaces add to the same VM, or reports the one it could not add' {
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
        $jobs = foreach ($r in 1..4) {
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

        $results.Count | Should -Be 20
        @($results.Mac | Sort-Object -Unique).Count | Should -Be 20
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
        $present.Count | Should -Be (1 + 20 - $failed.Count)
    }
}
