# The definition corpus (tests/fixtures/domains) on libvirt's test driver, in process: each one is
# imported, read by every Get-*, edited to the values it has by every Set-* family (the secure
# definition must stay as it was), changed once where a change is meant, and exported, removed
# and imported again without loss.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Corpus.Common.ps1')
    $script:Cases = @(Get-CorpusCase -Tier test)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Corpus.Common.ps1')
    $script:Uri = 'test:///default'
    $script:SchemaWarning = "does not pass libvirt's schema"
}

Describe 'The corpus' {
    It 'holds at least 150 definitions, all of them marked for a tier' {
        $manifest = Get-Content (Join-Path $CorpusDir 'manifest.json') -Raw | ConvertFrom-Json
        $files = Get-ChildItem $CorpusDir -Filter 'corpus-*.xml'
        $files.Count | Should -BeGreaterOrEqual 150
        @($manifest.file) | Should -Be @($files.Name | Sort-Object)
        @($manifest | Where-Object { -not $_.tiers }).Count | Should -Be 0
    }
}

Describe 'Corpus definition <File>' -ForEach $Cases {
    BeforeAll {
        Remove-KvmVM -Uri $Uri -Name $Name -Confirm:$false -ErrorAction Ignore
        $xml = Get-Content $Path -Raw
    }
    AfterAll {
        Remove-KvmVM -Uri $Uri -Name $Name -Confirm:$false -ErrorAction Ignore
    }

    It 'is imported (refused without -SkipValidation exactly when the schema rejects it)' {
        Import-KvmVM -Uri $Uri -Xml $xml -KeepOwnership -ErrorVariable refused -ErrorAction SilentlyContinue
        if ($SchemaValid) {
            $refused | Should -BeNullOrEmpty
        } else {
            $refused[0].FullyQualifiedErrorId | Should -Be 'DomainXmlFailsSchema,KvmPS.Commands.ImportKvmVMCommand'
            Get-KvmVM -Uri $Uri -Name $Name -ErrorAction Ignore | Should -BeNullOrEmpty
            Import-KvmVM -Uri $Uri -Xml $xml -KeepOwnership -SkipValidation -ErrorAction Stop
        }
        (Get-KvmVM -Uri $Uri -Name $Name -ErrorAction Stop).Name | Should -BeExactly $Name
    }

    It 'is read by every Get-*' {
        $vm = Get-KvmVM -Uri $Uri -Name $Name -ErrorAction Stop
        $null = Get-KvmCpu -Uri $Uri -Name $Name -ErrorAction Stop
        $null = Get-KvmMemory -Uri $Uri -Name $Name -ErrorAction Stop
        $null = Get-KvmNuma -Uri $Uri -Name $Name -ErrorAction Stop
        $null = Get-KvmCpuPin -Uri $Uri -Name $Name -ErrorAction Stop
        $disks = @(Get-KvmDisk -Uri $Uri -Name $Name -ErrorAction Stop)
        $null = Get-KvmNetworkAdapter -Uri $Uri -Name $Name -ErrorAction Stop
        $doc = [xml]$xml
        $disks.Count | Should -Be @($doc.domain.devices.disk).Where({ $_ }).Count
        # A disk with a source reads with one: network disks included.
        foreach ($d in $disks) {
            $src = @($doc.domain.devices.disk).Where({ $_.target.dev -eq $d.Target })[0].source
            if ($src) { $d.Path | Should -Not -BeNullOrEmpty -Because "disk $($d.Target) has a source" }
        }
        @($vm.PassthroughDevices).Count | Should -Be @($doc.domain.devices.hostdev).Where({ $_ }).Count
    }

    It 'keeps its secure definition through same-value edits of every Set-* family' {
        $results = @(Invoke-SameValueEdit -Uri $Uri -Name $Name)
        $results.Count | Should -BeGreaterOrEqual 4
        foreach ($r in $results) {
            $r.Differences | Should -BeNullOrEmpty -Because "$($r.Edit) asked for the values the VM has"
            $schemaWarned = [bool]($r.Warnings -match [regex]::Escape($SchemaWarning))
            if ($SchemaValid) { $schemaWarned | Should -BeFalse -Because "$($r.Edit) on a definition the schema accepts" }
        }
    }

    It 'changes only the description when the description changes' {
        $before = Get-SecureXml $Uri $Name
        Set-KvmVM -Uri $Uri -Name $Name -Description "corpus check $Name" -ErrorAction Stop
        $after = Get-SecureXml $Uri $Name
        ([xml]$after).domain.description | Should -BeExactly "corpus check $Name"
        Compare-CanonicalXml $before $after -Allowed '/domain[1]/description' | Should -BeNullOrEmpty
    }

    It 'survives Export-KvmVM, Remove-KvmVM, Import-KvmVM' {
        $before = Get-SecureXml $Uri $Name
        Remove-KvmVM -Uri $Uri -Name $Name -Confirm:$false -ErrorAction Stop
        Import-KvmVM -Uri $Uri -Xml $before -KeepOwnership -SkipValidation:(-not $SchemaValid) -ErrorAction Stop
        Compare-CanonicalXml $before (Get-SecureXml $Uri $Name) | Should -BeNullOrEmpty
    }
}

Describe 'Edits of a definition outside the schema' {
    BeforeAll {
        $case = Get-CorpusCase -Tier test | Where-Object { -not $_.SchemaValid } | Select-Object -First 1
        Remove-KvmVM -Uri $Uri -Name $case.Name -Confirm:$false -ErrorAction Ignore
        Import-KvmVM -Uri $Uri -Path $case.Path -SkipValidation -ErrorAction Stop
    }
    AfterAll { Remove-KvmVM -Uri $Uri -Name $case.Name -Confirm:$false -ErrorAction Ignore }

    It 'go through with a warning that names the schema' {
        Set-KvmMemory -Uri $Uri -Name $case.Name -Locked -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue -ErrorAction Stop
        (Get-KvmMemory -Uri $Uri -Name $case.Name).Locked | Should -BeTrue
        "$w" | Should -Match ([regex]::Escape($SchemaWarning))
    }

    It 'still refuse what libvirt itself refuses' {
        Set-KvmCpu -Uri $Uri -Name $case.Name -Sockets 3 -Cores 1 -Threads 1 -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'TopologyMismatch,KvmPS.Commands.SetKvmCpuCommand'
    }
}
