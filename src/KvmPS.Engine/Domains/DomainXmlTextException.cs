namespace KvmPS.Engine.Domains;

/// <summary>A domain definition's text that libvirt would not read as it is written (bad UTF-8, another encoding).</summary>
public sealed class DomainXmlTextException : Exception
{
    public DomainXmlTextException(string errorId, string message) : base(message) => ErrorId = errorId;

    /// <summary>The stable ErrorId of the refusal.</summary>
    public string ErrorId { get; }
}
