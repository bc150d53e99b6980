using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using Xunit;

namespace KvmPS.Engine.Tests;

// Read-modify-define of a VM's persistent definition must not lose a change made in between: on a
// private copy of a test-driver host (each test:///<file> connection has its own state, so the
// threads of a test share one connection), edits from many threads all survive, and an edit whose
// definition changed under it is applied again to the fresh one.
public sealed class ConcurrentEditTests : IDisposable
{
    private const string Vm = "alpha";
    private readonly string _hostFile;

    public ConcurrentEditTests()
    {
        _hostFile = Path.Combine(Path.GetTempPath(), $"kvmps-edits-{Guid.NewGuid():N}.xml");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "testdriver", "two-vms.xml"), _hostFile);
    }

    public void Dispose() => File.Delete(_hostFile);

    private LibvirtConnection Open() => LibvirtConnection.Open("test://" + _hostFile);

    private static XElement Secure(DomainHandle h) =>
        SafeXml.Parse(LibvirtConnection.GetXml(h, Libvirt.VIR_DOMAIN_XML_SECURE | Libvirt.VIR_DOMAIN_XML_INACTIVE));

    private static string[] Tokens(XElement d) =>
        ((string?)d.Element("description") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Appends a word to the description (an edit whose effect stays checkable after others).</summary>
    private static void AddToken(XElement d, string token)
    {
        XElement desc = DomainEditor.GetOrAdd(d, "description");
        desc.Value = (desc.Value + " " + token).Trim();
    }

    /// <summary>Another writer: defines the VM's current definition with a word added, bypassing the editor.</summary>
    private static void DefineBehindTheEditorsBack(LibvirtConnection conn, DomainHandle h, string token)
    {
        XElement other = Secure(h);
        AddToken(other, token);
        DomainService.Define(conn, other.ToString()).Dispose();
    }

    [Fact]
    public void Eight_threads_editing_one_VM_lose_no_edit()
    {
        const int threads = 8, edits = 20;
        using var conn = Open();
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            try
            {
                using DomainHandle h = conn.LookupDomain(Vm);
                start.SignalAndWait();
                for (int i = 0; i < edits; i++)
                {
                    string token = $"t{t}e{i}";
                    DomainEditor.EditConfig(conn, h, d => AddToken(d, token));
                }
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        Assert.Empty(failures);
        using DomainHandle vm = conn.LookupDomain(Vm);
        string[] tokens = Tokens(Secure(vm));
        var expected = from t in Enumerable.Range(0, threads) from i in Enumerable.Range(0, edits) select $"t{t}e{i}";
        Assert.Equal(expected.OrderBy(x => x, StringComparer.Ordinal), tokens.OrderBy(x => x, StringComparer.Ordinal));
    }

    [Fact]
    public void An_edit_whose_definition_changed_under_it_is_applied_again_to_the_fresh_one()
    {
        using var conn = Open();
        using DomainHandle h = conn.LookupDomain(Vm);
        int calls = 0;

        XElement defined = DomainEditor.EditConfig(conn, h, d =>
        {
            if (++calls == 1)
            {
                DefineBehindTheEditorsBack(conn, h, "theirs");
            }
            AddToken(d, "mine");
        });

        Assert.Equal(2, calls);
        Assert.Equal(new[] { "theirs", "mine" }, Tokens(Secure(h)));
        Assert.Equal(new[] { "theirs", "mine" }, Tokens(defined));
    }

    [Fact]
    public void An_edit_whose_definition_keeps_changing_fails_with_a_conflict_and_defines_nothing()
    {
        using var conn = Open();
        using DomainHandle h = conn.LookupDomain(Vm);
        int calls = 0;

        var e = Assert.Throws<DomainEditConflictException>(() => DomainEditor.EditConfig(conn, h, d =>
        {
            DefineBehindTheEditorsBack(conn, h, $"theirs{++calls}");
            AddToken(d, "mine");
        }));

        Assert.Equal("ConcurrentEdit", e.ErrorId);
        Assert.Equal(KvmErrorKind.ResourceBusy, e.Kind);
        Assert.Equal(DomainEditor.MaxAttempts, e.Attempts);
        Assert.Equal(DomainEditor.MaxAttempts, calls);
        Assert.Contains(Vm, e.Message);
        string[] tokens = Tokens(Secure(h));
        Assert.DoesNotContain("mine", tokens);
        Assert.Equal(Enumerable.Range(1, calls).Select(i => $"theirs{i}"), tokens);
    }
}
