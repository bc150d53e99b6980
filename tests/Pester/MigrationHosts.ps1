# Dot-sourced by the migration tests: two private daemons (PrivateDaemon.ps1) joined by a veth pair
# between their network namespaces, with addresses of that pair only (10.251.<n>.1 and .2/30): the
# migration data goes over it (-MigrationUri tcp://10.251.<n>.2). Nothing else is routed.

function New-MigrationPair([string] $Prefix) {
    $a = New-PrivateDaemon "$Prefix-a"
    $b = New-PrivateDaemon "$Prefix-b"
    $n = $PID % 200 + 20
    $va = "kvmma$($PID % 100000)"; $vb = "kvmmb$($PID % 100000)"
    & ip link add $va type veth peer name $vb
    if ($LASTEXITCODE -ne 0) { throw 'ip link add (veth) failed' }
    & ip link set $va netns $a.Netns
    & ip link set $vb netns $b.Netns
    & ip -n $a.Netns addr add "10.251.$n.1/30" dev $va
    & ip -n $b.Netns addr add "10.251.$n.2/30" dev $vb
    foreach ($x in @(@($a.Netns, $va), @($b.Netns, $vb))) {
        & ip -n $x[0] link set $x[1] up
        & ip -n $x[0] link set lo up
    }
    [pscustomobject]@{ A = $a; B = $b; AddressA = "10.251.$n.1"; AddressB = "10.251.$n.2" }
}

function Remove-MigrationPair($Pair) {
    if (-not $Pair) { return }
    # The veth pair goes with its namespaces.
    Remove-PrivateDaemon $Pair.A
    Remove-PrivateDaemon $Pair.B
}
