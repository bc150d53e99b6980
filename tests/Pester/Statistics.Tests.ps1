# Statistics on libvirt's test driver: its bulk call reports only the state, so these tests check
# the cmdlets' shape (selection, sampling, streams, errors, CSV) and what the driver does report.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Reset-KvmSession
    Connect-KvmHost test:///default
    $script:Names = 'kvmps-st-a', 'kvmps-st-b'
    foreach ($n in $Names) {
        Import-KvmVM -Xml "<domain type='test'><name>$n</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>"
    }
    Start-KvmVM kvmps-st-a
}

AfterAll {
    foreach ($n in $Names) { Stop-KvmVM $n -TurnOff -Confirm:$false -ErrorAction SilentlyContinue; Remove-KvmVM $n -Confirm:$false -ErrorAction SilentlyContinue }
    Reset-KvmSession
}

Describe 'Get-KvmVMStatistics' {
    It 'returns one object per VM with its state, name and UUID' {
        $s = @(Get-KvmVMStatistics kvmps-st-*)
        $s.VMName | Should -Be @('kvmps-st-a', 'kvmps-st-b')
        ($s | Where-Object VMName -EQ kvmps-st-a).State | Should -Be Running
        ($s | Where-Object VMName -EQ kvmps-st-b).State | Should -Be ShutOff
        $s[0].Uuid | Should -Be (Get-KvmVM kvmps-st-a).Uuid
        $s[0].Uri | Should -Be 'test:///default'
        $s[0] | Should -BeOfType KvmPS.KvmVMStatistics
    }

    It 'has no rates for a single sample' {
        $s = Get-KvmVMStatistics kvmps-st-a
        $s.IntervalSeconds | Should -BeNullOrEmpty
        $s.CpuPercent | Should -BeNullOrEmpty
    }

    It 'lists every VM without -Name' {
        @(Get-KvmVMStatistics).VMName | Should -Be @((Get-KvmVM).Name)
    }

    It 'takes VMs from the pipeline and makes one measurement round for all of them' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $s = @(Get-KvmVM kvmps-st-* | Measure-KvmVM -Interval 0.3 -Count 1)
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 2.5 -Because 'two piped VMs share the samples, not one interval each'
        $s.VMName | Should -Be @('kvmps-st-a', 'kvmps-st-b')
        $s | ForEach-Object { $_.IntervalSeconds | Should -BeGreaterOrEqual 0.25 }
    }

    It 'reports a literal name that matches nothing, and is silent for a wildcard' {
        $s = @(Get-KvmVMStatistics kvmps-st-nope, kvmps-st-a -ErrorVariable err -ErrorAction SilentlyContinue)
        $s.VMName | Should -Be 'kvmps-st-a'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'VMNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be ObjectNotFound
        @(Get-KvmVMStatistics kvmps-none-* -ErrorVariable err2).Count | Should -Be 0
        $err2.Count | Should -Be 0
    }

    It 'names the VM a wrongly cased exact name meant, although it asks only the named VMs' {
        $s = @(Get-KvmVMStatistics KVMPS-ST-A, kvmps-st-b -ErrorVariable err -ErrorAction SilentlyContinue)
        $s.VMName | Should -Be 'kvmps-st-b'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'VMNotFound,*'
        $err[0].Exception.Message | Should -Match "'kvmps-st-a'"
    }

    It 'reports a piped VM removed since it was read' {
        Import-KvmVM -Xml "<domain type='test'><name>kvmps-st-gone</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>"
        $vm = Get-KvmVM kvmps-st-gone
        Remove-KvmVM kvmps-st-gone -Confirm:$false
        $null = $vm | Get-KvmVMStatistics -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'VMNotFound,*'
        $err[0].Exception.Message | Should -Match $vm.Uuid
    }

    It 'streams -Count measurements with -Interval, each a new timestamp' {
        $s = @(Get-KvmVMStatistics kvmps-st-a -Interval 0.2 -Count 3)
        $s.Count | Should -Be 3
        ($s.Timestamp | Sort-Object -Unique).Count | Should -Be 3
        $s | ForEach-Object { $_.IntervalSeconds | Should -BeGreaterThan 0.15 }
    }

    It 'refuses an interval out of range before sampling' {
        { Get-KvmVMStatistics -Interval 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,KvmPS.Commands.GetKvmVMStatisticsCommand'
    }

    It 'writes flat headline columns to CSV' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) "kvmps-stats-$PID.csv"
        try {
            Measure-KvmVM kvmps-st-a -Interval 0.1 -Count 1 | Export-Csv $csv -NoTypeInformation
            $row = Import-Csv $csv
            $row.VMName | Should -Be 'kvmps-st-a'
            $row.State | Should -Be 'Running'
            $row.PSObject.Properties.Name | Should -Contain 'CpuPercent'
            $row.PSObject.Properties.Name | Should -Contain 'DiskWriteBytesPerSec'
            $row.PSObject.Properties.Name | Should -Contain 'MemoryRssBytes'
        } finally {
            Remove-Item $csv -ErrorAction Ignore
        }
    }

    It 'shows a table with the headline columns' {
        $text = Measure-KvmVM kvmps-st-a -Interval 0.1 -Count 1 | Format-Table | Out-String -Width 200
        $text | Should -Match 'VMName\s+State\s+VCpuCount\s+CpuPercent'
        $text | Should -Match 'kvmps-st-a\s+Running'
    }
}

