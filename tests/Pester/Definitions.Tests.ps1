# Definitions written elsewhere: what Import-KvmVM refuses and keeps, and edits that must not
# lose or refuse what libvirt accepted (vCPU hot-plug room, memory devices, page sizes, network
# disks, non-PCI host devices, CPU feature names).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Uri = 'test:///default'
    $script:Dir = Join-Path $RepoRoot 'tests/fixtures/domains'
    $script:Tmp = Join-Path ([IO.Path]::GetTempPath()) "kvmps-defs-$PID"
    $null = New-Item -ItemType Directory -Force $Tmp
    function Import-Fixture([string] $Pattern) {
        $file = Get-ChildItem $Dir -Filter "corpus-*$Pattern.xml" | Select-Object -First 1
        $name = ([xml](Get-Content $file.FullName -Raw)).domain.name
        Remove-KvmVM -Uri $Uri -Name $name -Confirm:$false -ErrorAction Ignore
        $null = Import-KvmVM -Uri $Uri -Path $file.FullName -KeepOwnership -SkipValidation -ErrorAction Stop
        $name
    }
    function Minimal([string] $Name, [string] $Extra = '') {
        "<domain type='test'><name>$Name</name><memory>524288</memory><vcpu>1</vcpu><os><type>hvm</type></os>$Extra</domain>"
    }
}

AfterAll {
    Remove-Item -Recurse -Force $Tmp -ErrorAction Ignore
    Get-KvmVM -Uri $Uri -Name 'corpus-*', 'defs-*' -ErrorAction Ignore | Remove-KvmVM -Confirm:$false -ErrorAction Ignore
}

