# Reads PlatyPS-style markdown help pages (docs/en-US/<Cmdlet>.md) and writes MAML, the XML help
# format Get-Help reads. PlatyPS is used instead when it is installed; this converter exists
# because PlatyPS is not available from every package source this project builds from.

Set-StrictMode -Version Latest

function Split-Sections {
    # Splits lines into sections by a heading prefix ('## ' or '### '); text before the first
    # heading is dropped. Fenced code blocks are never split.
    param([string[]] $Lines, [string] $Prefix)
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($Prefix) -and -not $line.StartsWith($Prefix + '#')) {
            $current = [pscustomobject]@{ Title = $line.Substring($Prefix.Length).Trim(); Lines = [System.Collections.Generic.List[string]]::new() }
            $sections.Add($current)
            continue
        }
        if ($current) { $current.Lines.Add($line) }
    }
    $sections
}

function Get-CodeBlocks {
    # Returns the fenced code blocks of some lines as objects: Language, Code.
    param([string[]] $Lines)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $buffer = $null
    $lang = ''
    foreach ($line in $Lines) {
        if ($line -match '^```(\S*)') {
            if ($null -eq $buffer) {
                $lang = $Matches[1]
                $buffer = [System.Collections.Generic.List[string]]::new()
            } else {
                $blocks.Add([pscustomobject]@{ Language = $lang; Code = ($buffer -join "`n") })
                $buffer = $null
            }
            continue
        }
        if ($null -ne $buffer) { $buffer.Add($line) }
    }
    $blocks
}

function Get-Prose {
    # The text of some lines outside code fences, as paragraphs.
    param([string[]] $Lines)
    $paras = [System.Collections.Generic.List[string]]::new()
    $current = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence; continue }
        if ($inFence) { continue }
        if ([string]::IsNullOrWhiteSpace($line)) {
            if ($current.Count) { $paras.Add(($current -join ' ').Trim()); $current.Clear() }
        } else {
            # A list item starts a paragraph of its own, so lists keep their shape in Get-Help.
            if ($line -match '^\s*([-*]|\d+\.)\s' -and $current.Count) {
                $paras.Add(($current -join ' ').Trim()); $current.Clear()
            }
            $current.Add($line.Trim())
        }
    }
    if ($current.Count) { $paras.Add(($current -join ' ').Trim()) }
    , $paras.ToArray()
}

