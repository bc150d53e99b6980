# Walks the default list views (Format-List) of the built module's format files: every type a
# cmdlet outputs, and every module type reachable from those, has one; no item shows raw XML; every
# PropertyName item is a property of the type; ScriptBlock items run on real objects from libvirt's
# test driver and show what identifies nested objects.
BeforeDiscovery {
    $modulePath = if ($env:KVMPS_MODULE_PATH) { $env:KVMPS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/KvmPS/KvmPS.psd1' }
    $moduleDir = Split-Path -Parent $modulePath
    $script:ListViews = foreach ($file in Get-ChildItem (Join-Path $moduleDir '*.Format.ps1xml')) {
        [xml] $x = Get-Content -Raw $file.FullName
        foreach ($view in $x.Configuration.ViewDefinitions.View) {
            if (-not $view.ListControl) { continue }
            $items = foreach ($item in @($view.ListControl.ListEntries.ListEntry.ListItems.ListItem)) {
                if ($item.PropertyName) { @{ Kind = 'Property'; Label = $item.PropertyName; Value = $item.PropertyName } }
                else { @{ Kind = 'ScriptBlock'; Label = $item.Label; Value = $item.ScriptBlock } }
            }
            @{ File = $file.Name; Type = $view.ViewSelectedBy.TypeName; Name = $view.Name; Items = @($items) }
        }
    }

    # The types the cmdlets declare as output, and the module types their properties hold.
    Import-Module $modulePath -Force
    $declared = Get-Command -Module KvmPS -CommandType Cmdlet | ForEach-Object { $_.OutputType.Type } |
        Where-Object { $_ -and $_.Namespace -eq 'KvmPS' } | Sort-Object FullName -Unique
    $seen = [System.Collections.Generic.HashSet[string]]::new()
    $queue = [System.Collections.Generic.Queue[type]]::new()
    foreach ($t in $declared) { $queue.Enqueue($t) }
    while ($queue.Count) {
        $t = $queue.Dequeue()
        if (-not $seen.Add($t.FullName)) { continue }
        foreach ($p in $t.GetProperties()) {
            $pt = if ($p.PropertyType.IsArray) { $p.PropertyType.GetElementType() } else { $p.PropertyType }
            if ($pt.Namespace -eq 'KvmPS' -and $pt.IsClass) { $queue.Enqueue($pt) }
        }
    }
    $script:DeclaredTypes = @($declared | ForEach-Object { @{ Type = $_.FullName } })
    $script:ReachableTypes = @($seen | Sort-Object | ForEach-Object { @{ Type = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Reset-KvmSession
    Connect-KvmHost test:///default

    # A VM with an OS variant, graphics and a NIC; one with NUMA cells, CPU features and IOThreads.
    New-KvmVM -Name kvmps-lv-os -Memory 512MB -VCpuCount 2 -Network default -OSVariant ubuntu22.04 -ErrorAction SilentlyContinue -ErrorVariable osErr
    $script:OsInfoMissing = [bool] $osErr
    if ($OsInfoMissing) { New-KvmVM -Name kvmps-lv-os -Memory 512MB -VCpuCount 2 -Network default }
    Import-KvmVM -Xml "<domain type='test'><name>kvmps-lv-tune</name><memory>524288</memory><vcpu>2</vcpu><iothreads>1</iothreads><os><type>hvm</type></os></domain>"
    Set-KvmCpu kvmps-lv-tune -Mode HostPassthrough -Sockets 1 -Cores 2 -Threads 1 -Feature '+x2apic', '-svm'
    Set-KvmNuma kvmps-lv-tune -Cell @{ Cpus = '0' }, @{ Cpus = '1' }
    Set-KvmCpuPin kvmps-lv-tune -IOThreadCpu 3
    New-KvmVolume -Pool default-pool -Name kvmps-lv.img -Size 2MB -Format Raw
    Add-KvmNetworkReservation default 52:54:00:7e:01:01 192.168.122.61 -HostName lv-a
    # Definitions from the corpus with two huge page sizes and a USB host device.
    $script:CorpusVMs = foreach ($f in 'legacy-i440fx-hugepages-multi-numa-cells', 'kernel-boot-usb-hostdev-id') {
        $file = Get-ChildItem (Join-Path $script:RepoRoot 'tests/fixtures/domains') -Filter "corpus-*$f.xml" | Select-Object -First 1
        (Import-KvmVM -Path $file.FullName -SkipValidation -Force).Name
    }

    $script:NodeFile = Join-Path ([IO.Path]::GetTempPath()) "kvmps-listviews-$PID.xml"
    . (Join-Path $PSScriptRoot 'ViewSamples.ps1')
    $script:Objects = Get-ViewSample $NodeFile
    $script:Skipped = $ViewSkipped
    $script:ViewTypes = @($ListViews | ForEach-Object { $_.Type })

    function Get-ItemValue($Object, $Item) {
        # What the list shows for the item: the property, or the script block's result (errors stop).
        if ($Item.Kind -eq 'Property') { return , $Object.($Item.Value) }
        $sb = [scriptblock]::Create($Item.Value)
        $ErrorActionPreference = 'Stop'
        return , ($Object | ForEach-Object { & $sb })
    }
    function Test-Xml([string] $Text) {
        # Raw XML: a line that starts with an element, or an element with its closing tag. (A remedy
        # that names <domain type='qemu'> in a sentence is text, not XML.)
        $Text -match '(?m)^\s*<[A-Za-z][\w:-]*[\s/>]' -or $Text -match '(?s)<([A-Za-z][\w:-]*)[^>]*>.*</\1>'
    }
    function Get-ListText($Object) { ($Object | Format-List | Out-String -Width 300) -replace '\x1b\[[0-9;]*m', '' }
}

Describe 'Default list views' {
    It 'finds the list views of the module, one per type' {
        $ListViews.Count | Should -BeGreaterThan 20
        @($ViewTypes | Group-Object | Where-Object Count -GT 1).Name | Should -BeNullOrEmpty
    }

    It 'has a list view for <Type>, which a cmdlet outputs' -ForEach $DeclaredTypes {
        $ViewTypes | Should -Contain $Type
    }

    It 'has a list view for <Type>, which the output objects hold' -ForEach $ReachableTypes {
        $ViewTypes | Should -Contain $Type
    }

    Context '<Name> (<File>)' -ForEach $ListViews {
        BeforeAll {
            $script:Type = $Type
            $script:Produced = $Objects[$Type]
            $script:Clr = $Type -as [type]
        }

        It 'has objects from the test driver, or a reason to skip' {
            if ($Skipped.ContainsKey($Type)) { Set-ItResult -Skipped -Because $Skipped[$Type]; return }
            $Objects.ContainsKey($Type) | Should -BeTrue -Because "$Type needs a producer or a skip reason in this file"
            $Produced.Count | Should -BeGreaterThan 0 -Because "the module produced no $Type"
            $Produced | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be $Type }
        }

        It 'item <Label> is a real property, or a labelled script block' -ForEach $Items {
            $Clr | Should -Not -BeNullOrEmpty
            if ($Kind -eq 'Property') {
                $Clr.GetProperty($Value) | Should -Not -BeNullOrEmpty -Because "$Type has no property '$Value'"
                $Value | Should -Not -Be 'Xml'
            } else {
                $Label | Should -Not -BeNullOrEmpty -Because 'a script block item needs a label'
                { [scriptblock]::Create($Value) } | Should -Not -Throw
            }
        }

        It 'item <Label> runs on the objects and shows no XML' -ForEach $Items {
            if ($Skipped.ContainsKey($Type)) { Set-ItResult -Skipped -Because $Skipped[$Type]; return }
            foreach ($o in $Produced) {
                $item = @{ Kind = $Kind; Value = $Value }
                $shown = Get-ItemValue $o $item
                Test-Xml "$shown" | Should -BeFalse -Because "$Type.$Label must not show XML, but shows: $shown"
            }
        }

        It 'Format-List uses it, with its labels in order' {
            if ($Skipped.ContainsKey($Type)) { Set-ItResult -Skipped -Because $Skipped[$Type]; return }
            $text = Get-ListText $Produced[0]
            $labels = @([regex]::Matches($text, '(?m)^(\S+)\s*:') | ForEach-Object { $_.Groups[1].Value })
            $labels | Should -Be @($Items | ForEach-Object { $_.Label })
        }

        It 'shows enums by name' {
            if ($Skipped.ContainsKey($Type)) { Set-ItResult -Skipped -Because $Skipped[$Type]; return }
            $enumItems = @($Items | Where-Object { $_.Kind -eq 'Property' } | Where-Object {
                    $pt = $Clr.GetProperty($_.Value).PropertyType
                    $pt.IsEnum -or ([Nullable]::GetUnderlyingType($pt) -and [Nullable]::GetUnderlyingType($pt).IsEnum) })
            if (-not $enumItems) { Set-ItResult -Skipped -Because "$Type shows no enum"; return }
            foreach ($o in $Produced) {
                $text = Get-ListText $o
                foreach ($e in $enumItems) {
                    $v = $o.($e.Value)
                    if ($null -eq $v) { continue }
                    $text | Should -Match "(?m)^$($e.Label)\s*: $([regex]::Escape([Enum]::GetName($v.GetType(), $v)))\s*$"
                }
            }
        }
    }
}

Describe 'What the list views show' {
    It 'shows the disks of a VM as target and path, the NICs as MAC and network' {
        $vm = Get-KvmVM test
        $vm.Disks.Count | Should -BeGreaterThan 0
        $text = Get-KvmVM test | Format-List | Out-String -Width 300
        $text | Should -Match 'vda: /guest/diskimage1'
        foreach ($d in $vm.Disks) { $text | Should -Match ([regex]::Escape("$($d.Target): $($d.Path)")) }
        foreach ($n in $vm.NetworkAdapters) { $text | Should -Match ([regex]::Escape("$($n.MacAddress) on network $($n.Source)")) }
        Test-Xml $text | Should -BeFalse
        Test-Xml $vm.Xml | Should -BeTrue -Because 'the check recognises the XML the view leaves out'
        Test-Xml ($vm | Format-List * | Out-String -Width 300) | Should -BeTrue -Because 'Format-List * still shows every property'
        $text | Should -Match '(?m)^State\s*: Running'
    }

    It 'shows graphics as type and port, and memory in human units beside the bytes' {
        $vm = Get-KvmVM kvmps-lv-os
        $vm.Graphics.Count | Should -BeGreaterThan 0
        $text = Get-KvmVM kvmps-lv-os | Format-List | Out-String -Width 300
        $text | Should -Match "(?m)^Graphics\s*: $($vm.Graphics[0].Type) port "
        $text | Should -Match '(?m)^Memory\s*: 512 MiB'
        $text | Should -Match "(?m)^MemoryBytes\s*: $(512MB)"
    }

    It 'shows OSVariant as the short id typed, the full id in OSVariantUri' {
        if ($OsInfoMissing) { Set-ItResult -Skipped -Because 'New-KvmVM -OSVariant needs the libosinfo database (osinfo-db)'; return }
        $text = Get-KvmVM kvmps-lv-os | Format-List | Out-String -Width 300
        $text | Should -Match '(?m)^OSVariant\s*: ubuntu22\.04\s*$'
        $text | Should -Match '(?m)^OSVariantUri\s*: http://ubuntu\.com/ubuntu/22\.04'
        (Get-KvmVM kvmps-lv-os).OSVariant | Should -BeExactly 'ubuntu22.04'
    }

    It 'keeps the short id typed where the full id would give another (winxp, not win-xp)' {
        if ($OsInfoMissing) { Set-ItResult -Skipped -Because 'New-KvmVM -OSVariant needs the libosinfo database (osinfo-db)'; return }
        $vm = New-KvmVM -Name kvmps-lv-xp -Memory 256MB -OSVariant WinXP
        $vm.OSVariantUri | Should -Be 'http://microsoft.com/win/xp'
        $vm.OSVariant | Should -BeExactly 'winxp'
        (Get-KvmVM kvmps-lv-xp).OSVariant | Should -BeExactly 'winxp'
    }

    It 'builds the short id of a VM defined elsewhere from its full id' {
        Import-KvmVM -Xml "<domain type='test'><name>kvmps-lv-ext</name><metadata><libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'><libosinfo:os id='http://debian.org/debian/12'/></libosinfo:libosinfo></metadata><memory>262144</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>"
        $vm = Get-KvmVM kvmps-lv-ext
        $vm.OSVariantUri | Should -Be 'http://debian.org/debian/12'
        $vm.OSVariant | Should -BeExactly 'debian12'
        $vm | Format-List | Out-String -Width 300 | Should -Match '(?m)^OSVariant\s*: debian12\s*$'
    }

    It 'shows nested tuning objects by what identifies them' {
        $numa = Get-KvmNuma kvmps-lv-tune | Format-List | Out-String -Width 300
        $numa | Should -Match 'cell 0: vCPUs 0, '
        $numa | Should -Match 'cell 1: vCPUs 1, '
        Get-KvmCpu kvmps-lv-tune | Format-List | Out-String -Width 300 | Should -Match '(?m)^Features\s*: \+x2apic -svm'
        Get-KvmCpuPin kvmps-lv-tune | Select-Object -First 1 | Format-List | Out-String -Width 300 | Should -Match 'IOThread 1 on 3'
    }

    It 'shows host NUMA cells, reservations and checks by what identifies them' {
        $h = Get-KvmHost
        $text = $h | Format-List | Out-String -Width 300
        foreach ($c in $h.NumaCells) { $text | Should -Match "node $($c.Id): CPUs $([regex]::Escape($c.Cpus)), " }
        Get-KvmNetwork default | Format-List | Out-String -Width 300 | Should -Match '52:54:00:7e:01:01 192\.168\.122\.61 lv-a'
        $report = Test-KvmHost -Check CpuVirtualization -ErrorAction SilentlyContinue
        $report | Format-List | Out-String -Width 300 | Should -Match "CpuVirtualization: $($report.Checks[0].Status)"
    }

    It 'has OSVariant and OSVariantUri read-only to scripts' {
        foreach ($name in 'OSVariant', 'OSVariantUri') {
            $p = [KvmPS.KvmVM].GetProperty($name)
            $p | Should -Not -BeNullOrEmpty
            $p.GetSetMethod() | Should -BeNullOrEmpty -Because "KvmVM.$name has no public setter"
        }
    }
}

AfterAll {
    $script:CorpusVMs | ForEach-Object { Remove-KvmVM -Uri test:///default -Name $_ -Confirm:$false -ErrorAction Ignore }
    Reset-KvmSession
    Remove-Item $script:NodeFile -ErrorAction Ignore
}
