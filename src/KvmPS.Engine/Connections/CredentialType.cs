namespace KvmPS.Engine;

/// <summary>libvirt's credential types (virConnectCredentialType), as an authentication callback is asked for them.</summary>
public enum CredentialType
{
    UserName = 1,
    AuthName = 2,
    Language = 3,
    CNonce = 4,
    Passphrase = 5,
    EchoPrompt = 6,
    NoEchoPrompt = 7,
    Realm = 8,
    External = 9,
}
