BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Fixtures = Join-Path $script:RepoRoot 'tests/fixtures/hosts'
    # A local URI whose daemon is certainly absent: a socket path that does not exist.
    $script:DeadUri = 'qemu+unix:///system?socket=/nonexistent/kvmps-t3.sock'
    # A remote URI that stays on this machine: loopback, a port nothing listens on.
    $script:RemoteUri = 'qemu+tcp://127.0.0.1:1/system'
    $script:AllChecks = 'CpuVirtualization', 'KvmModules', 'KvmDevice', 'UserGroups', 'LibvirtDaemon', 'QemuEmulator',
        'KvmDomainType', 'NestedVirtualization', 'HugePages', 'Iommu', 'VhostNet', 'Tun', 'Cgroups', 'SecurityDriver',
        'KvmGuestRuns'
    $script:FileChecks = 'CpuVirtualization', 'KvmModules', 'KvmDevice', 'UserGroups', 'NestedVirtualization', 'VhostNet', 'Tun', 'Cgroups'

    function Get-Check($Report, [string] $Name) { $Report.Checks | Where-Object Name -eq $Name }

    function Invoke-FreshPwsh([string] $Script, [hashtable] $Environment = @{}) {
        # -WhatIf writes to the host, not to a stream: run the script in a child pwsh and read its stdout.
        $exe, $pre = Get-PwshCommand
        $saved = @{}
        foreach ($k in $Environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $Environment[$k]) }
        try {
            $full = "Import-Module '$script:ModulePath'`n$Script"
            & $exe @pre -NoProfile -NonInteractive -Command $full 2>&1 | ForEach-Object { "$_" }
        } finally {
            foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
        }
    }
}

