BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'The KvmPS module' {
    It 'exports exactly the cmdlets its manifest lists' {
        $manifest = Import-PowerShellDataFile $script:ModulePath
        $exported = (Get-Module KvmPS).ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'has one version in the manifest and the assemblies' {
        $manifest = Import-PowerShellDataFile $script:ModulePath
        $asm = [KvmPS.KvmHost].Assembly.GetName().Version
        '{0}.{1}.{2}' -f $asm.Major, $asm.Minor, $asm.Build | Should -Be $manifest.ModuleVersion
    }

    It 'loads the engine in its own load context and the public types in the default one' {
        $engine = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'KvmPS.Engine' }
        $engine | Should -Not -BeNullOrEmpty
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine[0]).Name | Should -Be 'KvmPS'
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([KvmPS.KvmHost].Assembly).Name | Should -Be 'Default'
    }

    It 'emits objects whose type script authors can name' {
        Get-KvmHost -Uri test:///default | Should -BeOfType ([KvmPS.KvmHost])
    }

    It 'survives Import-Module -Force' {
        Import-Module $script:ModulePath -Force
        (Get-Command Get-KvmHost).Module.Name | Should -Be 'KvmPS'
        (Get-KvmHost -Uri test:///default).CpuCount | Should -Be 16
    }

    It 'has a default table view for <_>' -ForEach @('KvmConnection', 'KvmHost', 'KvmNumaCell', 'KvmHostCpu', 'KvmHugePages') {
        $view = Get-FormatData -TypeName "KvmPS.$_"
        $view | Should -Not -BeNullOrEmpty
        $view.FormatViewDefinition[0].Control | Should -BeOfType ([System.Management.Automation.TableControl])
    }

    It 'prints the host as a table with its figures' {
        $text = Get-KvmHost -Uri test:///default | Out-String
        $text | Should -Match 'KvmSupported'
        $text | Should -Match '\b16\b'
        $text | Should -Match '2/8/1'
    }
}
