using KvmPS.Engine.Statistics;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>
/// A few exact names or UUIDs are asked alone (lookups, then virDomainListGetStats); wildcards and
/// everything else take the bulk call. On a test-driver host of its own with 40 domains.
/// </summary>
public sealed class TargetedSampleTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"kvmps-targeted-{Guid.NewGuid():N}.xml");
    private readonly LibvirtConnection _conn;

    public TargetedSampleTests()
    {
        var domains = string.Concat(Enumerable.Range(1, 40).Select(i =>
            $"<domain type='test'><name>t{i}</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>"));
        File.WriteAllText(_file, $"<node>{domains}</node>");
        _conn = LibvirtConnection.Open("test://" + _file);
    }

    public void Dispose()
    {
        _conn.Dispose();
        File.Delete(_file);
    }

    private static VmSelection Names(params string[] names)
    {
        var s = new VmSelection();
        foreach (string n in names)
        {
            s.AddName(n);
        }
        return s;
    }

    [Fact]
    public void Exact_names_are_asked_alone()
    {
        StatsSample s = StatsSample.Take(_conn, Names("t3", "t17"));
        Assert.Equal(new[] { "t17", "t3" }, s.Records.Select(r => r.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(s.Records, r => Assert.True(r.Parameters.Count > 0));
    }

    [Fact]
    public void A_name_with_no_domain_has_no_record_and_the_others_still_come()
    {
        StatsSample s = StatsSample.Take(_conn, Names("t5", "nope", "T5"));
        Assert.Equal(new[] { "t5" }, s.Records.Select(r => r.Name));
    }

    [Fact]
    public void A_uuid_and_the_name_of_the_same_domain_give_one_record()
    {
        Guid uuid;
        using (var h = _conn.LookupDomain("t9"))
        {
            uuid = DomainStatsReader.UuidOf(h.DangerousGetHandle());
        }
        VmSelection sel = Names("t9");
        sel.AddUuid(uuid);
        sel.AddUuid(Guid.NewGuid());
        StatsSample s = StatsSample.Take(_conn, sel);
        Assert.Single(s.Records);
        Assert.Equal(uuid, s.Records[0].Uuid);
    }

    [Fact]
    public void A_wildcard_or_every_vm_takes_the_bulk_call()
    {
        Assert.False(Names("t1*").IsTargeted);
        Assert.False(Names("t1", "*").IsTargeted);
        Assert.False(new VmSelection().IsTargeted);
        Assert.Equal(40, StatsSample.Take(_conn, Names("t1", "t2*")).Records.Count);
    }

    [Fact]
    public void More_names_than_the_limit_take_the_bulk_call()
    {
        string[] many = Enumerable.Range(1, VmSelection.TargetedLimit + 1).Select(i => $"t{i}").ToArray();
        Assert.True(Names(many.Take(VmSelection.TargetedLimit).ToArray()).IsTargeted);
        Assert.False(Names(many).IsTargeted);
        // The same name given twice counts once.
        Assert.True(Names(many.Take(VmSelection.TargetedLimit).Append("t1").ToArray()).IsTargeted);
        Assert.Equal(40, StatsSample.Take(_conn, Names(many)).Records.Count);
    }
}