function ConvertFrom-HelpMarkdown {
    <#
    .SYNOPSIS
    Parses one PlatyPS markdown page into an object: Name, Synopsis, Description, Examples,
    Parameters, Inputs, Outputs, Notes, Links.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)][Alias('FullName')][string] $Path)
    process {
        $lines = [System.IO.File]::ReadAllLines($Path)
        # Skip the YAML front matter.
        if ($lines.Count -and $lines[0] -eq '---') {
            $end = [Array]::IndexOf($lines, '---', 1)
            $lines = $lines[($end + 1)..($lines.Count - 1)]
        }
        $name = ($lines | Where-Object { $_ -match '^# ' } | Select-Object -First 1) -replace '^# ', ''
        $sections = @{}
        foreach ($s in Split-Sections $lines '## ') { $sections[$s.Title.ToUpperInvariant()] = $s.Lines.ToArray() }

        $examples = foreach ($ex in Split-Sections ($sections['EXAMPLES'] ?? @()) '### ') {
            $blocks = @(Get-CodeBlocks $ex.Lines)
            [pscustomobject]@{
                Title   = $ex.Title
                Code    = @($blocks | Where-Object Language -in 'powershell', 'pwsh', 'ps1' | ForEach-Object Code)
                Output  = @($blocks | Where-Object Language -notin 'powershell', 'pwsh', 'ps1' | ForEach-Object Code)
                Remarks = Get-Prose $ex.Lines
            }
        }

        $parameters = foreach ($p in Split-Sections ($sections['PARAMETERS'] ?? @()) '### ') {
            if ($p.Title -eq 'CommonParameters') { continue }
            $meta = @{}
            $yaml = Get-CodeBlocks $p.Lines | Where-Object Language -eq 'yaml' | Select-Object -First 1
            if ($yaml) {
                foreach ($l in $yaml.Code -split "`n") {
                    if ($l -match '^([^:]+):\s*(.*)$') { $meta[$Matches[1].Trim()] = $Matches[2].Trim() }
                }
            }
            # 'Required: True (Plain), False (Overlay)' gives a value per parameter set.
            $requiredText = $meta['Required'] ?? 'False'
            $requiredBySet = @{}
            foreach ($m in [regex]::Matches($requiredText, '(True|False)\s*\(([^)]*)\)')) {
                foreach ($set in $m.Groups[2].Value -split ',') { $requiredBySet[$set.Trim()] = $m.Groups[1].Value -eq 'True' }
            }
            [pscustomobject]@{
                Name          = $p.Title.TrimStart('-')
                RequiredBySet = $requiredBySet
                Description   = Get-Prose $p.Lines
                Type          = $meta['Type'] ?? 'Object'
                ParameterSets = @((($meta['Parameter Sets'] ?? '(All)') -split ',') | ForEach-Object Trim)
                Aliases       = $meta['Aliases'] ?? ''
                Required      = ($meta['Required'] ?? 'False') -match '^True'
                Position      = $meta['Position'] ?? 'Named'
                DefaultValue  = $meta['Default value'] ?? 'None'
                PipelineInput = $meta['Accept pipeline input'] ?? 'False'
                Globbing      = ($meta['Accept wildcard characters'] ?? 'False') -eq 'True'
            }
        }

        $typeEntries = {
            param($lines)
            foreach ($t in Split-Sections ($lines ?? @()) '### ') {
                [pscustomobject]@{ Name = $t.Title; Description = Get-Prose $t.Lines }
            }
        }

        [pscustomobject]@{
            Path        = $Path
            Name        = $name.Trim()
            Synopsis    = (Get-Prose $sections['SYNOPSIS']) -join ' '
            Description = Get-Prose $sections['DESCRIPTION']
            Examples    = @($examples)
            Parameters  = @($parameters)
            Inputs      = @(& $typeEntries $sections['INPUTS'])
            Outputs     = @(& $typeEntries $sections['OUTPUTS'])
            Notes       = Get-Prose $sections['NOTES']
            Links       = @(($sections['RELATED LINKS'] ?? @()) | Where-Object { $_ -match '\[(.+?)\]\((.*?)\)' } |
                ForEach-Object { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } })
        }
    }
}

