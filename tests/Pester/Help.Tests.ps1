# Help is part of every feature: each exported cmdlet has a page, each page a cmdlet, every
# parameter is documented, Get-Help shows it, and every example runs.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tools/HelpMarkdown.psm1') -Force
    $docsDir = Join-Path $script:RepoRoot 'docs/en-US'
    $script:commands = @((Get-Module KvmPS).ExportedCmdlets.Keys | Sort-Object)
    $script:pages = @(Get-ChildItem $docsDir -Filter '*.md' | Where-Object Name -NotLike 'about_*' | ConvertFrom-HelpMarkdown)
    $script:examples = foreach ($page in $script:pages) {
        $n = 0
        foreach ($ex in $page.Examples) {
            $n++
            @{ Command = $page.Name; Title = $ex.Title; Number = $n; Code = ($ex.Code -join "`n") }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $script:RepoRoot 'tools/HelpMarkdown.psm1') -Force
    $script:docsDir = Join-Path $script:RepoRoot 'docs/en-US'
}

Describe 'Documentation of <_>' -ForEach $commands {
    BeforeAll {
        $script:name = $_
        $script:page = Join-Path $docsDir "$name.md" | Where-Object { Test-Path $_ } | ConvertFrom-HelpMarkdown
    }

    It 'has a docs page' {
        $page | Should -Not -BeNullOrEmpty
        $page.Name | Should -Be $name
    }

    It 'has a synopsis, a description and at least one example' {
        $page.Synopsis | Should -Not -BeNullOrEmpty
        $page.Description | Should -Not -BeNullOrEmpty
        @($page.Examples).Count | Should -BeGreaterThan 0
        @($page.Examples | Where-Object { $_.Code }).Count | Should -Be @($page.Examples).Count
    }

    It 'documents every parameter and nothing else' {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $actual = (Get-Command $name).Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object
        $documented = $page.Parameters.Name | Sort-Object
        # -Connection comes with the shared host-cmdlet base and is described in about_KvmPS: a page
        # of a cmdlet that gained it from there may leave it out.
        if ('Connection' -in $actual -and 'Connection' -notin $documented) { $actual = $actual | Where-Object { $_ -ne 'Connection' } }
        $documented | Should -Be $actual
    }

    It 'documents each parameter''s type and whether it is required' {
        $cmd = Get-Command $name
        foreach ($p in $page.Parameters) {
            $meta = $cmd.Parameters[$p.Name]
            $required = @($meta.ParameterSets.Values | Where-Object IsMandatory).Count -gt 0
            $p.Required | Should -Be $required -Because "-$($p.Name) of $name"
            $p.Type | Should -Be $meta.ParameterType.Name -Because "-$($p.Name) of $name"
        }
    }

    It 'shows synopsis, parameters and examples in Get-Help -Full' {
        $help = Get-Help $name -Full
        $help.Synopsis | Should -Be $page.Synopsis
        @($help.Examples.Example).Count | Should -Be @($page.Examples).Count
        foreach ($p in $page.Parameters) {
            ($help.Parameters.Parameter | Where-Object Name -eq $p.Name).Description.Text | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'Docs pages' {
    It 'every page documents an exported cmdlet' {
        $pages = Get-ChildItem $docsDir -Filter '*.md' | Where-Object Name -NotLike 'about_*' | ForEach-Object BaseName
        $exported = (Get-Module KvmPS).ExportedCmdlets.Keys
        $pages | Where-Object { $_ -notin $exported } | Should -BeNullOrEmpty
    }
}

Describe 'Example <Number> of <Command>: <Title>' -ForEach $examples {
    BeforeAll {
        Reset-KvmSession
        $script:savedUri = $env:LIBVIRT_DEFAULT_URI
        $env:LIBVIRT_DEFAULT_URI = 'test:///default'
    }
    AfterAll {
        Reset-KvmSession
        $env:LIBVIRT_DEFAULT_URI = $script:savedUri
    }

    It 'runs on the test driver without an error' {
        if ($Code -match 'qemu:///system' -and -not $script:SystemTier) {
            Set-ItResult -Skipped -Because 'the example needs a real libvirtd (system tier)'
            return
        }
        if ($Code -match '#\s*needs (a running guest|an installer|a remote host|a daemon with volume streams)') {
            Set-ItResult -Skipped -Because "the example $($Matches[0].TrimStart('#', ' ')) of its own (VM web1 with the QEMU guest agent, a real installer ISO, a host on the network, or a real daemon's volume streams)"
            return
        }
        $Error.Clear()
        $block = [scriptblock]::Create($Code)
        # Errors the example expects (it names -ErrorAction SilentlyContinue) do not count.
        $null = & $block 6>$null 3>$null
        $unexpected = @($Error | Where-Object { $Code -notmatch 'ErrorAction\s+SilentlyContinue' })
        $unexpected | Should -BeNullOrEmpty
    }
}

Describe 'The markdown-to-MAML converter' {
    It 'keeps list items apart, reads per-set Required and writes MAML Get-Help can read' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "kvmps-help-$PID"
        $null = New-Item -ItemType Directory -Force $dir
        try {
            $md = Join-Path $dir 'Get-Thing.md'
            @'
# Get-Thing

## SYNOPSIS
Gets a thing.

## DESCRIPTION
Choose one:
- first way
- second way

## EXAMPLES

### Example 1: Plain
```powershell
Get-Thing
```

## PARAMETERS

### -Size
The size.

```yaml
Type: UInt64
Parameter Sets: A, B
Required: True (A), False (B)
Position: Named
```
'@ | Set-Content $md
            $page = ConvertFrom-HelpMarkdown -Path $md
            $page.Description | Should -Be @('Choose one:', '- first way', '- second way')
            $page.Parameters[0].RequiredBySet['A'] | Should -BeTrue
            $page.Parameters[0].RequiredBySet['B'] | Should -BeFalse
            $maml = Join-Path $dir 'out.xml'
            ConvertTo-Maml -Page $page -OutputPath $maml
            [xml] $x = Get-Content $maml -Raw
            $ns = @{ command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'; maml = 'http://schemas.microsoft.com/maml/2004/10' }
            $items = Select-Xml -Xml $x -XPath '//command:syntaxItem/command:parameter' -Namespace $ns
            ($items | ForEach-Object { $_.Node.required }) | Should -Be @('true', 'false')
        } finally {
            Remove-Item $dir -Recurse -Force
        }
    }
}
