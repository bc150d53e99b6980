# KubeVirt manifests, QEMU command lines and the Kata profile, on the test driver.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Kv = Join-Path $script:RepoRoot 'tests/fixtures/kubevirt'
    $script:Hosts = Join-Path $script:RepoRoot 'tests/fixtures/hosts'
    $env:LIBVIRT_DEFAULT_URI = 'test:///default'
    function Import-Case1([string] $Dir) {
        # The Case 1 domain on the test driver, its images as real files of the case's sizes in $Dir.
        $xml = (Get-Content (Join-Path $script:Kv 'case1-domain.xml') -Raw).Replace("type='kvm'", "type='test'").Replace('/var/lib/libvirt/images/', "$Dir/")
        & qemu-img create -q -f qcow2 (Join-Path $Dir 'pg-primary.qcow2') 40G
        $f = [IO.File]::Create((Join-Path $Dir 'pg-primary-data.raw')); $f.SetLength(100GB); $f.Dispose()
        $null = New-Item -ItemType File -Path (Join-Path $Dir 'pg-primary-cidata.iso') -Force
        $xml | Import-KvmVM -SkipValidation -ErrorAction Stop
    }
}

AfterAll {
    Reset-KvmSession
}

Describe 'ConvertTo-KvmKubeVirt' {
    BeforeEach { Reset-KvmSession }

    It 'writes the seed''s Case 1 manifest from the VM that describes it' {
        if (-not (Get-Command qemu-img -ErrorAction Ignore)) { Set-ItResult -Skipped -Because 'qemu-img is not installed'; return }
        $vm = Import-Case1 $TestDrive
        $m = $vm | ConvertTo-KvmKubeVirt -DiskSource DataVolume -StorageClass fast-ssd -Namespace databases -Running `
            -CloudInitUserData (Get-Content (Join-Path $Kv 'case1-user-data.yaml') -Raw) -WarningVariable w
        $w | Should -BeNullOrEmpty
        $m.Unmapped | Should -BeNullOrEmpty
        $expected = (Get-Content (Join-Path $Kv 'case1-manifest.yaml') -Raw) -split "(?m)^---\r?\n"
        $m.DataVolumeYaml.Count | Should -Be 2
        # Field by field: the same keys and values in every document (the order of keys aside).
        $norm = { param($t) ($t -split "`n" | Where-Object { $_ -notmatch '^\s*#' -and $_.Trim() } | ForEach-Object { $_.TrimEnd() -replace '"', '' } | Sort-Object) -join "`n" }
        & $norm $m.VirtualMachineYaml | Should -Be (& $norm $expected[0])
        & $norm $m.DataVolumeYaml[0] | Should -Be (& $norm $expected[1])
        & $norm $m.DataVolumeYaml[1] | Should -Be (& $norm $expected[2])
        $m.UploadSteps | Should -Be @(
            "virtctl image-upload dv pg-primary-vda --no-create --image-path=$TestDrive/pg-primary.qcow2 --namespace databases",
            "virtctl image-upload dv pg-primary-vdb --no-create --image-path=$TestDrive/pg-primary-data.raw --namespace databases")
        Remove-KvmVM -Name pg-primary -Confirm:$false
    }

    It 'warns about and lists what KubeVirt cannot express' {
        $m = ConvertTo-KvmKubeVirt -Name test -WarningVariable w -WarningAction SilentlyContinue
        $m.Unmapped.Count | Should -BeGreaterThan 0
        $w.Count | Should -Be 1
        foreach ($u in $m.Unmapped) { "$w" | Should -BeLike "*$u*" }
        $m.Kind | Should -Be 'VirtualMachine'
        $m.Yaml | Should -Match '(?m)^apiVersion: kubevirt\.io/v1$'
    }

    It 'takes the disk source: container images, PVCs or DataVolumes, each with its steps' {
        $c = ConvertTo-KvmKubeVirt -Name test -ImageRegistry registry.lab:5000/vms -WarningAction SilentlyContinue
        $c.Yaml | Should -Match 'image: "registry\.lab:5000/vms/test-vda:latest"'
        $c.UploadSteps[-1] | Should -Be 'podman build -t registry.lab:5000/vms/test-vda:latest test-vda-image && podman push registry.lab:5000/vms/test-vda:latest'
        $p = ConvertTo-KvmKubeVirt -Name test -DiskSource Pvc -StorageClass standard -WarningAction SilentlyContinue
        $p.Yaml | Should -Match 'claimName: test-vda'
        $p.UploadSteps | Should -Be 'virtctl image-upload pvc test-vda --size=10Gi --image-path=/guest/diskimage1 --storage-class=standard'
        $d = ConvertTo-KvmKubeVirt -Name test -DiskSource DataVolume -Namespace vms -WarningAction SilentlyContinue
        @($d.Yaml -split "(?m)^---$").Count | Should -Be 2
        $d.DataVolumeYaml[0] | Should -Match 'kind: DataVolume'
    }

    It 'refuses a namespace that is not a Kubernetes name, and a missing VM' {
        ConvertTo-KvmKubeVirt -Name test -Namespace 'Not_OK' -ErrorAction SilentlyContinue -ErrorVariable e | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -BeLike 'InvalidKubernetesName,*'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        ConvertTo-KvmKubeVirt -Name nosuchvm -ErrorAction SilentlyContinue -ErrorVariable e2
        $e2[0].FullyQualifiedErrorId | Should -BeLike 'VMNotFound,*'
    }

    It 'shows a table' {
        $out = ConvertTo-KvmKubeVirt -Name test -WarningAction SilentlyContinue | Format-Table | Out-String
        $out | Should -Match 'VMName\s+Kind\s+Name'
        $out | Should -Match 'test\s+VirtualMachine\s+test'
    }
}

