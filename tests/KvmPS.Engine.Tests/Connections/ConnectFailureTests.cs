using Xunit;

namespace KvmPS.Engine.Tests;

public class ConnectFailureTests
{
    [Fact]
    public void A_uri_without_a_driver_reads_as_one_sentence_with_the_shape_of_a_uri()
    {
        var e = Assert.Throws<LibvirtException>(() => LibvirtConnection.Open("bogus"));
        Assert.Equal(LibvirtErrorCode.NoConnect, e.Code);
        Assert.Equal("virConnectOpen", e.Function);
        Assert.DoesNotContain("available for URI", e.LibvirtMessage);
        Assert.StartsWith("URI 'bogus' does not include a driver name", e.LibvirtMessage);
        Assert.Contains("qemu:///system", e.LibvirtMessage);
        Assert.Equal(KvmErrorKind.ConnectionFailed, e.Kind);
    }

    [Fact]
    public void A_missing_test_driver_file_is_named_as_missing()
    {
        string file = Path.Combine(Path.GetTempPath(), $"kvmps-missing-{Guid.NewGuid():N}.xml");
        var e = Assert.Throws<LibvirtException>(() => LibvirtConnection.Open("test://" + file));
        Assert.Equal(LibvirtErrorCode.XmlError, e.Code);
        Assert.Equal($"the test driver's host file '{file}' does not exist (test:///default is the built-in host)", e.LibvirtMessage);
    }

    [Fact]
    public void A_test_driver_file_that_exists_but_is_not_xml_keeps_libvirts_message()
    {
        string file = Path.Combine(Path.GetTempPath(), $"kvmps-bad-{Guid.NewGuid():N}.xml");
        File.WriteAllText(file, "not xml");
        try
        {
            var e = Assert.Throws<LibvirtException>(() => LibvirtConnection.Open("test://" + file));
            Assert.DoesNotContain("does not exist", e.LibvirtMessage);
            Assert.Contains(e.Code, new[] { LibvirtErrorCode.XmlError, LibvirtErrorCode.XmlDetail });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(LibvirtErrorCode.NoConnect, "no connection driver available for foo:///bar", "no connection driver is available for 'foo:///bar'; " + ConnectFailure.UriShape)]
    [InlineData(LibvirtErrorCode.SystemError, "Failed to connect socket to '/run/libvirt/libvirt-sock': No such file or directory", "Failed to connect socket to '/run/libvirt/libvirt-sock': No such file or directory")]
    [InlineData(LibvirtErrorCode.XmlError, "XML error: something", "XML error: something")]
    public void Other_messages_are_kept_or_reworded_only_where_libvirt_glues_them(LibvirtErrorCode code, string message, string expected)
    {
        Assert.Equal(expected, ConnectFailure.Readable("qemu:///system", code, message));
    }
}
