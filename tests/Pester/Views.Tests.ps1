# Walks every table view of the built module's format files: what a column shows under a label
# must be a property of that name, so Sort-Object and Where-Object on the label work on the value
# the table displays. Objects come from the module's own cmdlets on libvirt's test driver.
BeforeDiscovery {
    $moduleDir = Split-Path -Parent $(if ($env:KVMPS_MODULE_PATH) { $env:KVMPS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/KvmPS/KvmPS.psd1' })
    $script:Views = foreach ($file in Get-ChildItem (Join-Path $moduleDir '*.Format.ps1xml')) {
        [xml] $x = Get-Content -Raw $file.FullName
        foreach ($view in $x.Configuration.ViewDefinitions.View) {
            if (-not $view.TableControl) { continue }
            $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
            $items = @($view.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem)
            $columns = for ($i = 0; $i -lt $items.Count; $i++) {
                $label = $headers[$i].Label
                $entry = if ($items[$i].PropertyName) { @{ Kind = 'Property'; Value = $items[$i].PropertyName } } else { @{ Kind = 'ScriptBlock'; Value = $items[$i].ScriptBlock } }
                @{ Label = $(if ($label) { $label } else { $entry.Value }); Entry = $entry }
            }
            @{ File = $file.Name; Type = $view.ViewSelectedBy.TypeName; Name = $view.Name; Columns = @($columns) }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Reset-KvmSession
    Connect-KvmHost test:///default
    # A second VM, volumes of sizes whose text order differs from their byte order, and a
    # reservation, so that the sorts have more than one distinct value to order.
    New-KvmVM -Name kvmps-view-b -Memory 512MB -VCpuCount 3 -Network default
    New-KvmVolume -Pool default-pool -Name kvmps-view-2m.img -Size 2MB -Format Raw
    New-KvmVolume -Pool default-pool -Name kvmps-view-10m.img -Size 10MB -Format Raw
    New-KvmVolume -Pool default-pool -Name kvmps-view-1g.img -Size 1GB -Format Raw
    Add-KvmNetworkReservation default 52:54:00:7e:00:01 192.168.122.50 -HostName view-a
    Add-KvmNetworkReservation default 52:54:00:7e:00:02 192.168.122.40 -HostName view-b

    # Host devices come from a private test-driver host made of the PCI devices in tests/fixtures/nodedev.
    $script:NodeFile = Join-Path ([IO.Path]::GetTempPath()) "kvmps-views-$PID.xml"
    . (Join-Path $PSScriptRoot 'ViewSamples.ps1')
    $script:Objects = Get-ViewSample $NodeFile
    # Types the test driver cannot produce, with the reason.
    $script:Skipped = $ViewSkipped

    function Get-Shown($Object, $Entry) {
        # The value the table displays for the column: the property, or the script block's result.
        if ($Entry.Kind -eq 'Property') { return , $Object.($Entry.Value) }
        $sb = [scriptblock]::Create($Entry.Value)
        return , ($Object | ForEach-Object { & $sb })
    }
    function Test-Scalar($Value) { $null -eq $Value -or $Value -is [string] -or $Value -isnot [System.Collections.IEnumerable] }
}

Describe 'Default table views' {
    It 'finds the table views of the module' {
        $Views.Count | Should -BeGreaterThan 15
    }

    Context '<Name> (<File>)' -ForEach $Views {
        BeforeAll {
            $script:Type = $Type
            $script:Produced = $Objects[$Type]
        }

        It 'has objects from the test driver, or a reason to skip' {
            if ($Skipped.ContainsKey($Type)) { Set-ItResult -Skipped -Because $Skipped[$Type]; return }
            $Objects.ContainsKey($Type) | Should -BeTrue -Because "$Type needs a producer or a skip reason in this file"
            $Produced.Count | Should -BeGreaterThan 0 -Because "the module produced no $Type"
            $Produced | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be $Type }
        }

        It 'column <Label> is a property showing its own value' -ForEach $Columns {
            if ($Skipped.ContainsKey($Type)) { Set-ItResult -Skipped -Because $Skipped[$Type]; return }
            foreach ($o in $Produced) {
                $o.PSObject.Properties[$Label] | Should -Not -BeNullOrEmpty -Because "the column '$Label' of $Type must be a property of that name"
                $shown = Get-Shown $o $Entry
                "$($o.$Label)" | Should -BeExactly "$shown" -Because "the column '$Label' of $Type shows the property"
            }
        }

        It 'Sort-Object and Where-Object on column <Label> follow the displayed values' -ForEach $Columns {
            if ($Skipped.ContainsKey($Type)) { Set-ItResult -Skipped -Because $Skipped[$Type]; return }
            $values = @($Produced | ForEach-Object { , $_.$Label })
            if (@($values | Where-Object { -not (Test-Scalar $_) }).Count) {
                Set-ItResult -Skipped -Because "'$Label' holds a list, which has no order"; return
            }
            $entry = $Entry
            $bySortOnLabel = @($Produced | Sort-Object -Property $Label -Stable | ForEach-Object { "$(Get-Shown $_ $entry)" })
            $byShown = @($Produced | Sort-Object -Property @{ Expression = { Get-Shown $_ $entry } } -Stable | ForEach-Object { "$(Get-Shown $_ $entry)" })
            $bySortOnLabel | Should -Be $byShown
            $first = $Produced[0]
            @($Produced | Where-Object $Label -EQ $first.$Label) | Should -Contain $first
        }
    }
}

Describe 'Columns users filter and sort on' {
    It 'sorts and filters VMs by MemoryMiB and vCPUs' {
        $vms = Get-KvmVM
        (@($vms | Sort-Object MemoryMiB).Name) | Should -Be (@($vms | Sort-Object MemoryBytes).Name)
        (@($vms | Sort-Object vCPUs -Descending).Name) | Should -Be (@($vms | Sort-Object VCpuCount -Descending).Name)
        @($vms | Where-Object vCPUs -GT 2).Name | Should -Be 'kvmps-view-b'
        @($vms | Where-Object MemoryMiB -EQ 512).Name | Should -Be 'kvmps-view-b'
        @($vms | Where-Object NicCount -GT 0).Count | Should -Be 2
        (Get-KvmCpu kvmps-view-b).vCPUs | Should -Be (Get-KvmCpu kvmps-view-b).MaxVCpuCount
    }

    It 'sorts volumes by Capacity in byte order, not text order, and compares it with numbers' {
        $v = Get-KvmVolume -Pool default-pool -Name kvmps-view-*
        @($v | Sort-Object Capacity).Name | Should -Be @('kvmps-view-2m.img', 'kvmps-view-10m.img', 'kvmps-view-1g.img')
        @($v | Sort-Object { "$($_.Capacity)" }).Name | Should -Not -Be @('kvmps-view-2m.img', 'kvmps-view-10m.img', 'kvmps-view-1g.img') -Because 'the text order differs, so the test can fail'
        @($v | Where-Object Capacity -GT 5MB).Name | Should -Be @('kvmps-view-10m.img', 'kvmps-view-1g.img')
        @($v | Where-Object Capacity -GE 1GB).Name | Should -Be 'kvmps-view-1g.img'
        "$((Get-KvmVolume -Pool default-pool -Name kvmps-view-1g.img).Capacity)" | Should -Be '1 GiB'
        @(Get-KvmStoragePool | Where-Object Capacity -GT 1.5GB).Count | Should -Be 1
    }

    It 'prints the tables with the labels the properties have' {
        $text = Get-KvmVM | Out-String -Width 200
        $text | Should -Match 'Name\s+State\s+vCPUs\s+MemoryMiB\s+Type\s+OS\s+Autostart\s+DiskCount\s+NicCount'
        $text | Should -Match 'kvmps-view-b\s+ShutOff\s+3\s+512\s+test'
        Get-KvmVolume -Pool default-pool -Name kvmps-view-10m.img | Out-String -Width 200 | Should -Match 'kvmps-view-10m\.img\s+raw\s+10 MiB'
    }

    It 'has the column properties get-only: <Type>' -ForEach @(
        @{ Type = 'KvmVM'; Names = 'Type', 'VCpus', 'MemoryMiB', 'OS', 'DiskCount', 'NicCount' }
        @{ Type = 'KvmHost'; Names = 'Cpus', 'Numa', 'Sct', 'MemoryGiB', 'FreeGiB', 'Hypervisor' }
        @{ Type = 'KvmNumaCell'; Names = 'MemoryGiB', 'FreeGiB', 'HugePages' }
        @{ Type = 'KvmHugePages'; Names = , 'PageSize' }
        @{ Type = 'KvmHostDevice'; Names = 'SrIov', 'Device' }
        @{ Type = 'KvmNetwork'; Names = 'Subnets', 'Gateways', 'Dhcp' }
        @{ Type = 'KvmStoragePool'; Names = 'Capacity', 'Available', 'Location' }
        @{ Type = 'KvmVolume'; Names = 'Capacity', 'Allocation' }
        @{ Type = 'KvmCpu'; Names = 'VCpus', 'Topology' }
        @{ Type = 'KvmNuma'; Names = , 'Layout' }
        @{ Type = 'KvmMemory'; Names = 'MemoryMiB', 'CurrentMiB', 'HugePages' }
    ) {
        $t = "KvmPS.$Type" -as [type]
        foreach ($name in $Names) {
            $p = $t.GetProperty($name)
            $p | Should -Not -BeNullOrEmpty -Because "$Type.$name"
            $p.CanWrite | Should -BeFalse -Because "$Type.$name is computed"
        }
    }
}

AfterAll {
    Reset-KvmSession
    Remove-Item $script:NodeFile -ErrorAction Ignore
}
