using KvmPS.Engine;
using Xunit;

namespace KvmPS.Engine.Tests;

public class ObjectNameTests
{
    [Theory]
    [InlineData("web")]
    [InlineData("web 1")]
    [InlineData("x-[br]")]
    [InlineData("dé.ü_2")]
    public void Ordinary_names_pass(string name)
    {
        Assert.Null(ObjectName.Validate("VM", name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\tweb")]
    [InlineData(" web")]
    [InlineData("web ")]
    [InlineData("web\n")]
    [InlineData("w\u0001eb")]
    [InlineData("w\u007feb")]
    [InlineData("a/b")]
    [InlineData("\u00a0web")]
    public void Bad_names_are_refused_with_one_message_shape(string? name)
    {
        string? message = ObjectName.Validate("network", name);
        Assert.NotNull(message);
        Assert.EndsWith("is not a valid network name: it must be non-empty, without '/', control characters or leading/trailing spaces.", message);
    }

    [Fact]
    public void Control_characters_are_shown_as_escapes()
    {
        Assert.Equal("'\\tw\\u0001eb' is not a valid volume name: it must be non-empty, without '/', control characters or leading/trailing spaces.",
            ObjectName.Validate("volume", "\tw\u0001eb"));
    }
}