function ConvertTo-Maml {
    <#
    .SYNOPSIS
    Writes MAML help for parsed pages into one file.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][object[]] $Page,
        [Parameter(Mandatory)][string] $OutputPath
    )
    $mshNs = 'http://msh'
    $maml = 'http://schemas.microsoft.com/maml/2004/10'
    $cmd = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    $dev = 'http://schemas.microsoft.com/maml/dev/2004/10'

    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $null = New-Item -ItemType Directory -Force -Path (Split-Path $OutputPath)
    $w = [System.Xml.XmlWriter]::Create($OutputPath, $settings)
    try {
        $paras = {
            param([string[]] $texts)
            $w.WriteStartElement('maml', 'description', $maml)
            foreach ($t in $texts) { $w.WriteElementString('maml', 'para', $maml, $t) }
            $w.WriteEndElement()
        }
        $writeParam = {
            param($p, [string] $set)
            $required = if ($set -and $p.RequiredBySet.ContainsKey($set)) { $p.RequiredBySet[$set] } else { $p.Required }
            $w.WriteStartElement('command', 'parameter', $cmd)
            $w.WriteAttributeString('required', $required.ToString().ToLowerInvariant())
            $w.WriteAttributeString('variableLength', ($p.Type -match '\[\]$').ToString().ToLowerInvariant())
            $w.WriteAttributeString('globbing', $p.Globbing.ToString().ToLowerInvariant())
            $w.WriteAttributeString('pipelineInput', $p.PipelineInput)
            $w.WriteAttributeString('position', $p.Position.ToLowerInvariant())
            $w.WriteAttributeString('aliases', $(if ($p.Aliases) { $p.Aliases } else { 'none' }))
            $w.WriteElementString('maml', 'name', $maml, $p.Name)
            & $paras $p.Description
            if ($p.Type -ne 'SwitchParameter') {
                $w.WriteStartElement('command', 'parameterValue', $cmd)
                $w.WriteAttributeString('required', 'true')
                $w.WriteAttributeString('variableLength', 'false')
                $w.WriteString($p.Type)
                $w.WriteEndElement()
            }
            $w.WriteStartElement('dev', 'type', $dev)
            $w.WriteElementString('maml', 'name', $maml, $p.Type)
            $w.WriteEndElement()
            $w.WriteElementString('dev', 'defaultValue', $dev, $p.DefaultValue)
            $w.WriteEndElement()
        }

        $w.WriteStartElement('helpItems', $mshNs)
        $w.WriteAttributeString('schema', 'maml')
        foreach ($pg in $Page) {
            $verb, $noun = $pg.Name -split '-', 2
            $w.WriteStartElement('command', 'command', $cmd)
            $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
            $w.WriteAttributeString('xmlns', 'dev', $null, $dev)

            $w.WriteStartElement('command', 'details', $cmd)
            $w.WriteElementString('command', 'name', $cmd, $pg.Name)
            $w.WriteElementString('command', 'verb', $cmd, $verb)
            $w.WriteElementString('command', 'noun', $cmd, $noun)
            & $paras @($pg.Synopsis)
            $w.WriteEndElement()

            & $paras $pg.Description

            # One syntax item per parameter set named in the pages' parameter metadata.
            $sets = @($pg.Parameters | ForEach-Object ParameterSets | Where-Object { $_ -ne '(All)' } | Select-Object -Unique)
            if (-not $sets) { $sets = @('(All)') }
            $w.WriteStartElement('command', 'syntax', $cmd)
            foreach ($set in $sets) {
                $w.WriteStartElement('command', 'syntaxItem', $cmd)
                $w.WriteElementString('maml', 'name', $maml, $pg.Name)
                foreach ($p in $pg.Parameters | Where-Object { $_.ParameterSets -contains '(All)' -or $_.ParameterSets -contains $set }) {
                    & $writeParam $p $set
                }
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'parameters', $cmd)
            foreach ($p in $pg.Parameters) { & $writeParam $p }
            $w.WriteEndElement()

            foreach ($kind in @(@('inputTypes', 'inputType', $pg.Inputs), @('returnValues', 'returnValue', $pg.Outputs))) {
                $w.WriteStartElement('command', $kind[0], $cmd)
                foreach ($t in $kind[2]) {
                    $w.WriteStartElement('command', $kind[1], $cmd)
                    $w.WriteStartElement('dev', 'type', $dev)
                    $w.WriteElementString('maml', 'name', $maml, $t.Name)
                    $w.WriteEndElement()
                    & $paras $t.Description
                    $w.WriteEndElement()
                }
                $w.WriteEndElement()
            }

            $w.WriteStartElement('maml', 'alertSet', $maml)
            $w.WriteStartElement('maml', 'alert', $maml)
            foreach ($n in $pg.Notes) { $w.WriteElementString('maml', 'para', $maml, $n) }
            $w.WriteEndElement()
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'examples', $cmd)
            foreach ($ex in $pg.Examples) {
                $w.WriteStartElement('command', 'example', $cmd)
                $w.WriteElementString('maml', 'title', $maml, "-------------------------- $($ex.Title) --------------------------")
                $code = ($ex.Code -join "`n")
                if ($ex.Output) { $code += "`n`n" + ($ex.Output -join "`n") }
                $w.WriteElementString('dev', 'code', $dev, $code)
                $w.WriteStartElement('dev', 'remarks', $dev)
                foreach ($r in $ex.Remarks) { $w.WriteElementString('maml', 'para', $maml, $r) }
                $w.WriteEndElement()
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'relatedLinks', $cmd)
            foreach ($l in $pg.Links) {
                $w.WriteStartElement('maml', 'navigationLink', $maml)
                $w.WriteElementString('maml', 'linkText', $maml, $l.Text)
                # Only an absolute address is an online page: Get-Help -Online opens the first uri
                # it finds, and a link to a sibling page (Get-KvmVM.md) is not one.
                $w.WriteElementString('maml', 'uri', $maml, $(if ($l.Uri -match '^https?://') { $l.Uri } else { '' }))
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    } finally {
        $w.Dispose()
    }
}