Describe 'The documented alert rule' {
    It 'passes only VMs above the threshold and stops after -Count' {
        # Over the test driver CpuPercent is empty: an empty value never passes a -gt filter.
        @(Measure-KvmVM -Interval 0.1 -Count 2 | Where-Object CpuPercent -gt 90).Count | Should -Be 0
        @(Measure-KvmVM kvmps-st-a -Interval 0.1 -Count 2 | Where-Object State -EQ Running).Count | Should -Be 2
    }

    It 'is in about_KvmPS_Monitoring' {
        Get-Help about_KvmPS_Monitoring | Out-String | Should -Match 'Measure-KvmVM -Interval 5 \| Where-Object CpuPercent -gt 90'
    }
}

Describe 'Watch-KvmVM' {
    It 'writes objects when it has no console to draw on' {
        $s = @(Watch-KvmVM kvmps-st-a -Interval 0.1 -Count 2)
        $s.Count | Should -Be 2
        $s[0] | Should -BeOfType KvmPS.KvmVMStatistics
    }
}

Describe 'Get-KvmHostStatistics' {
    It 'returns CPU counters, memory and the NUMA cells of the test host' {
        $h = Get-KvmHostStatistics -Interval 0.1 -Count 1
        $h.CpuCount | Should -Be 16
        $h.CpuUserNs | Should -BeGreaterThan 0
        $h.MemoryTotalBytes | Should -Be (3072KB * 1024)
        $h.MemoryFreeBytes | Should -BeGreaterThan 0
        $h.Cells.Count | Should -Be 2
        $h.Cells[1].FreeBytes | Should -BeGreaterThan $h.Cells[0].FreeBytes
        $h.IntervalSeconds | Should -BeGreaterOrEqual 0.09
    }

    It 'returns -Count measurements' {
        @(Get-KvmHostStatistics -Interval 0.1 -Count 3).Count | Should -Be 3
    }
}

Describe 'Get-KvmVM after the switch to the statistics reader' {
    It 'reads states from the bulk call as before' {
        (Get-KvmVM kvmps-st-a).State | Should -Be Running
        (Get-KvmVM kvmps-st-b).State | Should -Be ShutOff
        Suspend-KvmVM kvmps-st-a
        (Get-KvmVM kvmps-st-a).State | Should -Be Paused
        Resume-KvmVM kvmps-st-a
    }
}
