using KvmPS.Engine.Networks;
using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>The engine helpers behind pipeline binding and everyday input: MAC forms, sizes in messages, the size hint, look-ups by UUID.</summary>
public class BindingHelperTests
{
    [Theory]
    [InlineData("52:54:00:aa:bb:cc", "52:54:00:aa:bb:cc")]
    [InlineData("52:54:00:AA:BB:CC", "52:54:00:aa:bb:cc")]
    [InlineData("52-54-00-aa-bb-cc", "52:54:00:aa:bb:cc")]
    [InlineData("52-54-00-AA-bb-0C", "52:54:00:aa:bb:0c")]
    [InlineData("525400aabbcc", "52:54:00:aa:bb:cc")]
    [InlineData("525400AABBCC", "52:54:00:aa:bb:cc")]
    [InlineData(" 52:54:00:aa:bb:cc ", "52:54:00:aa:bb:cc")]
    public void Normalises_every_accepted_MAC_form(string given, string expected) =>
        Assert.Equal(expected, MacAddressText.Normalize(given));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("52:54:00:aa:bb")]          // five octets
    [InlineData("52:54:00:aa:bb:cc:dd")]    // seven
    [InlineData("52-54:00-aa:bb-cc")]       // mixed separators
    [InlineData("52:54:00:aa:bb:zz")]       // not hex
    [InlineData("525400aabbc")]             // eleven digits
    [InlineData("5254.00aa.bbcc")]          // dotted form is not one of the accepted ones
    [InlineData("52:54:00:*")]              // a wildcard filter stays a filter
    public void Refuses_what_is_no_MAC_address(string? given)
    {
        Assert.Null(MacAddressText.Normalize(given));
        Assert.False(MacAddressText.IsValid(given));
    }

    [Theory]
    [InlineData("52:54:00:aa:bb:cc", true)]
    [InlineData("525400aabbcc", true)]
    [InlineData("01-00-5e-00-00-01", false)]  // multicast: group bit set
    [InlineData("ff:ff:ff:ff:ff:ff", false)]
    [InlineData("nonsense", false)]
    public void Tells_unicast_addresses(string given, bool unicast) =>
        Assert.Equal(unicast, MacAddressText.IsUnicast(given));

    [Fact]
    public void Reservations_take_the_bare_form_too() =>
        Assert.Equal("52:54:00:01:02:03", ReservationPlanner.NormalizeMac("525400010203"));

    [Theory]
    [InlineData(0UL, "0 bytes")]
    [InlineData(1UL, "1 byte")]
    [InlineData(1000UL, "1000 bytes")]
    [InlineData(2048UL, "2 KiB")]
    [InlineData(512UL << 20, "512 MiB")]
    [InlineData(2UL << 30, "2 GiB")]
    [InlineData(3UL << 29, "1.5 GiB")]
    [InlineData((2UL << 30) - 1, "1.9 GiB")]   // never rounded up past what it is
    [InlineData(5UL << 40, "5 TiB")]
    [InlineData(1UL << 50, "1 PiB")]
    public void Formats_sizes_in_binary_units(ulong bytes, string expected) =>
        Assert.Equal(expected, SizeText.Format(bytes));

    [Theory]
    [InlineData(2048UL, "Did you mean 2048MB?")]
    [InlineData(512UL, "Did you mean 512MB?")]
    [InlineData(4UL, "Did you mean 4GB?")]
    [InlineData(16UL << 10, "Did you mean 16384MB?")]
    public void Hints_at_the_unit_a_bare_memory_size_was_meant_in(ulong bytes, string hint)
    {
        string? problem = SizeText.CheckMemory(bytes);
        Assert.NotNull(problem);
        Assert.EndsWith(hint, problem);
        Assert.Contains(SizeText.Format(bytes), problem);
        Assert.Contains("16 MiB", problem);
    }

    [Theory]
    [InlineData(16UL << 20)]
    [InlineData(2UL << 30)]
    [InlineData(1UL << 40)]
    public void Accepts_plausible_memory(ulong bytes) => Assert.Null(SizeText.CheckMemory(bytes));

    [Theory]
    [InlineData(20UL, "Did you mean 20GB?")]
    [InlineData(65536UL, "Did you mean 65536GB?")]
    [InlineData(200000UL, "Did you mean 200000MB?")]
    public void Hints_at_the_unit_a_bare_disk_size_was_meant_in(ulong bytes, string hint)
    {
        string? problem = SizeText.CheckDisk(bytes, "volume");
        Assert.NotNull(problem);
        Assert.EndsWith(hint, problem);
        Assert.Contains("volume", problem);
    }

    [Fact]
    public void A_zero_size_is_refused_without_a_guess()
    {
        Assert.DoesNotContain("Did you mean", SizeText.CheckDisk(0)!);
        Assert.DoesNotContain("Did you mean", SizeText.CheckMemory(0)!);
    }

    [Theory]
    [InlineData(1UL << 20)]
    [InlineData(20UL << 30)]
    public void Accepts_plausible_disk_sizes(ulong bytes) => Assert.Null(SizeText.CheckDisk(bytes));

    private static string PrivateHost() =>
        "test://" + Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "empty-host.xml");

    [Fact]
    public void A_network_read_earlier_is_found_by_its_UUID_not_by_a_namesake()
    {
        using var conn = LibvirtConnection.Open(PrivateHost());
        var plan = NetworkPlanner.Build(NetworkPlanner.Validate(new NetworkRequest { Name = "uuid-net", Subnets = new[] { "10.232.1.0/24" } }));
        Guid first;
        using (var h = NetworkService.Define(conn, NetworkXml.Build(plan).ToString()))
        {
            first = NetworkService.Read(h).ToObject(conn.Uri).Uuid;
            using var again = NetworkService.TryLookup(conn, "uuid-net", first);
            Assert.NotNull(again);
            Assert.Equal("uuid-net", LibvirtConnection.GetName(again!));
            NetworkService.Undefine(h);
        }
        // Made again under the same name: another network, so the old object finds nothing.
        using var second = NetworkService.Define(conn, NetworkXml.Build(plan).ToString());
        Assert.Null(NetworkService.TryLookup(conn, "uuid-net", first));
        using var byName = NetworkService.TryLookup(conn, "uuid-net", Guid.Empty);
        Assert.NotNull(byName);
        NetworkService.Undefine(second);
    }

    [Fact]
    public void A_pool_read_earlier_is_found_by_its_UUID_not_by_a_namesake()
    {
        using var conn = LibvirtConnection.Open(PrivateHost());
        string xml = "<pool type='dir'><name>uuid-pool</name><target><path>/uuid-pool</path></target></pool>";
        Guid first;
        using (var pool = StoragePool.Define(conn, xml))
        {
            first = pool.Describe().Uuid;
            using var again = StoragePool.TryLookup(conn, "uuid-pool", first);
            Assert.Equal("uuid-pool", again?.Name);
            pool.Undefine();
        }
        using var second = StoragePool.Define(conn, xml);
        Assert.Null(StoragePool.TryLookup(conn, "uuid-pool", first));
        using var byName = StoragePool.TryLookup(conn, "uuid-pool", Guid.Empty);
        Assert.Equal("uuid-pool", byName?.Name);
        second.Undefine();
    }
}
