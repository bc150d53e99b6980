# about_KvmPS ships with the module, and Get-Help -Online is consistently absent: the project has
# no public address for its pages, so no cmdlet carries a HelpUri, no page an "online version",
# and no help link an address that -Online would try to open.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Commands = @((Get-Module KvmPS).ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:DocsDir = Join-Path $script:RepoRoot 'docs/en-US'
    $script:ModuleDir = Split-Path -Parent $script:ModulePath
}

Describe 'about_KvmPS' {
    It 'is built into the module as en-US/about_KvmPS.help.txt' {
        Join-Path $ModuleDir 'en-US/about_KvmPS.help.txt' | Should -Exist
    }

    It 'is what Get-Help about_KvmPS shows, with every concept section' {
        $text = Get-Help about_KvmPS | Out-String
        $text | Should -Match '(?m)^TOPIC\s+about_KvmPS'
        foreach ($section in 'SHORT DESCRIPTION', 'LONG DESCRIPTION', 'HOSTS AND URIS', 'OBJECTS REMEMBER THEIR HOST',
            'STORAGE OWNERSHIP', 'LIVE AND CONFIGURATION CHANGES', 'THE TEST DRIVER', 'NAMES AND WILDCARDS') {
            $text | Should -Match "(?m)^\s*$section\s*$" -Because "about_KvmPS explains $section"
        }
        $text | Should -Not -Match '```' -Because 'markdown fences are turned into indented code'
    }

    It 'is found by Get-Help with a wildcard' {
        @(Get-Help about_Kvm* | Where-Object Name -EQ about_KvmPS).Count | Should -Be 1
    }

    It 'keeps the text within 80 columns' {
        $long = @(Get-Content (Join-Path $ModuleDir 'en-US/about_KvmPS.help.txt') | Where-Object Length -GT 80)
        $long | Should -BeNullOrEmpty
    }

    It 'is not taken for a cmdlet page' {
        (Get-Module KvmPS).ExportedCmdlets.Keys | Should -Not -Contain 'about_KvmPS'
        Join-Path $DocsDir 'about_KvmPS.md' | Should -Exist
    }
}

Describe 'Online help of <Name>' -ForEach $Commands {
    It 'has no HelpUri' {
        (Get-Command $Name).HelpUri | Should -BeNullOrEmpty
    }

    It 'has an empty online version in its page' {
        $front = (Get-Content -Raw (Join-Path $DocsDir "$Name.md")) -split '(?m)^---\s*$' | Select-Object -Index 1
        $front | Should -Match '(?m)^online version:\s*$'
    }

    It 'has no help link with an address Get-Help -Online would open' {
        $uris = @((Get-Help $Name -Full).relatedLinks.navigationLink | ForEach-Object { $_.uri } | Where-Object { $_ })
        $uris | Should -BeNullOrEmpty
    }
}

Describe 'Get-Help -Online' {
    It 'says that there is no online version, instead of opening a page' {
        # Safe to run: the tests above prove there is no address to open.
        $err = $null
        try { Get-Help Get-KvmVM -Online } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'InvalidOperation,Microsoft.PowerShell.Commands.GetHelpCommand'
        $err.Exception.Message | Should -BeLike '*URI*not specified*'
        $err.Exception.Message | Should -Not -Match '\.md'
    }
}
