# Dot-sourced by the corpus tests (test driver and system tier): the corpus manifest, a canonical
# XML comparison, and the same-value edits every Set-* family makes on each definition.

$script:CorpusDir = Join-Path $PSScriptRoot '../fixtures/domains'

function Get-CorpusCase([string] $Tier) {
    # One hashtable per fixture marked for the tier; Name is the domain's <name>.
    $manifest = Get-Content (Join-Path $script:CorpusDir 'manifest.json') -Raw | ConvertFrom-Json
    foreach ($e in $manifest) {
        if ($e.tiers -notcontains $Tier) { continue }
        $path = Join-Path $script:CorpusDir $e.file
        $name = ([xml](Get-Content $path -Raw)).domain.name
        @{ File = $e.file; Path = $path; Name = $name; SchemaValid = [bool]$e.schemaValid }
    }
}

function ConvertTo-XmlLine([System.Xml.Linq.XElement] $Element, [string] $Path, [System.Collections.Generic.List[string]] $Lines) {
    # One line per attribute (sorted by name) and per text value, each under its element's path;
    # repeated siblings are numbered, so order changes among them show as differences.
    foreach ($a in ($Element.Attributes() | Where-Object { -not $_.IsNamespaceDeclaration } | Sort-Object { $_.Name.ToString() })) {
        $Lines.Add("$Path@$($a.Name)=$($a.Value)")
    }
    if (-not $Element.HasElements -and $Element.Value.Trim() -ne '') {
        $Lines.Add("$Path=$($Element.Value.Trim())")
    }
    $count = @{}
    foreach ($c in $Element.Elements()) {
        $n = $c.Name.ToString()
        $count[$n] = 1 + [int]$count[$n]
        # libvirt itself regroups controllers by type when it parses its own output again (virsh
        # dumpxml | virsh define does it too), so a controller is named by type and index, not place.
        $key = if ($n -eq 'controller') { "$($c.Attribute('type').Value):$($c.Attribute('index').Value)" } else { $count[$n] }
        ConvertTo-XmlLine $c "$Path/$n[$key]" $Lines
    }
}

function Compare-CanonicalXml([string] $Before, [string] $After, [string[]] $Allowed = @()) {
    # The differences between two definitions as '- line' / '+ line', ignoring formatting, attribute
    # order and namespace prefixes; lines under an -Allowed path prefix (e.g. '/domain[1]/description')
    # are left out. Empty when they say the same.
    $lines = foreach ($text in $Before, $After) {
        $list = [System.Collections.Generic.List[string]]::new()
        $root = [System.Xml.Linq.XElement]::Parse($text)
        ConvertTo-XmlLine $root "/$($root.Name)[1]" $list
        , $list
    }
    $b = [System.Collections.Generic.HashSet[string]]::new([string[]]$lines[0])
    $a = [System.Collections.Generic.HashSet[string]]::new([string[]]$lines[1])
    $out = @(
        $lines[0] | Where-Object { -not $a.Contains($_) } | ForEach-Object { "- $_" }
        $lines[1] | Where-Object { -not $b.Contains($_) } | ForEach-Object { "+ $_" }
    )
    $out | Where-Object { $line = $_.Substring(2); -not ($Allowed | Where-Object { $line.StartsWith($_) }) }
}

function Get-SecureXml([string] $Uri, [string] $Name) {
    Export-KvmVM -Uri $Uri -Name $Name -IncludeSecrets -ErrorAction Stop | Out-String
}