Describe 'Import-KvmVM reads text as libvirt does' {
    It 'refuses bytes that are not UTF-8, and defines nothing' {
        $f = Join-Path $Tmp 'latin1.xml'
        $bytes = [Text.Encoding]::UTF8.GetBytes((Minimal 'defs-latin1' '<description>caf_</description>'))
        $bytes[[Array]::IndexOf($bytes, [byte][char]'_')] = 0xE9
        [IO.File]::WriteAllBytes($f, $bytes)
        Import-KvmVM -Uri $Uri -Path $f -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'DomainXmlNotUtf8,KvmPS.Commands.ImportKvmVMCommand'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidData'
        Get-KvmVM -Uri $Uri -Name 'defs-latin1' -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'refuses a declaration of another encoding (<Name>)' -ForEach @(
        @{ Name = 'file'; AsFile = $true }, @{ Name = 'text'; AsFile = $false }
    ) {
        $xml = "<?xml version='1.0' encoding='ISO-8859-1'?>" + (Minimal 'defs-decl' '<description>café</description>')
        if ($AsFile) {
            $f = Join-Path $Tmp 'decl.xml'
            [IO.File]::WriteAllBytes($f, [Text.Encoding]::Latin1.GetBytes($xml))
            Import-KvmVM -Uri $Uri -Path $f -ErrorVariable e -ErrorAction SilentlyContinue
            # Latin-1 bytes of é are not UTF-8 either: the bytes are refused first.
            $e[0].FullyQualifiedErrorId | Should -Be 'DomainXmlNotUtf8,KvmPS.Commands.ImportKvmVMCommand'
        } else {
            Import-KvmVM -Uri $Uri -Xml $xml -ErrorVariable e -ErrorAction SilentlyContinue
            $e[0].FullyQualifiedErrorId | Should -Be 'DomainXmlEncodingNotUtf8,KvmPS.Commands.ImportKvmVMCommand'
        }
        Get-KvmVM -Uri $Uri -Name 'defs-decl' -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'reads UTF-8 with a byte order mark and a UTF-8 declaration' {
        $f = Join-Path $Tmp 'bom.xml'
        $xml = "<?xml version='1.0' encoding='utf-8'?>" + (Minimal 'defs-bom' '<description>été 中文</description>')
        [IO.File]::WriteAllText($f, $xml, [Text.UTF8Encoding]::new($true))
        Import-KvmVM -Uri $Uri -Path $f -ErrorAction Stop
        (Get-KvmVM -Uri $Uri -Name 'defs-bom').Description | Should -BeExactly 'été 中文'
    }
}

Describe 'Import-KvmVM and the schema' {
    It 'refuses a definition outside the schema with an error that names -SkipValidation, and takes it with it' {
        $xml = Minimal 'defs-rel' "<devices><disk type='file' device='disk'><source file='rel/disk.img'/><target dev='vda' bus='virtio'/></disk></devices>"
        Import-KvmVM -Uri $Uri -Xml $xml -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'DomainXmlFailsSchema,KvmPS.Commands.ImportKvmVMCommand'
        "$($e[0])" | Should -Match 'SkipValidation'
        Get-KvmVM -Uri $Uri -Name 'defs-rel' -ErrorAction Ignore | Should -BeNullOrEmpty
        Import-KvmVM -Uri $Uri -Xml $xml -SkipValidation -ErrorAction Stop
        (Get-KvmDisk -Uri $Uri -Name 'defs-rel').Path | Should -BeExactly 'rel/disk.img'
    }
}

Describe 'Import-KvmVM and ownership metadata' {
    BeforeAll {
        $name = 'defs-owned'
        $id = [guid]::NewGuid()
        $file = Join-Path $Tmp 'owned.xml'
        Set-Content $file ("<domain type='test'><name>$name</name><uuid>$id</uuid><metadata>" +
            "<kvmps:kvmps xmlns:kvmps='https://kvmps.dev/xmlns/domain/1'><kvmps:owned path='/var/lib/kvmps-none/$name.qcow2' owner='$id'/></kvmps:kvmps>" +
            "</metadata><memory>524288</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices><disk type='file' device='disk'>" +
            "<source file='/var/lib/kvmps-none/$name.qcow2'/><target dev='hda' bus='ide'/></disk></devices></domain>")
    }
    BeforeEach { Remove-KvmVM -Uri $Uri -Name $name -Confirm:$false -ErrorAction Ignore }

    It 'drops it by default' {
        Import-KvmVM -Uri $Uri -Path $file -ErrorAction Stop
        Export-KvmVM -Uri $Uri -Name $name | Should -Not -Match 'kvmps.dev/xmlns'
        (Get-KvmDisk -Uri $Uri -Name $name | Where-Object OwnedByVM) | Should -BeNullOrEmpty
    }

    It 'keeps it with -KeepOwnership' {
        Import-KvmVM -Uri $Uri -Path $file -KeepOwnership -ErrorAction Stop
        Export-KvmVM -Uri $Uri -Name $name | Should -Match 'kvmps.dev/xmlns'
        (Get-KvmDisk -Uri $Uri -Name $name | Where-Object OwnedByVM).Target | Should -Be 'hda'
    }
}

Describe 'Set-KvmVM -VCpuCount' {
    It 'keeps the hot-plug maximum of a definition with current 2 of 4' {
        $n = Import-Fixture 'virtinstall-linux-vcpu-current'
        Set-KvmVM -Uri $Uri -Name $n -VCpuCount 3 -ErrorAction Stop
        $vm = Get-KvmVM -Uri $Uri -Name $n
        $vm.VCpuCount | Should -Be 3
        $vm.MaxVCpuCount | Should -Be 4
        Set-KvmVM -Uri $Uri -Name $n -VCpuCount 6 -ErrorAction Stop
        (Get-KvmVM -Uri $Uri -Name $n).MaxVCpuCount | Should -Be 6
    }

    It 'gives a VM without hot-plug room exactly the new count' {
        Remove-KvmVM -Uri $Uri -Name 'defs-vc' -Confirm:$false -ErrorAction Ignore
        Import-KvmVM -Uri $Uri -Xml (Minimal 'defs-vc') -ErrorAction Stop
        Set-KvmVM -Uri $Uri -Name 'defs-vc' -VCpuCount 3 -ErrorAction Stop
        $vm = Get-KvmVM -Uri $Uri -Name 'defs-vc'
        "$($vm.VCpuCount)/$($vm.MaxVCpuCount)" | Should -Be '3/3'
    }

    It 'refuses a count the topology cannot hold, and changes nothing (memory given too)' {
        $n = Import-Fixture 'virtinstall-linux-topology'
        $before = Export-KvmVM -Uri $Uri -Name $n -IncludeSecrets
        Set-KvmVM -Uri $Uri -Name $n -VCpuCount 3 -Memory 1GB -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'TopologyMismatch,KvmPS.Commands.SetKvmVMCommand'
        Export-KvmVM -Uri $Uri -Name $n -IncludeSecrets | Should -BeExactly $before
    }
}

Describe 'Set-KvmMemory on what libvirt accepted' {
    It 'takes the same values on a VM with a memory DIMM' {
        $n = Import-Fixture 'minimal-dimm'
        $m = Get-KvmMemory -Uri $Uri -Name $n
        Set-KvmMemory -Uri $Uri -Name $n -Memory $m.MemoryBytes -ErrorAction Stop
        (Get-KvmMemory -Uri $Uri -Name $n).MemoryBytes | Should -Be $m.MemoryBytes
    }

    It 'refuses a new size that the cells and DIMMs do not add up to' {
        $n = Import-Fixture 'minimal-dimm'
        Set-KvmMemory -Uri $Uri -Name $n -Memory 4GB -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'MemoryDoesNotMatchNumaCells,KvmPS.Commands.SetKvmMemoryCommand'
        "$($e[0])" | Should -Match 'memory devices'
    }

    It 'takes the same size when it is not a whole number of huge pages, and refuses a new one that is not' {
        Remove-KvmVM -Uri $Uri -Name 'defs-odd' -Confirm:$false -ErrorAction Ignore
        Import-KvmVM -Uri $Uri -Xml "<domain type='test'><name>defs-odd</name><memory>525312</memory><memoryBacking><hugepages><page size='2048' unit='KiB'/></hugepages></memoryBacking><vcpu>1</vcpu><os><type>hvm</type></os></domain>" -ErrorAction Stop
        Set-KvmMemory -Uri $Uri -Name 'defs-odd' -Memory (525312 * 1KB) -ErrorAction Stop
        Set-KvmMemory -Uri $Uri -Name 'defs-odd' -Memory (527360 * 1KB) -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'MemoryNotPageAligned,KvmPS.Commands.SetKvmMemoryCommand'
    }
}

Describe 'What the readers show' {
    It 'reads several huge page sizes as several' {
        $n = Import-Fixture 'legacy-i440fx-hugepages-multi-numa-cells'
        $pages = (Get-KvmMemory -Uri $Uri -Name $n).HugePageSizes
        @($pages).Count | Should -Be 2
        ($pages | ForEach-Object { "$($_.PageSizeBytes)@$($_.NodeSet)" }) | Should -Be @('2097152@0', '1073741824@1')
    }

    It 'names a network disk by a URL' {
        $n = Import-Fixture 'kernel-boot-net-rbd'
        (Get-KvmDisk -Uri $Uri -Name $n | Where-Object Target -eq 'vdx').Path | Should -BeExactly 'rbd://mon1.example:6789,mon2.example:6789/rbd-pool/vm-17-disk'
    }

    It 'lists USB host devices on the VM (<Fixture>)' -ForEach @(
        @{ Fixture = 'kernel-boot-usb-hostdev-id'; Source = 'usb 046d:c52b' }
        @{ Fixture = 'uefi-usb-hostdev-addr'; Source = 'usb bus 1 device 3' }
    ) {
        $n = Import-Fixture $Fixture
        $d = (Get-KvmVM -Uri $Uri -Name $n).PassthroughDevices
        $d.Type | Should -Be 'usb'
        $d.Source | Should -BeExactly $Source
    }
}

Describe 'Set-KvmCpu -Feature' {
    It 'refuses a feature libvirt does not know, with the closest name, and changes nothing' {
        $n = Import-Fixture 'windows-cpu-passthrough'
        $before = Export-KvmVM -Uri $Uri -Name $n -IncludeSecrets
        Set-KvmCpu -Uri $Uri -Name $n -Feature '+no_such_flag', '+sse4_1' -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'UnknownCpuFeature,KvmPS.Commands.SetKvmCpuCommand'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$($e[0])" | Should -Match "'sse4_1' \(did you mean 'sse4.1'\?\)"
        "$($e[0])" | Should -Match "'no_such_flag'"
        Export-KvmVM -Uri $Uri -Name $n -IncludeSecrets | Should -BeExactly $before
    }

    It 'takes a feature libvirt knows' {
        $n = Import-Fixture 'windows-cpu-passthrough'
        Set-KvmCpu -Uri $Uri -Name $n -Feature '+sse4.1' -ErrorAction Stop
        (Get-KvmCpu -Uri $Uri -Name $n).Features.Name | Should -Contain 'sse4.1'
    }
}
