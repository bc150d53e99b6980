using System.Runtime.InteropServices;
using System.Text;
using KvmPS.Engine.Native;
using KvmPS.Engine.Statistics;
using Xunit;

namespace KvmPS.Engine.Tests.Statistics;

/// <summary>The typed-parameter reader against arrays laid out as libvirt lays them out (virTypedParameter, 96 bytes).</summary>
public unsafe class TypedParametersTests
{
    private static void SetName(Libvirt.VirTypedParameter* p, string name)
    {
        byte[] b = Encoding.UTF8.GetBytes(name);
        for (int i = 0; i < 80; i++)
        {
            p->Field[i] = i < b.Length ? b[i] : (byte)0;
        }
    }

    [Fact]
    public void Struct_has_libvirts_size() => Assert.Equal(96, sizeof(Libvirt.VirTypedParameter));

    [Fact]
    public void Reads_every_type_by_its_union_member()
    {
        IntPtr text = Marshal.StringToCoTaskMemUTF8("/var/lib/libvirt/images/a.qcow2");
        var items = new Libvirt.VirTypedParameter[7];
        try
        {
            fixed (Libvirt.VirTypedParameter* p = items)
            {
                SetName(&p[0], "state.state"); p[0].Type = TypedParameters.TypeInt; *(int*)&p[0].Value = -3;
                // Garbage in the upper half of the union must not leak into a 32-bit value.
                SetName(&p[1], "vcpu.current"); p[1].Type = TypedParameters.TypeUInt; p[1].Value = unchecked((long)0xDEADBEEF_00000004UL);
                SetName(&p[2], "cpu.time"); p[2].Type = TypedParameters.TypeULLong; *(ulong*)&p[2].Value = ulong.MaxValue - 1;
                SetName(&p[3], "x.llong"); p[3].Type = TypedParameters.TypeLLong; p[3].Value = -42;
                SetName(&p[4], "x.double"); p[4].Type = TypedParameters.TypeDouble; *(double*)&p[4].Value = 2.5;
                SetName(&p[5], "vcpu.0.halted"); p[5].Type = TypedParameters.TypeBoolean; p[5].Value = unchecked((long)0xFFFFFF00_00000001UL);
                SetName(&p[6], "block.0.path"); p[6].Type = TypedParameters.TypeString; *(IntPtr*)&p[6].Value = text;
                TypedParameters t = TypedParameters.Read(p, 7);
                Assert.Equal(7, t.Count);
                Assert.Equal(-3L, t.GetInt64("state.state"));
                Assert.Null(t.GetUInt64("state.state"));
                Assert.Equal(4UL, t.GetUInt64("vcpu.current"));
                Assert.Equal(ulong.MaxValue - 1, t.GetUInt64("cpu.time"));
                Assert.Null(t.GetInt64("cpu.time"));
                Assert.Equal(-42L, t.GetInt64("x.llong"));
                Assert.Equal(2.5, t["x.double"]);
                Assert.True(t.GetBoolean("vcpu.0.halted"));
                Assert.Equal("/var/lib/libvirt/images/a.qcow2", t.GetString("block.0.path"));
                Assert.Null(t.GetUInt64("absent"));
            }
        }
        finally
        {
            Marshal.FreeCoTaskMem(text);
        }
    }

    [Fact]
    public void Leaves_out_unknown_types_and_reads_a_full_80_byte_name()
    {
        var items = new Libvirt.VirTypedParameter[2];
        fixed (Libvirt.VirTypedParameter* p = items)
        {
            string longName = new('n', 80);
            SetName(&p[0], longName); p[0].Type = TypedParameters.TypeULLong; p[0].Value = 7;
            SetName(&p[1], "future.type"); p[1].Type = 99; p[1].Value = 1;
            TypedParameters t = TypedParameters.Read(p, 2);
            Assert.Equal(7UL, t.GetUInt64(longName));
            Assert.False(t.Has("future.type"));
        }
    }

    [Fact]
    public void Reads_libvirts_uuid_bytes_in_rfc_order()
    {
        byte[] raw = { 0x66, 0x95, 0xeb, 0x01, 0xf6, 0xa4, 0x83, 0x04, 0x79, 0xaa, 0x97, 0xf2, 0x50, 0x2e, 0x19, 0x3f };
        Assert.Equal(Guid.Parse("6695eb01-f6a4-8304-79aa-97f2502e193f"), DomainStatsReader.UuidFromBytes(raw));
    }
}