function Invoke-SameValueEdit([string] $Uri, [string] $Name) {
    # Every Set-* family, each asked to set what the VM already has. Returns the name of each edit
    # with the differences it made in the secure definition (none expected), and its warnings.
    $common = @{ Uri = $Uri; Name = $Name; Confirm = $false; ErrorAction = 'Stop' }
    $vm = Get-KvmVM -Uri $Uri -Name $Name -ErrorAction Stop
    $cpu = Get-KvmCpu -Uri $Uri -Name $Name -ErrorAction Stop
    $mem = Get-KvmMemory -Uri $Uri -Name $Name -ErrorAction Stop
    $numa = Get-KvmNuma -Uri $Uri -Name $Name -ErrorAction Stop
    $secure = [xml](Get-SecureXml $Uri $Name)
    $edits = [ordered]@{}
    $edits['Set-KvmVM -VCpuCount'] = { Set-KvmVM @common -VCpuCount $vm.VCpuCount }
    if ($vm.MemoryBytes -eq $vm.CurrentMemoryBytes) { $edits['Set-KvmVM -Memory'] = { Set-KvmVM @common -Memory $vm.MemoryBytes } }
    $edits['Set-KvmVM -Autostart'] = { Set-KvmVM @common -Autostart:$vm.Autostart }
    if ($null -ne $vm.Description) { $edits['Set-KvmVM -Description'] = { Set-KvmVM @common -Description $vm.Description } }
    $cpuArgs = @{}
    if ($null -ne $cpu.Sockets) { $cpuArgs.Sockets = $cpu.Sockets; $cpuArgs.Cores = $cpu.Cores; $cpuArgs.Threads = $cpu.Threads }
    if ($null -ne $cpu.Mode) { $cpuArgs.Mode = $cpu.Mode }
    if ($cpu.Mode -eq 'Custom' -and $cpu.Model) { $cpuArgs.Model = $cpu.Model }
    if ($cpu.Features) { $cpuArgs.Feature = @($cpu.Features | ForEach-Object { "$($_.Policy):$($_.Name)" }) }
    if ($cpuArgs.Count) { $edits['Set-KvmCpu'] = { Set-KvmCpu @common @cpuArgs } }
    $memArgs = @{ Memory = $mem.MemoryBytes; CurrentMemory = $mem.CurrentMemoryBytes; Locked = [switch]$mem.Locked }
    if (@($mem.HugePageSizes).Count -eq 1) { $memArgs.HugePageSize = $mem.HugePageSizeBytes }
    if ($null -eq $mem.Source -or $mem.Source -eq 'memfd') { $memArgs.Memfd = [switch]($mem.Source -eq 'memfd') }
    if ($mem.BalloonModel -in 'none', 'virtio') { $memArgs.NoBalloon = [switch]($mem.BalloonModel -eq 'none') }
    $edits['Set-KvmMemory'] = { Set-KvmMemory @common @memArgs }
    if ($numa.HostNodes -and $numa.MemoryMode) { $edits['Set-KvmNuma'] = { Set-KvmNuma @common -MemoryMode $numa.MemoryMode -HostNode $numa.HostNodes } }
    $tune = $secure.domain.cputune
    # A pin to CPUs this host does not have is kept as libvirt kept it, but Set-KvmCpuPin rightly
    # refuses to make one: such pins are not edited (the system tier's host has few CPUs).
    $hostCpus = (Get-KvmHost -Uri $Uri -ErrorAction Stop).CpuCount
    $fits = { param([string] $set) -not ($set -split '[,-]' | Where-Object { $_ -match '^\d+$' -and [int]$_ -ge $hostCpus }) }
    foreach ($p in @($tune.vcpupin)) {
        if ($p -and (& $fits $p.cpuset)) { $edits["Set-KvmCpuPin -VCpu $($p.vcpu)"] = [scriptblock]::Create("Set-KvmCpuPin @common -VCpu $($p.vcpu) -HostCpu '$($p.cpuset)'") }
    }
    if ($tune.emulatorpin -and (& $fits $tune.emulatorpin.cpuset)) { $edits['Set-KvmCpuPin -EmulatorCpu'] = [scriptblock]::Create("Set-KvmCpuPin @common -EmulatorCpu '$($tune.emulatorpin.cpuset)'") }
    foreach ($p in @($tune.iothreadpin)) {
        if ($p -and (& $fits $p.cpuset)) { $edits["Set-KvmCpuPin -IOThread $($p.iothread)"] = [scriptblock]::Create("Set-KvmCpuPin @common -IOThread $($p.iothread) -IOThreadCpu '$($p.cpuset)'") }
    }
    foreach ($d in (Get-KvmDisk -Uri $Uri -Name $Name -ErrorAction Stop)) {
        $diskArgs = @{ Target = $d.Target; ReadOnly = [switch]$d.ReadOnly }
        if ($d.Cache) { $diskArgs.Cache = $d.Cache }
        if ($d.IO) { $diskArgs.IO = $d.IO -replace '_', '' }
        if ($d.Discard -eq 'unmap') { $diskArgs.Discard = [switch]$true }
        $edits["Set-KvmDisk $($d.Target)"] = { Set-KvmDisk @common @diskArgs }.GetNewClosure()
    }
    foreach ($n in (Get-KvmNetworkAdapter -Uri $Uri -Name $Name -ErrorAction Stop)) {
        if (-not $n.MacAddress) { continue }
        $edits["Set-KvmNetworkAdapter $($n.MacAddress)"] = { Set-KvmNetworkAdapter @common -MacAddress $n.MacAddress -LinkState $n.LinkState }.GetNewClosure()
    }
    foreach ($k in $edits.Keys) {
        $before = Get-SecureXml $Uri $Name
        $warnings = & $edits[$k] 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }
        [pscustomobject]@{
            Edit        = $k
            Differences = @(Compare-CanonicalXml $before (Get-SecureXml $Uri $Name))
            Warnings    = @($warnings | ForEach-Object { "$_" })
        }
    }
}
