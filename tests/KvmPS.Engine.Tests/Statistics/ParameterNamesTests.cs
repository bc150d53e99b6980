using System.Text;
using KvmPS.Engine.Statistics;
using Xunit;

namespace KvmPS.Engine.Tests.Statistics;

/// <summary>Parameter names decoded once per bulk call, and typed values kept without boxing.</summary>
public class ParameterNamesTests
{
    [Fact]
    public void The_same_bytes_give_the_same_string_instance()
    {
        var names = new ParameterNames();
        string a = names.Get(Encoding.ASCII.GetBytes("block.0.rd.bytes"));
        string b = names.Get(Encoding.ASCII.GetBytes("block.0.rd.bytes"));
        Assert.Equal("block.0.rd.bytes", a);
        Assert.Same(a, b);
    }

    [Fact]
    public void Different_names_stay_different()
    {
        var names = new ParameterNames();
        Assert.Equal("block.0.rd.bytes", names.Get(Encoding.ASCII.GetBytes("block.0.rd.bytes")));
        Assert.Equal("block.0.wr.bytes", names.Get(Encoding.ASCII.GetBytes("block.0.wr.bytes")));
        Assert.Equal("block.1.rd.bytes", names.Get(Encoding.ASCII.GetBytes("block.1.rd.bytes")));
        Assert.Equal("", names.Get(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Non_ascii_names_decode_as_utf8()
    {
        var names = new ParameterNames();
        byte[] raw = Encoding.UTF8.GetBytes("x.größe");
        Assert.Equal("x.größe", names.Get(raw));
        Assert.Equal("x.größe", names.Get(raw));
    }

    [Fact]
    public void Constructor_values_of_every_integer_width_read_back()
    {
        var t = new TypedParameters(new Dictionary<string, object>
        {
            ["a"] = 5, ["b"] = 6u, ["c"] = -7L, ["d"] = 8UL, ["e"] = 1.5, ["f"] = true, ["g"] = "text", ["h"] = new object(),
        });
        Assert.Equal(5UL, t.GetUInt64("a"));
        Assert.Equal(6L, t.GetInt64("b"));
        Assert.Null(t.GetUInt64("c"));
        Assert.Equal(-7L, t.GetInt64("c"));
        Assert.Equal(8UL, t.GetUInt64("d"));
        Assert.Equal(1UL, t.GetUInt64("e"));
        Assert.Equal(1.5, t["e"]);
        Assert.True(t.GetBoolean("f"));
        Assert.Equal("text", t.GetString("g"));
        Assert.Equal("-7", t.GetString("c"));
        Assert.False(t.Has("h"));
        Assert.Equal(7, t.Count);
    }
}
