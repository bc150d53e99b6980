using System.Security;

namespace KvmPS.Engine;

/// <summary>
/// A user name and password for a connect that asks for them. The password stays in its
/// SecureString (owned by the caller); it is copied out only inside the authentication callback,
/// into the buffer libvirt asked for, and the intermediate copy is zeroed at once.
/// </summary>
public sealed class ConnectCredential
{
    public ConnectCredential(string? userName, SecureString? password)
    {
        // PSCredential spells a domain user as DOMAIN\user or user@domain; libvirt wants the name as typed.
        UserName = string.IsNullOrEmpty(userName) ? null : userName;
        Password = password;
    }

    public string? UserName { get; }

    public SecureString? Password { get; }

    public bool HasPassword => Password is { Length: > 0 };

    /// <summary>Never the password.</summary>
    public override string ToString() => $"credential for '{UserName}'";
}
