namespace KvmPS;

/// <summary>The computer a connection URI names: its host part, or this machine for a local URI (qemu:///system, test:///default).</summary>
internal static class UriHostName
{
    public static string Of(string? uri)
    {
        if (!string.IsNullOrEmpty(uri) && System.Uri.TryCreate(uri, UriKind.Absolute, out Uri? u) && u.Host.Length > 0)
        {
            return u.Host;
        }
        return Environment.MachineName;
    }
}
