namespace KvmPS.Engine;

/// <summary>
/// How the authentication callback answers libvirt: user names (USERNAME, AUTHNAME, an echoed
/// prompt) from the credential's user name, secrets (PASSPHRASE, a prompt that does not echo)
/// from its password, and the rest (REALM, LANGUAGE, CNONCE) with libvirt's suggestion. A secret
/// is given once per connect: when libvirt asks again (libssh retries a password the server
/// refused), the callback refuses, so a wrong password ends in an authentication error instead of
/// a loop. Yes/no questions (libssh asking to accept an unknown host key) and EXTERNAL are never
/// answered on the user's behalf.
/// </summary>
public static class CredentialPlan
{
    /// <summary>The credential types the callback offers to answer (libvirt checks a transport's needs against them).</summary>
    public static readonly CredentialType[] Offered =
    {
        CredentialType.UserName, CredentialType.AuthName, CredentialType.Passphrase, CredentialType.EchoPrompt,
        CredentialType.NoEchoPrompt, CredentialType.Realm, CredentialType.Language, CredentialType.CNonce,
    };

    /// <summary>
    /// The answers for one call of the callback; null when it must refuse (then nothing is answered).
    /// <paramref name="secretsGivenBefore"/> counts the calls of this connect that already gave the password.
    /// </summary>
    public static IReadOnlyList<CredentialAnswer>? Decide(IReadOnlyList<CredentialRequest> requests, bool hasUserName, bool hasPassword, int secretsGivenBefore)
    {
        var answers = new List<CredentialAnswer>(requests.Count);
        foreach (CredentialRequest r in requests)
        {
            CredentialAnswer a = Answer(r, hasUserName, hasPassword, secretsGivenBefore);
            if (a == CredentialAnswer.Refuse)
            {
                return null;
            }
            answers.Add(a);
        }
        return answers;
    }

    private static CredentialAnswer Answer(CredentialRequest r, bool hasUserName, bool hasPassword, int secretsGivenBefore) => r.Type switch
    {
        CredentialType.UserName or CredentialType.AuthName =>
            hasUserName ? CredentialAnswer.UserName : r.HasDefault ? CredentialAnswer.Default : CredentialAnswer.Refuse,
        CredentialType.EchoPrompt =>
            IsQuestion(r.Prompt) ? CredentialAnswer.Refuse : hasUserName ? CredentialAnswer.UserName : CredentialAnswer.Refuse,
        CredentialType.Passphrase or CredentialType.NoEchoPrompt =>
            hasPassword && secretsGivenBefore == 0 ? CredentialAnswer.Password : CredentialAnswer.Refuse,
        CredentialType.Realm or CredentialType.Language or CredentialType.CNonce => CredentialAnswer.Default,
        _ => CredentialAnswer.Refuse,
    };

    /// <summary>Whether a prompt asks for a decision (accept a host key?) rather than a name.</summary>
    internal static bool IsQuestion(string? prompt) =>
        prompt is not null && (prompt.Contains("(y/n)", StringComparison.OrdinalIgnoreCase)
            || prompt.Contains("host key", StringComparison.OrdinalIgnoreCase)
            || prompt.TrimEnd().EndsWith('?'));

    /// <summary>
    /// A note for a credential given with a URI whose transport never asks the callback: plain
    /// qemu+ssh:// runs the ssh program, which uses its keys, agent and its own prompts.
    /// </summary>
    public static string? TransportNote(string uri)
    {
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out Uri? u))
        {
            return null;
        }
        string transport = u.Scheme.Contains('+') ? u.Scheme[(u.Scheme.IndexOf('+') + 1)..] : "";
        return transport is "ssh" or "ext"
            ? $"'{u.Scheme}' runs the ssh program, which authenticates with its keys and agent and never sees -Credential; "
              + "for a password use the libssh transport (" + u.Scheme.Replace("+ssh", "+libssh", StringComparison.Ordinal) + "://...)."
            : null;
    }
}
