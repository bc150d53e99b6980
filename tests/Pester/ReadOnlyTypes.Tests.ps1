# The public object types are read-only to scripts: `$vm.MemoryBytes = 8GB` changes nothing on the
# host, so it must fail instead of silently changing the object in memory. Walks every public type
# of KvmPS.Shared by reflection.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Types = [KvmPS.KvmVM].Assembly.GetExportedTypes() |
        Where-Object { $_.IsClass -and -not $_.IsAbstract -and $_.GetConstructor([type]::EmptyTypes) -and -not $_.IsSubclassOf([System.Runtime.Loader.AssemblyLoadContext]) } |
        Sort-Object FullName |
        ForEach-Object { @{ Name = $_.FullName; Type = $_ } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Public object types are read-only' {
    It 'finds the public object types' {
        $Types.Count | Should -BeGreaterThan 20
        $Types.Name | Should -Contain 'KvmPS.KvmVM'
        $Types.Name | Should -Contain 'KvmPS.KvmNetworkAdapter'
    }

    It '<Name> has no public setter' -ForEach $Types {
        $settable = @($Type.GetProperties([Reflection.BindingFlags] 'Public, Instance') | Where-Object { $_.SetMethod -and $_.SetMethod.IsPublic })
        $settable.Name | Should -BeNullOrEmpty -Because "scripts must not be able to change a $Name"
        @($Type.GetFields([Reflection.BindingFlags] 'Public, Instance')).Name | Should -BeNullOrEmpty
    }

    It '<Name>: assigning any property throws in PowerShell' -ForEach $Types {
        $o = [Activator]::CreateInstance($Type)
        $properties = @($o.PSObject.Properties | Where-Object MemberType -EQ Property)
        $properties.Count | Should -BeGreaterThan 0
        foreach ($p in $properties) {
            $before = $o.($p.Name)
            { $o.($p.Name) = $before } | Should -Throw -ExpectedMessage '*ReadOnly*' -Because "$Name.$($p.Name) must be read-only"
        }
    }

    It 'refuses $vm.MemoryBytes = 8GB on a VM read from the host, and the object keeps its value' {
        $vm = Get-KvmVM -Uri test:///default -Name test
        $memory = $vm.MemoryBytes
        { $vm.MemoryBytes = 8GB } | Should -Throw -ExpectedMessage '*MemoryBytes*ReadOnly*'
        $vm.MemoryBytes | Should -Be $memory
        { $vm.NetworkAdapters = @() } | Should -Throw
        $vm.NetworkAdapters.Count | Should -BeGreaterThan 0
    }
}

AfterAll {
    Reset-KvmSession
}
