namespace KvmPS.Engine;

/// <summary>A request too large for libvirt's remote protocol, refused before it was sent (see <see cref="PayloadLimit"/>).</summary>
public sealed class PayloadTooLargeException : ArgumentException
{
    public PayloadTooLargeException(string message) : base(message) { }

    /// <summary>The stable ErrorId of the refusal.</summary>
    public const string ErrorId = "PayloadTooLarge";
}
