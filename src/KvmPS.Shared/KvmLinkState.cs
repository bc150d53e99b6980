namespace KvmPS;

/// <summary>Link state of a network adapter as the guest sees it.</summary>
public enum KvmLinkState
{
    /// <summary>Cable plugged in.</summary>
    Up,
    /// <summary>Cable unplugged.</summary>
    Down,
}
