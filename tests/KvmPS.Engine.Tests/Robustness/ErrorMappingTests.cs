using Xunit;

namespace KvmPS.Engine.Tests.Robustness;

/// <summary>libvirt's error codes to kinds (and so to ErrorCategories) in one place.</summary>
public class ErrorMappingTests
{
    [Theory]
    [InlineData(LibvirtErrorCode.InvalidArg, KvmErrorKind.InvalidArgument)]
    [InlineData(LibvirtErrorCode.NoDomain, KvmErrorKind.NotFound)]
    [InlineData(LibvirtErrorCode.NoSecret, KvmErrorKind.NotFound)]
    [InlineData(LibvirtErrorCode.NoNwfilter, KvmErrorKind.NotFound)]
    [InlineData(LibvirtErrorCode.OperationInvalid, KvmErrorKind.InvalidOperation)]
    [InlineData(LibvirtErrorCode.MigrateUnsafe, KvmErrorKind.InvalidOperation)]
    [InlineData(LibvirtErrorCode.InvalidStream, KvmErrorKind.InvalidOperation)]
    [InlineData(LibvirtErrorCode.NoDevice, KvmErrorKind.InvalidArgument)]
    [InlineData(LibvirtErrorCode.Overflow, KvmErrorKind.InvalidArgument)]
    [InlineData(LibvirtErrorCode.OperationAborted, KvmErrorKind.Stopped)]
    [InlineData(LibvirtErrorCode.ReadFailed, KvmErrorKind.ReadFailed)]
    [InlineData(LibvirtErrorCode.WriteFailed, KvmErrorKind.WriteFailed)]
    [InlineData(LibvirtErrorCode.BlockCopyActive, KvmErrorKind.ResourceBusy)]
    [InlineData(LibvirtErrorCode.AgentUnsynced, KvmErrorKind.Timeout)]
    [InlineData(LibvirtErrorCode.ConfigUnsupported, KvmErrorKind.NotSupported)]
    [InlineData(LibvirtErrorCode.Rpc, KvmErrorKind.ConnectionFailed)]
    public void Codes_map_to_kinds(LibvirtErrorCode code, KvmErrorKind kind) =>
        Assert.Equal(kind, new LibvirtException("virSomething", code, 0, "message").Kind);

    [Fact]
    public void An_unknown_code_survives_as_a_number_of_kind_unknown()
    {
        var e = new LibvirtException("virSomething", (LibvirtErrorCode)9999, 0, "new in a later libvirt");
        Assert.Equal(9999, (int)e.Code);
        Assert.Equal(KvmErrorKind.Unknown, e.Kind);
    }

    [Fact]
    public void The_clients_refusal_of_an_oversized_message_is_an_invalid_argument_not_a_connection_failure()
    {
        var e = new LibvirtException("virDomainDefineXML", LibvirtErrorCode.Rpc, 7, "Unable to encode message payload");
        Assert.Equal(KvmErrorKind.InvalidArgument, e.Kind);
        Assert.True(PayloadLimit.IsEncodeFailure(e.Code, e.LibvirtMessage));
        Assert.False(PayloadLimit.IsEncodeFailure(LibvirtErrorCode.Rpc, "End of file while reading data"));
    }

    [Fact]
    public void Every_failure_to_open_is_a_connect_failure_except_credentials()
    {
        var refused = new LibvirtException("virConnectOpen", LibvirtErrorCode.SystemError, 38, "Failed to connect socket: Connection refused");
        Assert.True(refused.IsConnectFailure);
        Assert.Equal(KvmErrorKind.ConnectionFailed, refused.Kind);
        var timeout = new LibvirtException("virConnectOpen", LibvirtErrorCode.OperationTimeout, 0, "no answer");
        Assert.Equal(KvmErrorKind.ConnectionFailed, timeout.Kind);
        var auth = new LibvirtException("virConnectOpenAuth", LibvirtErrorCode.AuthFailed, 0, "authentication failed");
        Assert.Equal(KvmErrorKind.AuthenticationFailed, auth.Kind);
        Assert.False(new LibvirtException("virDomainCreate", LibvirtErrorCode.SystemError, 0, "x").IsConnectFailure);
    }
}