Describe 'Get-KvmQemuCommandLine' {
    It 'says clearly that the test driver cannot make a command line' {
        Get-KvmQemuCommandLine -Name test -ErrorAction SilentlyContinue -ErrorVariable e | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -BeLike 'QemuCommandLineNotSupported,*'
        $e[0].CategoryInfo.Category | Should -Be 'NotImplemented'
        "$($e[0])" | Should -Match 'test:///default'
        "$($e[0])" | Should -Match "QEMU driver"
    }
}

Describe 'ConvertFrom-KvmQemuCommandLine' {
    BeforeEach { Reset-KvmSession }

    It 'turns the seed''s <File> into a VM whose definition carries exactly its settings' -ForEach @(
        @{ File = 'qemu-case3-hpc.sh'; Name = 'hpc-node01'; VCpus = 8; Sockets = '2'; Cores = '4'; Cells = 2; Disk = 'raw'; Cache = 'none'; Tap = 'tap-hpc0'; Pci = $true }
        @{ File = 'qemu-7.3-edge.sh'; Name = 'edge-gw01'; VCpus = 4; Sockets = '1'; Cores = '4'; Cells = 0; Disk = 'qcow2'; Cache = 'writeback'; Tap = 'tap-edge0'; Pci = $false }
    ) {
        $vm = Get-Content (Join-Path $Kv $File) | ConvertFrom-KvmQemuCommandLine -WarningVariable w | Import-KvmVM
        $w | Should -BeNullOrEmpty
        $vm.Name | Should -Be $Name
        # What libvirt itself now holds (what virsh dumpxml shows).
        $x = [xml](Export-KvmVM -Name $Name)
        $x.domain.vcpu.'#text' | Should -Be "$VCpus"
        $x.domain.cpu.mode | Should -Be 'host-passthrough'
        $x.domain.cpu.topology.sockets | Should -Be $Sockets
        $x.domain.cpu.topology.cores | Should -Be $Cores
        ($x.domain.cpu.feature | Where-Object name -eq 'x2apic').policy | Should -Be 'require'
        @($x.domain.cpu.numa.cell | Where-Object { $_ }).Count | Should -Be $Cells
        if ($Cells) {
            @($x.domain.cpu.numa.cell.cpus) | Should -Be @('0-3', '4-7')
            @($x.domain.cpu.numa.cell | ForEach-Object { [long]$_.memory * $(if ($_.unit -eq 'KiB') { 1KB } else { 1 }) }) | Should -Be @(8GB, 8GB)
        }
        $x.domain.devices.disk.driver.type | Should -Be $Disk
        $x.domain.devices.disk.driver.cache | Should -Be $Cache
        $x.domain.devices.disk.target.bus | Should -Be 'virtio'
        $x.domain.devices.interface.type | Should -Be 'ethernet'
        $x.domain.devices.interface.target.dev | Should -Be $Tap
        $x.domain.devices.interface.model.type | Should -Be 'virtio'
        if ($Pci) {
            $a = $x.domain.devices.hostdev.source.address
            "$($a.bus):$($a.slot).$($a.function)" | Should -Be '0x01:0x00.0x0'
        }
        Remove-KvmVM -Name $Name -Confirm:$false
    }

    It 'reports unknown options in a warning and in the object' {
        $d = ConvertFrom-KvmQemuCommandLine 'qemu-system-x86_64 -m 512 -frobnicate 1 -device sb16' -Name unk -WarningVariable w -WarningAction SilentlyContinue
        $d.Unknown | Should -Contain '-frobnicate 1'
        $d.Unknown | Should -Contain '-device sb16'
        "$w" | Should -Match 'frobnicate'
        "$d" | Should -Be $d.Xml
    }

    It 'refuses a malformed <Why> with <Id>' -ForEach @(
        @{ Why = 'memory size'; Line = 'qemu-system-x86_64 -m lots'; Id = 'QemuBadMemory' }
        @{ Why = 'topology'; Line = 'qemu-system-x86_64 -smp 8,sockets=3,cores=2'; Id = 'QemuBadSmp' }
        @{ Why = 'PCI address'; Line = 'qemu-system-x86_64 -device vfio-pci,host=1:0'; Id = 'QemuBadPciAddress' }
        @{ Why = 'NUMA layout'; Line = 'qemu-system-x86_64 -m 1G -numa node,cpus=0,mem=2G'; Id = 'QemuBadNuma' }
        @{ Why = 'quoting'; Line = "qemu-system-x86_64 -append 'open"; Id = 'QemuBadQuoting' }
    ) {
        ConvertFrom-KvmQemuCommandLine $Line -ErrorAction SilentlyContinue -ErrorVariable e | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $e[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'takes the words one per element too' {
        $d = ConvertFrom-KvmQemuCommandLine -CommandLine 'qemu-system-x86_64', '-m', '2G', '-append', 'console=ttyS0 quiet', '-kernel', '/k' -Name words
        ([xml]$d.Xml).domain.os.cmdline | Should -Be 'console=ttyS0 quiet'
        $d.MemoryBytes | Should -Be 2GB
    }
}

Describe 'Test-KvmHost -Profile Kata' {
    AfterEach { $env:KVMPS_HOST_ROOT = $null }

    It 'passes kata-check''s rules on a Kata-ready host and reads its configuration.toml' {
        $env:KVMPS_HOST_ROOT = Join-Path $Hosts 'kata-ready'
        $r = Test-KvmHost -Profile Kata
        @($r.Checks.Name) | Should -Be @('KataCpu', 'KataModules', 'KvmDevice', 'KvmGuestRuns', 'KataRuntime')
        ($r.Checks | Where-Object Name -eq KataModules).Status | Should -Be 'Pass'
        ($r.Checks | Where-Object Name -eq KataRuntime).Message | Should -Match 'machine type q35'
    }

    It 'fails <Tree> with its remedy' -ForEach @(
        @{ Tree = 'kata-no-vsock'; Text = 'vhost_vsock is not loaded'; Fix = 'modprobe vhost_vsock' }
        @{ Tree = 'kata-no-unrestricted'; Text = "unrestricted_guest is 'N'"; Fix = 'unrestricted_guest=1' }
    ) {
        $env:KVMPS_HOST_ROOT = Join-Path $Hosts $Tree
        $c = (Test-KvmHost -Profile Kata).Checks | Where-Object Name -eq KataModules
        $c.Status | Should -Be 'Fail'
        $c.Message | Should -Match ([regex]::Escape($Text))
        $c.Remedy | Should -Match ([regex]::Escape($Fix))
        Test-KvmHost -Profile Kata -Quiet | Should -BeFalse
    }

    It 'refuses -Profile with -Check, and an unknown profile' {
        { Test-KvmHost -Profile Kata -Check KvmDevice } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
        { Test-KvmHost -Profile Docker } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}

Describe 'New-KvmKataRuntimeClass' {
    It 'writes the seed''s RuntimeClass by default' {
        New-KvmKataRuntimeClass | Should -Be ((Get-Content (Join-Path $Kv 'case2-runtimeclass.yaml') -Raw) -replace '"(160Mi|250m)"', '$1')
    }

    It 'takes the handler, overhead and node selector' {
        $y = New-KvmKataRuntimeClass -Handler kata-clh -PodFixedCpu 500m -PodFixedMemory 256MB -NodeSelector @{ kata = 'clh' }
        $y | Should -Match '(?m)^handler: kata-clh$'
        $y | Should -Match '(?m)^    memory: 256Mi$'
        $y | Should -Match '(?m)^    cpu: 500m$'
        $y | Should -Match '(?m)^    kata: clh$'
    }

    It 'refuses <Why>' -ForEach @(
        @{ Why = 'a handler that is not a DNS label'; Splat = @{ Handler = 'Kata_QEMU' }; Id = 'InvalidKubernetesName' }
        @{ Why = 'a CPU that is not a quantity'; Splat = @{ PodFixedCpu = 'lots' }; Id = 'InvalidCpuQuantity' }
        @{ Why = 'no memory'; Splat = @{ PodFixedMemory = 0 }; Id = 'InvalidMemoryQuantity' }
    ) {
        New-KvmKataRuntimeClass @Splat -ErrorAction SilentlyContinue -ErrorVariable e | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
    }
}
