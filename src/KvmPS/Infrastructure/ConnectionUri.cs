namespace KvmPS.Commands;

/// <summary>The URI a KvmConnection object stands for.</summary>
internal static class ConnectionUri
{
    /// <summary>
    /// The URI it was opened with (the key the session keeps it under), else the canonical one;
    /// in another runspace (ForEach-Object -Parallel) the same URI opens a connection of that runspace.
    /// </summary>
    public static string Of(KvmConnection c) => !string.IsNullOrEmpty(c.RequestedUri) ? c.RequestedUri : c.Uri;
}
