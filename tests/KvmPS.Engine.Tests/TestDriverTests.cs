using KvmPS.Engine.Host;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>Tier 2: the engine against libvirt's in-process test driver (real libvirt, no daemon).</summary>
public class TestDriverTests
{
    [Fact]
    public void Open_reports_the_test_driver()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        Assert.Equal("test:///default", conn.Uri);
        Assert.True(conn.IsAlive);
        Assert.Equal("TEST", conn.GetHypervisorType());
        Assert.True(conn.GetLibvirtVersion() >= new Version(1, 0, 0));
        Assert.Equal(conn.GetLibvirtVersion(), LibvirtConnection.GetClientLibraryVersion());
        var info = conn.Describe(isDefault: false);
        Assert.Equal(Environment.MachineName.Length > 0, info.Hostname.Length > 0);
    }

    [Fact]
    public void Host_has_16_cpus_in_two_cells()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        KvmHost host = HostInfoReader.Read(conn);
        Assert.Equal(16, host.CpuCount);
        Assert.Equal(2, host.NumaNodeCount);
        Assert.Equal(2, host.Sockets);
        Assert.Equal(8, host.CoresPerSocket);
        Assert.Equal(1, host.ThreadsPerCore);
        Assert.Equal("0-7", host.NumaCells[0].Cpus);
        Assert.Equal("8-15", host.NumaCells[1].Cpus);
        Assert.False(host.KvmSupported);
        Assert.Equal(new[] { "test" }, host.DomainTypes);
        Assert.True(host.MemoryBytes > 0);
        // The test driver reports per-cell free memory of 2 MiB and 4 MiB.
        Assert.Equal(2048UL * 1024, host.NumaCells[0].FreeMemoryBytes);
        Assert.Equal(4096UL * 1024, host.NumaCells[1].FreeMemoryBytes);
        Assert.All(host.NumaCells.SelectMany(c => c.Pages), p => Assert.NotNull(p.Free));
    }

    [Fact]
    public void Listing_gives_one_handle_per_domain_and_frees_each_once()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        var domains = conn.ListAllDomains();
        Assert.Single(domains);
        Assert.Equal("test", LibvirtConnection.GetName(domains[0]));
        Assert.Contains("<name>test</name>", LibvirtConnection.GetXml(domains[0]));
        foreach (var d in domains)
        {
            d.Dispose();
            Assert.True(d.IsClosed);
            d.Dispose(); // a second dispose must not free again
        }
        Assert.NotEmpty(conn.ListAllNetworks());
        Assert.NotEmpty(conn.ListAllStoragePools());
    }

    [Fact]
    public void Test_default_is_shared_by_open_connections_but_custom_hosts_are_private()
    {
        // libvirt keeps one test:///default per process while any connection to it is open;
        // a custom host file gets a state of its own per connection. Tests rely on both facts.
        string file = "test://" + Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "two-vms.xml");
        using var a = LibvirtConnection.Open(file);
        using var b = LibvirtConnection.Open(file);
        using (KvmPS.Engine.Domains.DomainService.Define(a, "<domain type='test'><name>only-in-a</name><memory>65536</memory><os><type>hvm</type></os></domain>"))
        {
        }
        Assert.Equal(3, a.ListAllDomains().Count);
        Assert.Equal(2, b.ListAllDomains().Count);
    }

    [Fact]
    public void Unknown_domain_is_a_not_found_error_with_libvirts_code()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        var ex = Assert.Throws<LibvirtException>(() => conn.LookupDomain("no-such-vm"));
        Assert.Equal(LibvirtErrorCode.NoDomain, ex.Code);
        Assert.Equal(KvmErrorKind.NotFound, ex.Kind);
        Assert.Equal("virDomainLookupByName", ex.Function);
        Assert.Contains("not found", ex.LibvirtMessage, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("virDomainLookupByName failed (42) - ", ex.Message);
    }

    [Fact]
    public void Bogus_uri_fails_as_a_connection_error()
    {
        var ex = Assert.Throws<LibvirtException>(() => LibvirtConnection.Open("bogus:///x"));
        Assert.NotEqual(LibvirtErrorCode.Ok, ex.Code);
        Assert.Equal(KvmErrorKind.ConnectionFailed, ex.Kind);
        Assert.False(string.IsNullOrWhiteSpace(ex.LibvirtMessage));
    }

    [Fact]
    public void Errors_are_read_on_the_failing_thread()
    {
        // libvirt's last error is thread-local: failures racing on parallel threads each see
        // their own code (domain lookups NoDomain, network lookups NoNetwork), never another's.
        using var conn = LibvirtConnection.Open("test:///default");
        var codes = Enumerable.Range(0, 64).AsParallel().WithDegreeOfParallelism(8).Select(i =>
        {
            try
            {
                if (i % 2 == 0)
                {
                    conn.LookupDomain($"missing-{i}");
                }
                else
                {
                    conn.LookupNetwork($"missing-{i}");
                }
                return (i, LibvirtErrorCode.Ok);
            }
            catch (LibvirtException e)
            {
                return (i, e.Code);
            }
        }).ToArray();
        Assert.All(codes, c => Assert.Equal(c.i % 2 == 0 ? LibvirtErrorCode.NoDomain : LibvirtErrorCode.NoNetwork, c.Item2));
    }

    [Fact]
    public void Disposed_connection_is_closed_and_not_alive()
    {
        var conn = LibvirtConnection.Open("test:///default");
        conn.Dispose();
        Assert.True(conn.IsClosed);
        Assert.False(conn.IsAlive);
        conn.Dispose();
    }
}
