namespace KvmPS.Engine.Networks;

/// <summary>
/// A network was defined but could not be set to autostart or started, and its definition was
/// removed again: <see cref="Cause"/> is libvirt's error, the message says what was undone.
/// </summary>
public sealed class NetworkStartException : Exception
{
    public NetworkStartException(string message, LibvirtException cause) : base(message, cause)
    {
        Cause = cause;
    }

    public LibvirtException Cause { get; }
}
