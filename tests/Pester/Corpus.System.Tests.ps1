# The definition corpus against a real libvirtd with QEMU (qemu:///system): each fixture marked
# for the system tier is defined with virsh (as an administrator's tool would have defined it),
# then read by every Get-*, edited to its own values by every Set-* family and exported, removed
# and imported again, with the secure definition compared before and after each step.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Corpus.Common.ps1')
    $script:Cases = @(Get-CorpusCase -Tier system)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Corpus.Common.ps1')
    $script:Uri = 'qemu:///system'
}

Describe 'Corpus definition <File> on qemu:///system' -Tag System -ForEach $Cases {
    BeforeAll {
        & virsh -q -c $Uri undefine --nvram $Name *> $null
        # Defined by virsh, without the schema check, as libvirt accepts it.
        $defined = & virsh -q -c $Uri define $Path 2>&1
        $script:DefineOk = $LASTEXITCODE -eq 0
    }
    AfterAll {
        & virsh -q -c $Uri undefine --nvram $Name *> $null
    }

    It 'is defined by virsh' {
        $DefineOk | Should -BeTrue -Because "virsh define said: $defined (mark the fixture in manifest.json if QEMU cannot take it)"
    }

    It 'is read by every Get-*' {
        if (-not $DefineOk) { Set-ItResult -Skipped -Because 'virsh did not define it'; return }
        $null = Get-KvmVM -Uri $Uri -Name $Name -ErrorAction Stop
        $null = Get-KvmCpu -Uri $Uri -Name $Name -ErrorAction Stop
        $null = Get-KvmMemory -Uri $Uri -Name $Name -ErrorAction Stop
        $null = Get-KvmNuma -Uri $Uri -Name $Name -ErrorAction Stop
        $null = Get-KvmCpuPin -Uri $Uri -Name $Name -ErrorAction Stop
        $null = Get-KvmDisk -Uri $Uri -Name $Name -ErrorAction Stop
        $null = Get-KvmNetworkAdapter -Uri $Uri -Name $Name -ErrorAction Stop
    }

    It 'keeps its secure definition through same-value edits of every Set-* family' {
        if (-not $DefineOk) { Set-ItResult -Skipped -Because 'virsh did not define it'; return }
        foreach ($r in @(Invoke-SameValueEdit -Uri $Uri -Name $Name)) {
            $r.Differences | Should -BeNullOrEmpty -Because "$($r.Edit) asked for the values the VM has"
        }
    }

    It 'changes only the description when the description changes' {
        if (-not $DefineOk) { Set-ItResult -Skipped -Because 'virsh did not define it'; return }
        $before = Get-SecureXml $Uri $Name
        Set-KvmVM -Uri $Uri -Name $Name -Description "corpus check $Name" -ErrorAction Stop
        Compare-CanonicalXml $before (Get-SecureXml $Uri $Name) -Allowed '/domain[1]/description' | Should -BeNullOrEmpty
    }

    It 'survives Export-KvmVM, Remove-KvmVM, Import-KvmVM' {
        if (-not $DefineOk) { Set-ItResult -Skipped -Because 'virsh did not define it'; return }
        $before = Get-SecureXml $Uri $Name
        Remove-KvmVM -Uri $Uri -Name $Name -Confirm:$false -ErrorAction Stop
        Import-KvmVM -Uri $Uri -Xml $before -KeepOwnership -SkipValidation:(-not $SchemaValid) -ErrorAction Stop
        Compare-CanonicalXml $before (Get-SecureXml $Uri $Name) | Should -BeNullOrEmpty
    }
}
