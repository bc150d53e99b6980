using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The cloud-init user-data New-KvmVM writes when it is not given one, as virt-install's
/// --cloud-init root-ssh-key= and root-password-generate=on write it: root's SSH keys, and a
/// generated root password (16 letters and digits, from a cryptographic random source) that
/// must be changed at the first login. The password comes back as a SecureString only.
/// </summary>
public static class VmCloudInitUserData
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>Whether the request asks for a seed: user-data, SSH keys, a generated password or a network config.</summary>
    public static bool Wanted(VmRequest r) =>
        r.CloudInitUserData is not null || r.Install.SshKeys.Count > 0 || r.Install.RootPasswordGenerate || r.Install.CloudInitNetworkConfig is not null;

    /// <summary>The checks that need no host: -CloudInit is the whole user-data, so the generated parts do not go with it.</summary>
    public static void Check(VmRequest r)
    {
        if (r.CloudInitUserData is not null && (r.Install.SshKeys.Count > 0 || r.Install.RootPasswordGenerate))
        {
            throw VmRequestException.Invalid(r.Name, "CloudInitGivenTwice",
                "-CloudInit is the whole user-data: put the SSH keys and passwords in it, or give -SshKey / -RootPasswordGenerate without it.");
        }
    }

    /// <summary>The user-data to write; <paramref name="password"/> is the generated root password, or null.</summary>
    public static string Compose(VmRequest r, out SecureString? password)
    {
        password = null;
        if (r.CloudInitUserData is not null)
        {
            return CloudInitSource.Read(r.Name, r.CloudInitUserData, r.ResolvePath);
        }
        var text = new StringBuilder("#cloud-config\n");
        if (r.Install.RootPasswordGenerate)
        {
            string generated = RandomNumberGenerator.GetString(Alphabet, 16);
            password = new SecureString();
            foreach (char c in generated)
            {
                password.AppendChar(c);
            }
            password.MakeReadOnly();
            text.Append("chpasswd:\n  list: |\n    root:").Append(generated).Append("\n  expire: True\n");
        }
        if (r.Install.SshKeys.Count > 0)
        {
            text.Append("users:\n  - name: root\n    ssh-authorized-keys:\n");
            foreach (string key in r.Install.SshKeys)
            {
                text.Append("      - ").Append(Key(r, key)).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>The network-config to write: the text, or the file it names.</summary>
    public static string? NetworkConfig(VmRequest r) =>
        r.Install.CloudInitNetworkConfig is string n ? CloudInitSource.Read(r.Name, n, r.ResolvePath) : null;

    // A key is the key itself (ssh-ed25519 AAAA...) or the path of a .pub file holding one.
    private static string Key(VmRequest r, string key)
    {
        string k = key.Trim();
        if (!k.StartsWith("ssh-", StringComparison.Ordinal) && !k.StartsWith("ecdsa-", StringComparison.Ordinal) && !k.StartsWith("sk-", StringComparison.Ordinal))
        {
            string path = r.ResolvePath(k);
            k = File.Exists(path) ? File.ReadAllText(path).Trim()
                : throw VmRequestException.Invalid(r.Name, "InvalidSshKey", $"-SshKey '{key}' is neither a public key (ssh-ed25519 AAAA...) nor a file holding one.");
        }
        if (k.Contains('\n') || !k.Contains(' '))
        {
            throw VmRequestException.Invalid(r.Name, "InvalidSshKey", $"-SshKey '{key}': give one public key per value, as a line of an authorized_keys file.");
        }
        return k;
    }
}
