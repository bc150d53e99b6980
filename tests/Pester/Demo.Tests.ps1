# The README's first command runs demo.ps1: it must keep working as cmdlets change.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'The demo' {
    It 'runs on the test driver from start to end and shows each step' {
        $pwsh = Join-Path $PSHOME 'pwsh.dll'
        $demo = Join-Path $script:RepoRoot 'demo.ps1'
        $out = & dotnet $pwsh -NoLogo -NoProfile -NonInteractive -File $demo -ModulePath $script:ModulePath 2>&1
        $LASTEXITCODE | Should -Be 0
        $text = $out -join "`n"
        $text | Should -Match 'test:///default'
        $text | Should -Match 'lab\s+Nat\s+True\s+True'
        $text | Should -Match 'web1\s+Running\s+2'
        $text | Should -Match "Deleted volume '/var/lib/libvirt/images/web1.qcow2'"
        $text | Should -Match 'SubnetOverlapsNetwork'
        $text | Should -Not -Match 'Exception:'
    }
}
