using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>A host that asks for a user name and password, reached without a credential: the message says what to give.</summary>
public class MissingCredentialTests
{
    [Theory]
    [InlineData(LibvirtErrorCode.AuthFailed, "authentication failed: Failed to start SASL negotiation: -4 (SASL(-4): no mechanism available: No worthy mechs found)")]
    [InlineData(LibvirtErrorCode.AuthUnavailable, "authentication unavailable: no polkit agent available to authenticate action")]
    public void An_authentication_failure_without_a_credential_names_Credential_and_keeps_libvirts_detail(LibvirtErrorCode code, string message)
    {
        string text = ConnectFailure.Readable("qemu+tcp://kvm1/system", code, message, withCredential: false);
        Assert.StartsWith(ConnectFailure.NoCredential, text);
        Assert.Contains("-Credential", text);
        Assert.Contains(message, text);
    }

    [Theory]
    [InlineData(LibvirtErrorCode.AuthFailed, true)]
    [InlineData(LibvirtErrorCode.SystemError, false)]
    [InlineData(LibvirtErrorCode.OperationTimeout, false)]
    public void Other_failures_and_a_wrong_credential_keep_libvirts_message(LibvirtErrorCode code, bool withCredential)
    {
        Assert.Equal("authentication failed: x", ConnectFailure.Readable("qemu+tcp://kvm1/system", code, "authentication failed: x", withCredential));
    }
}
