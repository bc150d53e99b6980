using System.Reflection;
using System.Runtime.InteropServices;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>The native layer's conventions and its one check of a libvirt return code.</summary>
public class NativeLayerTests
{
    private static IEnumerable<MethodInfo> LibvirtImports() =>
        typeof(Libvirt).GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(m => m.GetCustomAttribute<LibraryImportAttribute>() is not null);

    [Fact]
    public void Every_libvirt_import_carries_the_exact_C_name()
    {
        var imports = LibvirtImports().ToList();
        Assert.True(imports.Count > 50, $"only {imports.Count} imports found");
        Assert.All(imports, m =>
        {
            Assert.StartsWith("vir", m.Name, StringComparison.Ordinal);
            Assert.Null(m.GetCustomAttribute<LibraryImportAttribute>()!.EntryPoint);
        });
    }

    [Fact]
    public void Every_libvirt_import_is_exported_by_the_loaded_library_or_probed_before_use()
    {
        // Imports newer than the oldest supported libvirt are probed with HasExport before use.
        string[] probed = { "virNetworkDefineXMLFlags", "virNetworkGetDHCPLeases" };
        var missing = LibvirtImports().Select(m => m.Name)
            .Where(n => !probed.Contains(n) && !LibvirtLibrary.HasExport(n)).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(42)]
    public void Check_returns_a_code_that_is_not_negative(int rc)
    {
        Assert.Equal(rc, LibvirtException.Check(rc, "virNothing"));
    }

    [Fact]
    public void Check_throws_the_failing_calls_error_and_resets_it()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        string name = $"check-{Guid.NewGuid():N}";
        using DomainHandle h = DomainService.Define(conn,
            $"<domain type='test'><name>{name}</name><memory>262144</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>");
        try
        {
            Assert.Equal(0, LibvirtException.Check(Libvirt.virDomainCreate(h), "virDomainCreate"));
            // Starting a VM that is running already fails.
            var e = Assert.Throws<LibvirtException>(() => LibvirtException.Check(Libvirt.virDomainCreate(h), "virDomainCreate"));
            Assert.Equal("virDomainCreate", e.Function);
            Assert.StartsWith("virDomainCreate failed (", e.Message, StringComparison.Ordinal);
            Assert.Contains("running", e.LibvirtMessage, StringComparison.OrdinalIgnoreCase);
            // The thread's error was read and reset: nothing is left for a later reader.
            Assert.Equal("libvirt reported a failure without an error message", LibvirtException.FromLastError("virNothing").LibvirtMessage);
        }
        finally
        {
            Libvirt.virDomainDestroy(h);
            Libvirt.virDomainUndefineFlags(h, 0);
        }
    }

    [Fact]
    public void A_connection_to_this_machine_is_local()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        Assert.True(conn.IsLocal);
        Assert.False(LibvirtConnection.IsLocalUri("qemu+ssh://root@kvm1/system"));
        Assert.True(LibvirtConnection.IsLocalUri(null));
    }
}