function ConvertTo-AboutHelpText {
    # Turns an about_ topic in markdown (# about_Name, ## SECTION, ### SUBSECTION, paragraphs,
    # "- " lists, fenced code) into the plain text Get-Help shows for about_Name: section titles
    # at the margin, text indented and wrapped at 80 columns, code indented further and kept as is.
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $OutputPath, [int] $Width = 80)
    $out = [System.Collections.Generic.List[string]]::new()
    $paragraph = [System.Collections.Generic.List[string]]::new()
    $bullet = $false
    $inFence = $false
    $plain = { param($t) ($t -replace '`([^`]*)`', '$1' -replace '\*\*([^*]+)\*\*', '$1' -replace '\[([^\]]+)\]\([^)]*\)', '$1') }
    $flush = {
        if ($paragraph.Count -eq 0) { return }
        $text = & $plain (($paragraph -join ' ') -replace '\s+', ' ').Trim()
        $first = if ($bullet) { '    - ' } else { '    ' }
        $rest = if ($bullet) { '      ' } else { '    ' }
        $line = $first
        foreach ($word in $text -split ' ') {
            if ($line.Length -gt $rest.Length -and $line.Length + 1 + $word.Length -gt $Width - 1 -and $line.Trim() -ne '-') {
                $out.Add($line.TrimEnd()); $line = $rest + $word
            } elseif ($line.Trim() -eq '' -or $line.Trim() -eq '-') { $line += $word }
            else { $line += ' ' + $word }
        }
        $out.Add($line.TrimEnd())
        if (-not $bullet) { $out.Add('') }
        $paragraph.Clear()
    }
    foreach ($raw in Get-Content -LiteralPath $Path) {
        if ($raw -match '^```') {
            & $flush
            if ($bullet) { $out.Add(''); $bullet = $false }
            $inFence = -not $inFence
            if (-not $inFence) { $out.Add('') }
            continue
        }
        if ($inFence) { $out.Add(('        ' + $raw).TrimEnd()); continue }
        if ($raw -match '^# (.+)$') { $out.Add('TOPIC'); $out.Add('    ' + $Matches[1].Trim()); $out.Add(''); continue }
        if ($raw -match '^(##|###) (.+)$') {
            & $flush
            if ($bullet) { $out.Add(''); $bullet = $false }
            $title = $Matches[2].Trim().ToUpperInvariant()
            $out.Add($(if ($Matches[1] -eq '##') { $title } else { '  ' + $title }))
            continue
        }
        if ($raw -match '^\s*$') {
            & $flush
            if ($bullet) { $out.Add(''); $bullet = $false }
            continue
        }
        if ($raw -match '^- (.+)$') { & $flush; $bullet = $true; $paragraph.Add($Matches[1]); continue }
        $paragraph.Add($raw.Trim())
    }
    & $flush
    while ($out.Count -and $out[$out.Count - 1] -eq '') { $out.RemoveAt($out.Count - 1) }
    [IO.File]::WriteAllLines($OutputPath, [string[]] $out, [Text.UTF8Encoding]::new($false))
}

Export-ModuleMember -Function ConvertFrom-HelpMarkdown, ConvertTo-Maml, ConvertTo-AboutHelpText
