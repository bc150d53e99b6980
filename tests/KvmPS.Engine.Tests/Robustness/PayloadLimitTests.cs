using Xunit;

namespace KvmPS.Engine.Tests.Robustness;

public class PayloadLimitTests
{
    [Theory]
    [InlineData("test:///default", false)]
    [InlineData("test:///tmp/host.xml", false)]
    [InlineData("test+unix:///default", true)]
    [InlineData("qemu:///system", true)]
    [InlineData("qemu+ssh://root@h/system", true)]
    [InlineData("", true)]
    public void Only_in_process_drivers_escape_the_remote_limit(string uri, bool remote) =>
        Assert.Equal(remote, PayloadLimit.IsRemoteProtocol(uri));

    [Fact]
    public void A_payload_over_4_MiB_is_refused_with_the_limit_in_the_message()
    {
        string big = new('a', 5 * 1000 * 1000);
        string? problem = PayloadLimit.Problem("The domain XML", big, "qemu:///system");
        Assert.NotNull(problem);
        Assert.Contains("4 MiB", problem);
        Assert.Contains("4,194,304 bytes", problem);
        Assert.Contains("4.77 MiB", problem);
        Assert.StartsWith("The domain XML is ", problem);
    }

    [Fact]
    public void The_limit_counts_utf8_bytes_not_characters()
    {
        // 2.5 million two-byte characters: fewer characters than the limit, more bytes.
        string wide = new('é', 2_500_000);
        Assert.NotNull(PayloadLimit.Problem("The description", wide, "qemu:///system"));
        Assert.Null(PayloadLimit.Problem("The description", new string('é', 2_000_000), "qemu:///system"));
    }

    [Fact]
    public void Exactly_the_limit_fits_one_byte_more_does_not()
    {
        Assert.Null(PayloadLimit.Problem("x", new string('a', PayloadLimit.StringMaxBytes), "qemu:///system"));
        Assert.NotNull(PayloadLimit.Problem("x", new string('a', PayloadLimit.StringMaxBytes + 1), "qemu:///system"));
    }

    [Fact]
    public void In_process_and_small_payloads_pass()
    {
        Assert.Null(PayloadLimit.Problem("x", new string('a', 5 << 20), "test:///default"));
        Assert.Null(PayloadLimit.Problem("x", "<domain/>", "qemu:///system"));
        Assert.Null(PayloadLimit.Problem("x", null, "qemu:///system"));
    }

    [Fact]
    public void Check_throws_the_refusal_on_a_remote_connection_only()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        PayloadLimit.Check("The domain XML", new string('a', 5 << 20), conn);
        var e = Assert.Throws<PayloadTooLargeException>(() =>
        {
            if (PayloadLimit.Problem("The domain XML", new string('a', 5 << 20), "qemu:///system") is string m)
            {
                throw new PayloadTooLargeException(m);
            }
        });
        Assert.IsAssignableFrom<ArgumentException>(e);
        Assert.Equal("PayloadTooLarge", PayloadTooLargeException.ErrorId);
    }
}
