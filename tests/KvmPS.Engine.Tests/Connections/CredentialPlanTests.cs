using System.Security;
using Xunit;

namespace KvmPS.Engine.Tests;

public class CredentialPlanTests
{
    private static CredentialRequest R(CredentialType t, string? prompt = null, bool def = false) => new(t, prompt, def);

    [Fact]
    public void Sasl_gets_the_user_name_and_the_password_and_defaults_for_the_realm()
    {
        var answers = CredentialPlan.Decide(new[] { R(CredentialType.AuthName), R(CredentialType.Passphrase), R(CredentialType.Realm, def: true) }, true, true, 0);
        Assert.Equal(new[] { CredentialAnswer.UserName, CredentialAnswer.Password, CredentialAnswer.Default }, answers);
    }

    [Fact]
    public void A_second_request_for_the_password_in_one_connect_is_refused_so_a_wrong_one_does_not_loop()
    {
        Assert.NotNull(CredentialPlan.Decide(new[] { R(CredentialType.Passphrase) }, true, true, 0));
        Assert.Null(CredentialPlan.Decide(new[] { R(CredentialType.Passphrase) }, true, true, 1));
        Assert.Null(CredentialPlan.Decide(new[] { R(CredentialType.NoEchoPrompt, "Password:") }, true, true, 1));
    }

    [Fact]
    public void Without_a_password_a_secret_is_refused_and_without_a_user_name_libvirts_default_is_used()
    {
        Assert.Null(CredentialPlan.Decide(new[] { R(CredentialType.Passphrase) }, true, false, 0));
        Assert.Equal(new[] { CredentialAnswer.Default }, CredentialPlan.Decide(new[] { R(CredentialType.UserName, def: true) }, false, true, 0));
        Assert.Null(CredentialPlan.Decide(new[] { R(CredentialType.AuthName) }, false, true, 0));
    }

    [Theory]
    [InlineData("Accept SSH host key with hash abc for host h:22 (y/n)?")]
    [InlineData("The host key is unknown. Continue?")]
    public void A_question_is_never_answered_on_the_users_behalf(string prompt)
    {
        Assert.Null(CredentialPlan.Decide(new[] { R(CredentialType.EchoPrompt, prompt) }, true, true, 0));
    }

    [Fact]
    public void External_is_refused_and_one_refusal_refuses_the_whole_call()
    {
        Assert.Null(CredentialPlan.Decide(new[] { R(CredentialType.AuthName), R(CredentialType.External) }, true, true, 0));
    }

    [Theory]
    [InlineData("qemu+ssh://root@h/system", true)]
    [InlineData("qemu+libssh://root@h/system", false)]
    [InlineData("qemu+tcp://h/system", false)]
    [InlineData("qemu+tls://h/system", false)]
    public void Only_the_ssh_program_transport_gets_a_note_that_the_credential_is_not_used(string uri, bool noted)
    {
        string? note = CredentialPlan.TransportNote(uri);
        Assert.Equal(noted, note is not null);
        if (noted)
        {
            Assert.Contains("qemu+libssh://", note);
        }
    }

    [Fact]
    public void The_test_drivers_auth_gets_the_password_through_the_callback_and_a_wrong_one_fails_with_AuthFailed()
    {
        string file = Path.Combine(Path.GetTempPath(), $"kvmps-auth-{Guid.NewGuid():N}.xml");
        File.WriteAllText(file, "<node><auth><user password='s3cret'>alice</user></auth></node>");
        try
        {
            using (LibvirtConnection ok = LibvirtConnection.Open("test://" + file, new ConnectionTimeouts(), CancellationToken.None, new ConnectCredential("alice", Secure("s3cret"))))
            {
                Assert.True(ok.IsAlive);
            }
            var e = Assert.Throws<LibvirtException>(() =>
                LibvirtConnection.Open("test://" + file, new ConnectionTimeouts(), CancellationToken.None, new ConnectCredential("alice", Secure("wrong"))));
            Assert.Equal(KvmErrorKind.AuthenticationFailed, e.Kind);
            Assert.Equal("virConnectOpenAuth", e.Function);
            Assert.DoesNotContain("wrong", e.LibvirtMessage);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_credential_prints_its_user_name_never_the_password()
    {
        var c = new ConnectCredential("alice", Secure("s3cret"));
        Assert.DoesNotContain("s3cret", c.ToString());
        Assert.Contains("alice", c.ToString());
    }

    private static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (char ch in text)
        {
            s.AppendChar(ch);
        }
        s.MakeReadOnly();
        return s;
    }
}
