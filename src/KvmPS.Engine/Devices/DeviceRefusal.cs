namespace KvmPS.Engine.Devices;

/// <summary>Why a device request is refused before anything changed; a null target means the request itself.</summary>
public sealed record DeviceRefusal(string Message, string ErrorId, KvmErrorKind Kind, string? Target = null)
{
    public static DeviceRefusal Invalid(string message, string errorId) => new(message, errorId, KvmErrorKind.InvalidArgument);
}
