namespace KvmPS.Engine.Iso;

/// <summary>A file that is no ISO 9660 image, or one this reader cannot read (the message says which).</summary>
public sealed class IsoFormatException : Exception
{
    public IsoFormatException(string message)
        : base(message)
    {
    }
}
