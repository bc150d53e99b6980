using System.Runtime.InteropServices;
using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests.Robustness;

/// <summary>Listings skip what vanished while being read and release every handle, whatever fails.</summary>
public class ListingTests
{
    private sealed class Item : IDisposable
    {
        public Item(int id) => Id = id;
        public int Id { get; }
        public int Disposed { get; private set; }
        public void Dispose() => Disposed++;
    }

    private static LibvirtException Gone() => new("virDomainGetXMLDesc", LibvirtErrorCode.NoDomain, 10, "Domain not found");

    [Fact]
    public void ReadEach_skips_vanished_items_and_disposes_all()
    {
        var items = Enumerable.Range(0, 5).Select(i => new Item(i)).ToList();
        List<int> read = Listing.ReadEach(items, it => it.Id == 2 ? throw Gone() : it.Id == 4 ? (int?)null : it.Id * 10)
            .Select(v => v!.Value).ToList();
        Assert.Equal(new[] { 0, 10, 30 }, read);
        Assert.All(items, it => Assert.Equal(1, it.Disposed));
    }

    [Fact]
    public void ReadEach_lets_other_failures_through_and_still_disposes_all()
    {
        var items = Enumerable.Range(0, 4).Select(i => new Item(i)).ToList();
        var e = Assert.Throws<LibvirtException>(() => Listing.ReadEach(items, it =>
            it.Id == 1 ? throw new LibvirtException("virDomainGetXMLDesc", LibvirtErrorCode.Rpc, 7, "End of file") : (object)it.Id));
        Assert.Equal(LibvirtErrorCode.Rpc, e.Code);
        Assert.All(items, it => Assert.Equal(1, it.Disposed));
    }

    [Fact]
    public void MakeAll_disposes_what_was_made_and_what_was_not_yet_when_one_fails()
    {
        var items = Enumerable.Range(0, 4).Select(i => new Item(i)).ToList();
        var made = new List<Item>();
        Assert.Throws<InvalidOperationException>(() => Listing.MakeAll(items, it =>
        {
            if (it.Id == 2)
            {
                throw new InvalidOperationException("no name");
            }
            var m = new Item(100 + it.Id);
            made.Add(m);
            return m;
        }));
        Assert.All(made, m => Assert.Equal(1, m.Disposed));
        // The failing item and the ones after it were never handed over: released here.
        Assert.Equal(new[] { 0, 0, 1, 1 }, items.Select(i => i.Disposed));
    }

    [Fact]
    public unsafe void TakeArray_frees_every_reference_when_wrapping_fails_part_way()
    {
        const int n = 5;
        IntPtr* array = (IntPtr*)NativeMemory.Alloc(n, (nuint)sizeof(IntPtr));
        for (int i = 0; i < n; i++)
        {
            array[i] = (IntPtr)(i + 1);
        }
        var wrapped = new List<Item>();
        bool failedOnce = false;
        Assert.Throws<InvalidOperationException>(() => LibvirtConnection.TakeArray(array, n, p =>
        {
            if ((int)p == 3 && !failedOnce)
            {
                failedOnce = true;
                throw new InvalidOperationException("out of handles");
            }
            var it = new Item((int)p);
            wrapped.Add(it);
            return it;
        }));
        // 1 and 2 wrapped then released; 4 and 5 wrapped only to be released.
        Assert.Equal(new[] { 1, 2, 4, 5 }, wrapped.Select(w => w.Id));
        Assert.All(wrapped, w => Assert.Equal(1, w.Disposed));
    }

    [Fact]
    public void A_domain_that_ends_between_listing_and_read_is_skipped_on_the_test_driver()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        string name = "vanish-" + Guid.NewGuid().ToString("N")[..8];
        string xml = $"<domain type='test'><name>{name}</name><memory>65536</memory><os><type>hvm</type></os></domain>";
        using (var domain = DomainService.Define(conn, xml))
        {
            var handles = conn.ListAllDomains();
            Assert.Contains(handles, h => LibvirtConnection.GetName(h) == name);
            // Gone after the listing, before its read: what a transient VM that ends does.
            DomainService.Undefine(domain, removeNvram: false);
            List<string> names = Listing.ReadEach(handles, h =>
            {
                LibvirtConnection.GetXml(h);
                return LibvirtConnection.GetName(h);
            });
            Assert.DoesNotContain(name, names);
            Assert.Contains("test", names);
            Assert.All(handles, h => Assert.True(h.IsClosed));
        }
        Assert.DoesNotContain(DomainService.ListAll(conn), v => v.Name == name);
    }
}
