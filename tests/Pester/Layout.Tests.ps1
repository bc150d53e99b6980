# The source layout docs/ARCHITECTURE.md promises: a cmdlet's file is found from its name, its area
# has an engine counterpart of the same name, files hold the class they are named after, and
# cmdlets stay thin.
BeforeDiscovery {
    $cmdlets = (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../KvmPS.psd1')).CmdletsToExport | Sort-Object
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Src = Join-Path $script:RepoRoot 'src'
    $script:CmdletFiles = @(Get-ChildItem (Join-Path $script:Src 'KvmPS') -Recurse -Filter '*.cs' |
            Where-Object { $_.FullName -notmatch '[\\/](obj|bin)[\\/]' })
    $script:EngineFiles = @(Get-ChildItem (Join-Path $script:Src 'KvmPS.Engine') -Recurse -Filter '*.cs' |
            Where-Object { $_.FullName -notmatch '[\\/](obj|bin)[\\/]' })
    $script:SharedFiles = @(Get-ChildItem (Join-Path $script:Src 'KvmPS.Shared') -Recurse -Filter '*.cs' |
            Where-Object { $_.FullName -notmatch '[\\/](obj|bin)[\\/]' })
    $script:EngineAreas = @(Get-ChildItem (Join-Path $script:Src 'KvmPS.Engine') -Directory |
            Where-Object Name -NotIn 'obj', 'bin' | ForEach-Object Name)
    function Get-LongFile([IO.FileInfo[]] $Files, [int] $Limit) {
        foreach ($f in $Files) {
            $n = @(Get-Content $f.FullName).Count
            if ($n -gt $Limit) { '{0} ({1})' -f $f.Name, $n }
        }
    }
}

Describe 'Source layout' {
    It 'has the file of <_> at src/KvmPS/<area>/<Verb><Noun>Command.cs, in an area the engine has too' -ForEach $cmdlets {
        $fileName = ($_ -replace '-', '') + 'Command.cs'
        $file = @($script:CmdletFiles | Where-Object Name -eq $fileName)
        $file.Count | Should -Be 1 -Because "exactly one $fileName"
        $area = $file[0].Directory.Name
        $area | Should -Not -Be 'Infrastructure'
        $script:EngineAreas | Should -Contain $area -Because "the engine has a folder for the area $area"
    }

    It 'names every file after a type it declares' {
        $wrong = foreach ($f in $script:CmdletFiles + $script:EngineFiles + $script:SharedFiles) {
            $base = [IO.Path]::GetFileNameWithoutExtension($f.Name) -replace '^Libvirt\..*$', 'Libvirt'
            $text = Get-Content $f.FullName -Raw
            if ($text -notmatch "(class|enum|record|struct|interface)\s+$([regex]::Escape($base))\b") { $f.Name }
        }
        $wrong | Should -BeNullOrEmpty
    }

    It 'holds one top-level type per file' {
        $many = foreach ($f in $script:CmdletFiles + $script:EngineFiles + $script:SharedFiles) {
            $n = @(Select-String -Path $f.FullName -Pattern '^(public |internal |file )?((sealed|static|abstract|partial|readonly|ref) )*(class|enum|record|struct|interface) ').Count
            if ($n -gt 1) { '{0} ({1} types)' -f $f.Name, $n }
        }
        $many | Should -BeNullOrEmpty
    }

    It 'keeps cmdlet files under 200 lines' {
        Get-LongFile $script:CmdletFiles 200 | Should -BeNullOrEmpty
    }

    It 'keeps engine files under 400 lines' {
        Get-LongFile $script:EngineFiles 400 | Should -BeNullOrEmpty
    }

    It 'keeps PowerShell out of the engine' {
        $ps = $script:EngineFiles | Where-Object { Select-String -Path $_.FullName -Pattern '^using System\.Management\.Automation' -Quiet }
        $ps | Should -BeNullOrEmpty
    }
}
