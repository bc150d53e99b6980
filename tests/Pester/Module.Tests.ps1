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

Describe 'Module lifecycle across runspaces' {
    BeforeAll {
        # Runs a script in the other runspace and returns its output; its errors fail the test.
        function Invoke-Other([string] $Script) {
            $ps = [powershell]::Create()
            try {
                $ps.Runspace = $script:other
                $out = $ps.AddScript($Script).Invoke()
                $ps.Streams.Error | ForEach-Object { throw $_ }
                $out
            } finally {
                $ps.Dispose()
            }
        }
    }
    BeforeEach {
        Import-Module $script:ModulePath
        Reset-KvmSession
        $script:other = [runspacefactory]::CreateRunspace()
        $script:other.Open()
    }
    AfterEach {
        $script:other.Dispose()
        Reset-KvmSession
    }

    It 'keeps this runspace''s connections and default host when another runspace removes the module' {
        Connect-KvmHost -Uri test:///default
        Invoke-Other "Import-Module '$($script:ModulePath)'; Connect-KvmHost -Uri test:///default; @(Get-KvmConnection).Count" | Should -Be 1
        Invoke-Other ("Remove-Module KvmPS; Import-Module '$($script:ModulePath)'; @(Get-KvmConnection).Count") | Should -Be 0
        $mine = @(Get-KvmConnection)
        $mine.Count | Should -Be 1
        $mine[0].IsDefault | Should -BeTrue
        # The connection is usable, not merely listed.
        (Get-KvmHost).CpuCount | Should -Be 16
    }

    It 'keeps the other runspace''s connections when this one re-imports with -Force' {
        Invoke-Other "Import-Module '$($script:ModulePath)'; Connect-KvmHost -Uri test:///default" | Out-Null
        Connect-KvmHost -Uri test:///default
        Import-Module $script:ModulePath -Force
        @(Get-KvmConnection).Count | Should -Be 0
        Invoke-Other '@(Get-KvmConnection | Where-Object IsDefault).Count; (Get-KvmHost).CpuCount' | Should -Be @(1, 16)
    }

    It 'closes this runspace''s connections on Remove-Module' {
        Connect-KvmHost -Uri test:///default
        Remove-Module KvmPS
        Import-Module $script:ModulePath
        @(Get-KvmConnection).Count | Should -Be 0
    }
}
