namespace KvmPS.Engine;

/// <summary>What the authentication callback gives libvirt for one credential it asks for.</summary>
public enum CredentialAnswer
{
    /// <summary>The credential's user name.</summary>
    UserName,

    /// <summary>The credential's password.</summary>
    Password,

    /// <summary>libvirt's own suggestion (defresult), or an empty answer when it has none.</summary>
    Default,

    /// <summary>No answer: the whole callback fails and libvirt reports an authentication error.</summary>
    Refuse,
}
