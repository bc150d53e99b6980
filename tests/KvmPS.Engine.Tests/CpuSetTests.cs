using KvmPS.Engine;
using Xunit;

namespace KvmPS.Engine.Tests;

public class CpuSetTests
{
    [Theory]
    [InlineData("0", new[] { 0 })]
    [InlineData("0-3", new[] { 0, 1, 2, 3 })]
    [InlineData("0-3,8", new[] { 0, 1, 2, 3, 8 })]
    [InlineData("0-5,^2,^4", new[] { 0, 1, 3, 5 })]
    [InlineData(" 7 , 1 ", new[] { 1, 7 })]
    [InlineData("3,3,1-2", new[] { 1, 2, 3 })]
    public void Parse_accepts_libvirt_syntax(string text, int[] expected) =>
        Assert.Equal(expected, CpuSet.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("3-1")]
    [InlineData("1,,2")]
    [InlineData("-1")]
    [InlineData("0-2,^0-2")]
    [InlineData("1-")]
    public void Parse_rejects_malformed_sets(string text) =>
        Assert.Throws<FormatException>(() => CpuSet.Parse(text));

    [Theory]
    [InlineData(new[] { 0, 1, 2, 3, 8 }, "0-3,8")]
    [InlineData(new[] { 5 }, "5")]
    [InlineData(new[] { 0, 1 }, "0,1")]
    [InlineData(new[] { 9, 0, 2, 1 }, "0-2,9")]
    public void Format_uses_ranges(int[] cpus, string expected) =>
        Assert.Equal(expected, CpuSet.Format(cpus));

    [Fact]
    public void Format_then_parse_round_trips()
    {
        int[] cpus = { 0, 2, 3, 4, 10, 11, 63 };
        Assert.Equal(cpus, CpuSet.Parse(CpuSet.Format(cpus)));
    }
}