Describe 'Test-KvmHost on this machine, with the test driver' {
    BeforeAll {
        Reset-KvmSession
        $env:KVMPS_HOST_ROOT = $null
        $script:r = Test-KvmHost -Uri test:///default
    }

    It 'returns a report with every check in the fixed order' {
        $r | Should -BeOfType ([KvmPS.KvmHostReport])
        $r.Checks.Name | Should -Be $AllChecks
        $r.Checks | ForEach-Object { $_.Status | Should -BeIn 'Pass', 'Warn', 'Fail', 'Skip' }
        $r.Checks | ForEach-Object { $_.Message | Should -Not -BeNullOrEmpty }
        $r.Uri | Should -Be 'test:///default'
        $r.IsRemote | Should -BeFalse
        $r.ComputerName | Should -Be (Get-Content /proc/sys/kernel/hostname)
    }

    It 'is ready exactly when no check failed, and -Quiet says the same' {
        $r.IsReady | Should -Be (@($r.Checks | Where-Object Status -eq 'Fail').Count -eq 0)
        $q = Test-KvmHost -Uri test:///default -Quiet
        $q | Should -BeOfType ([bool])
        $q | Should -Be $r.IsReady
    }

    It 'asks the test driver for the libvirt side' {
        (Get-Check $r LibvirtDaemon).Status | Should -Be 'Pass'
        (Get-Check $r LibvirtDaemon).Message | Should -Match 'test driver'
        (Get-Check $r QemuEmulator).Status | Should -Be 'Skip'
        (Get-Check $r KvmDomainType).Message | Should -Match 'domain types: test'
    }

    It 'agrees with /proc/cpuinfo on the virtualization flags' {
        $vmx = @(Select-String -Path /proc/cpuinfo -Pattern '^flags\s*:.*\bvmx\b').Count
        $svm = @(Select-String -Path /proc/cpuinfo -Pattern '^flags\s*:.*\bsvm\b').Count
        $c = Get-Check $r CpuVirtualization
        if ($vmx + $svm -gt 0) { $c.Status | Should -Be 'Pass' } else { $c.Status | Should -BeIn 'Warn', 'Fail' }
    }

    It 'agrees with stat on the device nodes' {
        foreach ($pair in @(@('KvmDevice', '/dev/kvm'), @('Tun', '/dev/net/tun'), @('VhostNet', '/dev/vhost-net'))) {
            $name, $path = $pair
            $kind = if (Test-Path $path) { & stat -L -c '%F' $path } else { 'missing' }
            $c = Get-Check $r $name
            if ($kind -eq 'character special file' -and ($name -ne 'KvmDevice' -or (& id -u) -eq '0')) {
                $c.Status | Should -Be 'Pass' -Because "$path is a $kind"
                $numbers = (& stat -L -c '%t:%T' $path) -split ':' | ForEach-Object { [Convert]::ToInt32($_, 16) }
                $c.Message | Should -Match ([regex]::Escape("character device $($numbers -join ':')"))
            } elseif ($kind -eq 'missing') {
                $c.Status | Should -BeIn 'Warn', 'Fail' -Because "$path is missing"
            }
        }
    }

    It 'agrees with /proc/meminfo on the default huge page pool' {
        $total = [int]((Select-String -Path /proc/meminfo -Pattern '^HugePages_Total:\s+(\d+)').Matches[0].Groups[1].Value)
        $size = [int]((Select-String -Path /proc/meminfo -Pattern '^Hugepagesize:\s+(\d+)').Matches[0].Groups[1].Value)
        $label = if ($size -ge 1048576) { "$($size / 1048576) GiB" } else { "$($size / 1024) MiB" }
        (Get-Check $r HugePages).Message | Should -Match ([regex]::Escape("${label}: $total reserved"))
    }

    It 'agrees with the mounted cgroup controllers' {
        $mounts = Get-Content /proc/mounts
        $c = Get-Check $r Cgroups
        if ($mounts -match '^\S+ /sys/fs/cgroup cgroup2 ') {
            $c.Message | Should -Match 'cgroup v2'
        } else {
            $v1 = @($mounts | Where-Object { ($_ -split ' ')[2] -eq 'cgroup' } | ForEach-Object { (($_ -split ' ')[3] -split ',') })
            $missing = @('cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'blkio' | Where-Object { $_ -notin $v1 })
            $c.Status | Should -Be $(if ($missing) { 'Warn' } else { 'Pass' })
        }
    }

    It 'prints a readable table with every check' {
        $text = $r | Out-String -Width 100
        $text | Should -Match 'IsReady\s+: (True|False)'
        foreach ($name in $AllChecks) { $text | Should -Match "(Pass|Warn|Fail|Skip)\s+$name\s" }
        ($text -split "`n" | Where-Object { $_.TrimEnd().Length -gt 100 }) | Should -BeNullOrEmpty
    }
}

Describe 'Test-KvmHost -Check KvmGuestRuns on this machine' {
    BeforeAll {
        $env:KVMPS_HOST_ROOT = $null
        $script:hasKvm = Test-Path /dev/kvm
        $script:hasQemu = [bool](Get-Command qemu-system-x86_64 -ErrorAction SilentlyContinue)
        $script:hardware = [bool](Select-String -Path /proc/cpuinfo -Pattern '^flags\s*:.*\b(vmx|svm)\b' -List)
    }

    It 'fails exactly when /dev/kvm exists without vmx or svm, and the host is then not ready' {
        if (-not $hasKvm) { Set-ItResult -Skipped -Because 'this machine has no /dev/kvm'; return }
        if (-not $hasQemu) { Set-ItResult -Skipped -Because 'qemu-system-x86_64 is not installed'; return }
        $r = Test-KvmHost -Uri test:///default -Check KvmGuestRuns
        $c = Get-Check $r KvmGuestRuns
        $c.Status | Should -Be $(if ($hardware) { 'Pass' } else { 'Fail' }) -Because $c.Message
        $r.IsReady | Should -Be ($c.Status -ne 'Fail')
        if ($c.Status -eq 'Fail') {
            $c.Message | Should -Match 'test guest under KVM'
            $c.Remedy | Should -Not -BeNullOrEmpty
            if (Test-Path /sys/module/kvm_pvm) { $c.Remedy | Should -Match 'kvm_pvm' }
            $c.CanRepair | Should -BeFalse
        } else {
            $c.Message | Should -Match 'ran under KVM .* then exit in \d+ ms'
        }
    }

    It 'is skipped on a fixture tree and for a remote URI, with the reason' {
        try {
            $env:KVMPS_HOST_ROOT = Join-Path $Fixtures 'intel-kvm'
            $c = Get-Check (Test-KvmHost -Uri $DeadUri -Check KvmGuestRuns) KvmGuestRuns
            $c.Status | Should -Be 'Skip'
            $c.Message | Should -Match 'not this system'
        } finally { $env:KVMPS_HOST_ROOT = $null }
        $c = Get-Check (Test-KvmHost -Uri $RemoteUri -Check KvmGuestRuns) KvmGuestRuns
        $c.Status | Should -Be 'Skip'
        $c.Message | Should -Match 'remote URI'
    }
}

Describe 'Test-KvmHost parameters' {
    It 'makes only the named checks, in the fixed order' {
        $r = Test-KvmHost -Uri test:///default -Check Tun, CpuVirtualization
        $r.Checks.Name | Should -Be @('CpuVirtualization', 'Tun')
    }

    It 'rejects an unknown check name before doing anything' {
        { Test-KvmHost -Uri test:///default -Check NoSuchCheck -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,KvmPS.Commands.TestKvmHostCommand'
    }

    It 'completes check names with Tab' {
        foreach ($cmd in 'Test-KvmHost', 'Repair-KvmHost') {
            $line = "$cmd -Check Kvm"
            $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $names | Sort-Object | Should -Be @('KvmDevice', 'KvmDomainType', 'KvmGuestRuns', 'KvmModules')
        }
    }

    It 'skips the file checks for a remote URI and reports the daemon it cannot reach' {
        $r = Test-KvmHost -Uri $RemoteUri -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $r.IsRemote | Should -BeTrue
        foreach ($name in $FileChecks) {
            (Get-Check $r $name).Status | Should -Be 'Skip'
            (Get-Check $r $name).Message | Should -Match 'remote URI'
        }
        (Get-Check $r LibvirtDaemon).Status | Should -Be 'Fail'
        (Get-Check $r LibvirtDaemon).Message | Should -Match '127\.0\.0\.1'
        $r.IsReady | Should -BeFalse
    }

    It 'binds -Uri from a piped object' {
        $r = [pscustomobject]@{ Uri = 'test:///default' } | Test-KvmHost -Check LibvirtDaemon
        (Get-Check $r LibvirtDaemon).Status | Should -Be 'Pass'
    }
}

Describe 'Test-KvmHost on the fixture hosts' {
    BeforeAll {
        $script:expected = @{
            'intel-kvm'    = @{ CpuVirtualization = 'Pass'; KvmModules = 'Pass'; KvmDevice = 'Pass'; UserGroups = 'Pass'; NestedVirtualization = 'Pass'; HugePages = 'Pass'; Iommu = 'Pass'; VhostNet = 'Pass'; Tun = 'Pass'; Cgroups = 'Pass' }
            'amd-nested'   = @{ CpuVirtualization = 'Pass'; KvmModules = 'Pass'; KvmDevice = 'Pass'; UserGroups = 'Pass'; NestedVirtualization = 'Pass'; HugePages = 'Pass'; Iommu = 'Pass'; VhostNet = 'Pass'; Tun = 'Pass'; Cgroups = 'Pass' }
            'no-virt'      = @{ CpuVirtualization = 'Fail'; KvmModules = 'Fail'; KvmDevice = 'Fail'; UserGroups = 'Fail'; NestedVirtualization = 'Skip'; HugePages = 'Warn'; Iommu = 'Warn'; VhostNet = 'Pass'; Tun = 'Pass'; Cgroups = 'Pass' }
            'kvm-no-group' = @{ CpuVirtualization = 'Pass'; KvmModules = 'Pass'; KvmDevice = 'Fail'; UserGroups = 'Fail'; NestedVirtualization = 'Warn'; HugePages = 'Warn'; Iommu = 'Warn'; VhostNet = 'Warn'; Tun = 'Fail'; Cgroups = 'Warn' }
        }
    }
    AfterEach { $env:KVMPS_HOST_ROOT = $null }

    It '<_> has the expected statuses' -ForEach 'intel-kvm', 'amd-nested', 'no-virt', 'kvm-no-group' {
        $env:KVMPS_HOST_ROOT = Join-Path $Fixtures $_
        $r = Test-KvmHost -Uri $DeadUri
        $r.ComputerName | Should -Be $_
        foreach ($kv in $expected[$_].GetEnumerator()) {
            (Get-Check $r $kv.Key).Status | Should -Be $kv.Value -Because "$_ $($kv.Key): $((Get-Check $r $kv.Key).Message)"
        }
    }

    It 'tells bob exactly how to get /dev/kvm' {
        $env:KVMPS_HOST_ROOT = Join-Path $Fixtures 'kvm-no-group'
        $c = Get-Check (Test-KvmHost -Uri $DeadUri -Check KvmDevice) KvmDevice
        $c.Message | Should -Match 'bob \(uid 1001\) cannot open it read-write'
        ($c.Remedy -split "`n")[0] | Should -Be 'sudo usermod -aG kvm bob'
        $c.CanRepair | Should -BeTrue
    }
}

Describe 'Repair-KvmHost -WhatIf' {
    BeforeAll {
        function Get-TreeHash([string] $Dir) {
            (Get-ChildItem $Dir -Recurse -File | Sort-Object FullName | ForEach-Object { (Get-FileHash $_.FullName).Hash }) -join ''
        }
    }

    It 'shows every remedy for the host that needs most of them, and changes nothing' {
        $root = Join-Path $Fixtures 'kvm-no-group'
        $before = Get-TreeHash $root
        $out = Invoke-FreshPwsh "Test-KvmHost -Uri '$DeadUri' | Repair-KvmHost -WhatIf -HugePageCount 8 -AllowPackageInstall" @{ KVMPS_HOST_ROOT = $root }
        $whatIf = @($out | Where-Object { $_ -like 'What if:*' })
        foreach ($cmd in 'usermod -aG kvm bob', 'virtlogd -d', 'libvirtd -d', 'apt-get install -y qemu-system-x86',
            "echo 'options kvm_intel nested=1' > /etc/modprobe.d/kvm-nested.conf", 'modprobe -r kvm_intel', 'modprobe kvm_intel',
            'echo 8 > /proc/sys/vm/nr_hugepages', 'modprobe vhost_net', 'echo vhost_net > /etc/modules-load.d/vhost_net.conf', 'modprobe tun') {
            @($whatIf | Where-Object { $_.Contains(": $cmd`"") }).Count | Should -Be 1 -Because "'$cmd' is one of the remedies (output: $($out -join ' | '))"
        }
        # KvmDevice and UserGroups both need the kvm group: asked once.
        @($whatIf | Where-Object { $_ -match 'usermod' }).Count | Should -Be 1
        $out -join "`n" | Should -Match 'WARNING: Iommu: .*not changed automatically'
        Get-TreeHash $root | Should -Be $before
    }

    It 'loads the vendor module once and installs packages on a fresh host' {
        $out = Invoke-FreshPwsh "Test-KvmHost -Uri '$DeadUri' | Repair-KvmHost -WhatIf -AllowPackageInstall" @{ KVMPS_HOST_ROOT = (Join-Path $Fixtures 'intel-fresh') }
        $whatIf = @($out | Where-Object { $_ -like 'What if:*' })
        foreach ($cmd in 'apt-get install -y kmod', 'modprobe kvm_intel', 'apt-get install -y libvirt-daemon-system', 'systemctl enable --now libvirtd', 'apt-get install -y qemu-system-x86') {
            @($whatIf | Where-Object { $_.Contains(": $cmd`"") }).Count | Should -Be 1 -Because "'$cmd' (output: $($out -join ' | '))"
        }
    }

    It 'without -AllowPackageInstall installs nothing and says how' {
        $out = Invoke-FreshPwsh "Repair-KvmHost -Uri '$DeadUri' -WhatIf" @{ KVMPS_HOST_ROOT = (Join-Path $Fixtures 'intel-fresh') }
        ($out | Where-Object { $_ -match 'What if:.*(apt-get|modprobe)' }) | Should -BeNullOrEmpty
        $out -join "`n" | Should -Match 'needs -AllowPackageInstall'
    }

    It 'returns nothing and writes no error with -WhatIf on this machine' {
        $env:KVMPS_HOST_ROOT = $null
        $result = Test-KvmHost -Uri test:///default | Repair-KvmHost -WhatIf -HugePageCount 8 -ErrorVariable err 3>$null
        $result | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
    }

    It 'takes a report, its checks or names alike' {
        $env:KVMPS_HOST_ROOT = Join-Path $Fixtures 'kvm-no-group'
        try {
            $report = Test-KvmHost -Uri $DeadUri
            foreach ($run in { $report | Repair-KvmHost -WhatIf -Verbose 4>&1 3>$null }, { $report.Checks | Repair-KvmHost -WhatIf -Verbose 4>&1 3>$null },
                { Repair-KvmHost -Uri $DeadUri -WhatIf -Verbose 4>&1 3>$null }) {
                $verbose = @(& $run | ForEach-Object { "$_" })
                # Pass and Skip checks are named as having nothing to repair, whichever way they came.
                $verbose -match '^CpuVirtualization: Pass, nothing to repair' | Should -Not -BeNullOrEmpty
            }
        } finally { $env:KVMPS_HOST_ROOT = $null }
    }

    It 'refuses to repair a remote host' {
        $null = Test-KvmHost -Uri $RemoteUri | Repair-KvmHost -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -BeGreaterThan 0
        $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'RemoteRepairNotSupported,KvmPS.Commands.RepairKvmHostCommand' }
        $err[0].TargetObject | Should -Be 'LibvirtDaemon'
    }

    It 'rejects a huge page size the kernel does not have' {
        $null = Repair-KvmHost -Uri test:///default -Check HugePages -HugePageCount 1 -HugePageSize 3MB -WhatIf -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidRepairArgument,KvmPS.Commands.RepairKvmHostCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].TargetObject | Should -Be 'HugePages'
    }

    It 'does not run commands against a fixture tree' {
        $env:KVMPS_HOST_ROOT = Join-Path $Fixtures 'kvm-no-group'
        try {
            $null = Repair-KvmHost -Uri $DeadUri -Check Tun -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        } finally { $env:KVMPS_HOST_ROOT = $null }
        $err[0].FullyQualifiedErrorId | Should -Be 'RepairFailed,KvmPS.Commands.RepairKvmHostCommand'
        $err[0].Exception.Message | Should -Match "'modprobe tun' was not run"
    }
}

Describe 'Test-KvmHost against virt-host-validate' -Tag System {
    BeforeAll {
        $env:KVMPS_HOST_ROOT = $null
        $script:ours = Test-KvmHost -Uri qemu:///system
        # Lines such as "  QEMU: Checking if device /dev/net/tun exists   : PASS" (LANG=C for English).
        $saved = $env:LC_ALL; $env:LC_ALL = 'C'
        try { $script:vhv = & virt-host-validate qemu 2>&1 | ForEach-Object { "$_" } } finally { $env:LC_ALL = $saved }
        $script:theirs = foreach ($line in $vhv) {
            if ($line -match '^\s*QEMU: Checking (.+?)\s*: (PASS|WARN|FAIL)') {
                $what = $Matches[1]; $status = (Get-Culture).TextInfo.ToTitleCase($Matches[2].ToLowerInvariant())
                $check = switch -Regex ($what) {
                    'hardware virtualization' { 'CpuVirtualization' }
                    '/dev/kvm' { 'KvmDevice' }
                    '/dev/vhost-net' { 'VhostNet' }
                    '/dev/net/tun' { 'Tun' }
                    "cgroup '.+' controller" { 'Cgroups' }
                    'IOMMU' { 'Iommu' }
                    default { $null }
                }
                if ($check) { [pscustomobject]@{ Check = $check; What = $what; Status = $status; Line = $line.Trim() } }
            }
        }
        $rank = @{ Pass = 0; Warn = 1; Fail = 2 }
        # Several lines (one per cgroup controller) make one of our checks: the worst one counts.
        $script:compared = foreach ($g in $theirs | Group-Object Check) {
            $worst = $g.Group | Sort-Object { $rank[$_.Status] } -Descending | Select-Object -First 1
            [pscustomobject]@{ Check = $g.Name; Theirs = $worst.Status; Ours = (Get-Check $ours $g.Name).Status; Line = $worst.Line }
        }
    }

    It 'virt-host-validate ran and made the checks we compare' {
        $compared.Check | Should -Contain 'CpuVirtualization'
        $compared.Check | Should -Contain 'Tun'
        $compared.Check | Should -Contain 'VhostNet'
        $compared.Check | Should -Contain 'Cgroups'
        $compared.Check | Should -Contain 'Iommu'
    }

    It 'agrees on every check both make, except where documented' {
        $disagree = foreach ($c in $compared) {
            if ($c.Ours -eq $c.Theirs) { continue }
            # virt-host-validate only looks for vmx/svm. A PVM kernel (kvm_pvm) runs KVM guests
            # without them: /dev/kvm works and libvirt offers domain type kvm, which we check.
            if ($c.Check -eq 'CpuVirtualization' -and $c.Theirs -eq 'Fail' -and $c.Ours -eq 'Warn' -and
                (Test-Path /sys/module/kvm_pvm) -and (Get-Check $ours KvmDomainType).Status -eq 'Pass') { continue }
            "$($c.Check): ours $($c.Ours), virt-host-validate $($c.Theirs) ($($c.Line))"
        }
        $disagree | Should -BeNullOrEmpty
    }

    It 'agrees with virsh on the QEMU version and on domain type kvm' {
        $v = (virsh -c qemu:///system version | Select-String 'Running hypervisor: QEMU ([\d.]+)').Matches[0].Groups[1].Value
        (Get-Check $ours QemuEmulator).Message | Should -Match ([regex]::Escape("QEMU $v"))
        $null = & virsh -c qemu:///system domcapabilities --virttype kvm 2>&1
        $kvmOffered = $LASTEXITCODE -eq 0
        (Get-Check $ours KvmDomainType).Status | Should -Be $(if ($kvmOffered) { 'Pass' } else { 'Fail' })
    }

    It 'names the security drivers of virsh capabilities' {
        [xml] $caps = virsh -c qemu:///system capabilities
        $models = @($caps.capabilities.host.secmodel | ForEach-Object model)
        (Get-Check $ours SecurityDriver).Message | Should -Match ([regex]::Escape("libvirt's security drivers: $($models -join ', ')"))
    }
}

Describe 'Repair-KvmHost reserves huge pages on this machine' -Tag System {
    BeforeAll {
        $env:KVMPS_HOST_ROOT = $null
        $script:pool = '/sys/kernel/mm/hugepages/hugepages-2048kB'
        $script:canWrite = (& id -u) -eq '0' -and (Test-Path $pool)
        if ($canWrite) {
            $script:previous = [int](Get-Content "$pool/nr_hugepages")
            $script:freeBefore = [int](Get-Content "$pool/free_hugepages")
        }
    }
    AfterAll {
        if ($canWrite) { [System.IO.File]::WriteAllText("$pool/nr_hugepages", "$previous") }
    }

    It 'reserves 8 more 2 MiB pages, reports it, and the kernel has them' {
        if (-not $canWrite) { Set-ItResult -Skipped -Because 'needs root and 2 MiB huge pages'; return }
        $r = Repair-KvmHost -Check HugePages -HugePageCount ($freeBefore + 8) -HugePageSize 2MB -Confirm:$false
        $r | Should -BeOfType ([KvmPS.KvmHostRepair])
        $r.Check | Should -Be 'HugePages'
        $file = if ((Select-String -Path /proc/meminfo -Pattern '^Hugepagesize:\s+2048 kB')) { '/proc/sys/vm/nr_hugepages' } else { "$pool/nr_hugepages" }
        $r.Command | Should -Be "echo $($previous + 8) > $file"
        $r.Before | Should -Be "2 MiB: $previous reserved, $freeBefore free"
        [int](Get-Content "$pool/nr_hugepages") | Should -Be ($previous + 8)
        $r.After | Should -Be "2 MiB: $($previous + 8) reserved, $($freeBefore + 8) free"
        (Get-Check (Test-KvmHost -Uri test:///default -Check HugePages) HugePages).Status | Should -Be 'Pass'
    }

    It 'does nothing when enough pages are free already' {
        if (-not $canWrite) { Set-ItResult -Skipped -Because 'needs root and 2 MiB huge pages'; return }
        $r = Repair-KvmHost -Check HugePages -HugePageCount 1 -HugePageSize 2MB -Confirm:$false
        $r | Should -BeNullOrEmpty
        [int](Get-Content "$pool/nr_hugepages") | Should -Be ($previous + 8)
    }
}
