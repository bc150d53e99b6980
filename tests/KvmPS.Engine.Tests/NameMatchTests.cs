using Xunit;

namespace KvmPS.Engine.Tests;

public class NameMatchTests
{
    private static readonly string[] Hosted = { "w1", "w[1]", "star-a", "star-b", "star-*", "x-[br]", "x-b", "x-[y", "v1" };

    [Theory]
    [InlineData("web1", false)]
    [InlineData("web*", true)]
    [InlineData("w?b", true)]
    [InlineData("w[1]", true)]
    [InlineData("x-[y", false)]     // unclosed bracket: not a valid pattern, a literal
    [InlineData("x-[]", false)]     // empty bracket
    [InlineData("x-[z-a]", false)]  // reversed range
    [InlineData("a`*b", false)]     // escaped: no wildcard left
    public void Tells_patterns_from_literals(string typed, bool pattern) =>
        Assert.Equal(pattern, NameMatch.IsPattern(typed));

    [Theory]
    [InlineData("v1", "v1", true)]
    [InlineData("v1", "V1", false)]        // a literal matches exactly: libvirt names are case-sensitive
    [InlineData("v1", "V*", true)]         // wildcards ignore case, as in PowerShell
    [InlineData("web1", "w?B1", true)]
    [InlineData("w1", "w[1]", true)]
    [InlineData("w[1]", "w[1]", true)]     // the exact name is found as well
    [InlineData("x-b", "x-[br]", true)]
    [InlineData("x-[br]", "x-[br]", true)]
    [InlineData("x-[y", "x-[y", true)]
    [InlineData("x-y", "x-[y", false)]
    [InlineData("a`*b", "a`*b", true)]     // no wildcard left: the text as typed, backtick and all
    [InlineData("a*b", "a`*b", false)]
    [InlineData("a*bc", "a`*b*", true)]    // inside a pattern a backtick escapes
    [InlineData("axbc", "a`*b*", false)]
    [InlineData("w5", "w[1-3]", false)]
    [InlineData("w2", "w[1-3]", true)]
    public void Matches_a_name(string name, string typed, bool expected) =>
        Assert.Equal(expected, NameMatch.Matches(name, typed));

    [Theory]
    [InlineData("w[1]", new[] { "w[1]" })]            // the literal wins over the wildcard
    [InlineData("star-*", new[] { "star-*" })]
    [InlineData("star-?", new[] { "star-*", "star-a", "star-b" })]
    [InlineData("x-[br]", new[] { "x-[br]" })]
    [InlineData("x-[y", new[] { "x-[y" })]
    [InlineData("x-[z", new string[0])]
    [InlineData("V1", new string[0])]
    [InlineData("V*", new[] { "v1" })]
    [InlineData("nothing*", new string[0])]
    public void Selects_the_literal_first_then_the_wildcard(string typed, string[] expected) =>
        Assert.Equal(expected, NameMatch.For(typed).Select(Hosted));

    [Fact]
    public void Hints_names_that_differ_only_in_case()
    {
        Assert.Contains("'v1'", NameMatch.CaseHint(Hosted, "V1"));
        Assert.Equal("", NameMatch.CaseHint(Hosted, "v1"));
        Assert.Equal("", NameMatch.CaseHint(Hosted, "nosuch"));
    }
}
