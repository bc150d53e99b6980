namespace KvmPS.Engine.Conversion;

/// <summary>A QEMU command line that cannot be read: a malformed value, a missing value, bad quoting. <see cref="ErrorId"/> is stable.</summary>
public sealed class QemuCommandLineException : Exception
{
    public QemuCommandLineException(string errorId, string message) : base(message) => ErrorId = errorId;

    /// <summary>Stable id of the problem (QemuBadMemory, QemuBadSmp, QemuMissingValue, ...).</summary>
    public string ErrorId { get; }
}
