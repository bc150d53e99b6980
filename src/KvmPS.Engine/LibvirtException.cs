using System.Runtime.InteropServices;
using KvmPS.Engine.Native;

namespace KvmPS.Engine;

/// <summary>The one exception type for every failing libvirt call: libvirt's code, domain and message.</summary>
public sealed class LibvirtException : Exception
{
    public LibvirtException(string function, LibvirtErrorCode code, int errorDomain, string libvirtMessage)
        : base($"{function} failed ({(int)code}) - {libvirtMessage}")
    {
        Function = function;
        Code = code;
        ErrorDomain = errorDomain;
        LibvirtMessage = libvirtMessage;
    }

    /// <summary>The libvirt C function that failed.</summary>
    public string Function { get; }

    /// <summary>libvirt's error code (virErrorNumber).</summary>
    public LibvirtErrorCode Code { get; }

    /// <summary>libvirt's error domain (virErrorDomain: which part of libvirt raised it).</summary>
    public int ErrorDomain { get; }

    /// <summary>libvirt's own message, without the function name.</summary>
    public string LibvirtMessage { get; }

    /// <summary>Whether opening the connection failed (the host was not reached at all).</summary>
    public bool IsConnectFailure => Function.StartsWith("virConnectOpen", StringComparison.Ordinal);

    /// <summary>The kind of failure, for mapping to an error category.</summary>
    public KvmErrorKind Kind
    {
        get
        {
            if (PayloadLimit.IsEncodeFailure(Code, LibvirtMessage))
            {
                return KvmErrorKind.InvalidArgument;
            }
            KvmErrorKind kind = KindOf(Code);
            // Opening a connection fails with generic codes (a system error for a missing socket,
            // say): whatever the code, it is a connection failure unless it is about credentials.
            if (Function.StartsWith("virConnectOpen", StringComparison.Ordinal)
                && kind is not (KvmErrorKind.AuthenticationFailed or KvmErrorKind.PermissionDenied))
            {
                return KvmErrorKind.ConnectionFailed;
            }
            return kind;
        }
    }

    public static KvmErrorKind KindOf(LibvirtErrorCode code) => code switch
    {
        LibvirtErrorCode.NoDomain or LibvirtErrorCode.NoNetwork or LibvirtErrorCode.NoStoragePool
            or LibvirtErrorCode.NoStorageVol or LibvirtErrorCode.NoNodeDevice or LibvirtErrorCode.NoInterface
            or LibvirtErrorCode.NoDomainSnapshot or LibvirtErrorCode.NoDomainCheckpoint
            or LibvirtErrorCode.NoDomainMetadata or LibvirtErrorCode.DeviceMissing or LibvirtErrorCode.NoSecret
            or LibvirtErrorCode.NoDomainBackup or LibvirtErrorCode.NoClient or LibvirtErrorCode.NoNwfilter => KvmErrorKind.NotFound,
        LibvirtErrorCode.DomExist or LibvirtErrorCode.NetworkExist or LibvirtErrorCode.StorageVolExist
            or LibvirtErrorCode.StoragePoolBuilt => KvmErrorKind.AlreadyExists,
        LibvirtErrorCode.InvalidArg or LibvirtErrorCode.XmlError or LibvirtErrorCode.XmlDetail
            or LibvirtErrorCode.XmlInvalidSchema or LibvirtErrorCode.InvalidMac or LibvirtErrorCode.ConfSyntax
            or LibvirtErrorCode.ParseFailed or LibvirtErrorCode.NoName or LibvirtErrorCode.NoSource
            or LibvirtErrorCode.NoTarget or LibvirtErrorCode.OsType or LibvirtErrorCode.Overflow
            or LibvirtErrorCode.NoKernel or LibvirtErrorCode.NoOs or LibvirtErrorCode.NoDevice
            or LibvirtErrorCode.StorageProbeFailed => KvmErrorKind.InvalidArgument,
        LibvirtErrorCode.OperationInvalid or LibvirtErrorCode.OperationFailed
            or LibvirtErrorCode.CpuIncompatible or LibvirtErrorCode.MigrateUnsafe or LibvirtErrorCode.InvalidDomain
            or LibvirtErrorCode.InvalidNetwork or LibvirtErrorCode.InvalidStoragePool or LibvirtErrorCode.InvalidStorageVol
            or LibvirtErrorCode.InvalidNodeDevice or LibvirtErrorCode.InvalidStream => KvmErrorKind.InvalidOperation,
        LibvirtErrorCode.OperationAborted => KvmErrorKind.Stopped,
        LibvirtErrorCode.OperationDenied or LibvirtErrorCode.AccessDenied => KvmErrorKind.PermissionDenied,
        LibvirtErrorCode.AuthFailed or LibvirtErrorCode.AuthCancelled or LibvirtErrorCode.AuthUnavailable
            => KvmErrorKind.AuthenticationFailed,
        LibvirtErrorCode.NoSupport or LibvirtErrorCode.ConfigUnsupported or LibvirtErrorCode.ArgumentUnsupported
            or LibvirtErrorCode.OperationUnsupported => KvmErrorKind.NotSupported,
        LibvirtErrorCode.NoConnect or LibvirtErrorCode.InvalidConn or LibvirtErrorCode.OpenFailed
            or LibvirtErrorCode.Rpc or LibvirtErrorCode.UnknownHost or LibvirtErrorCode.NoServer
            or LibvirtErrorCode.Ssh or LibvirtErrorCode.GnutlsError => KvmErrorKind.ConnectionFailed,
        LibvirtErrorCode.OperationTimeout or LibvirtErrorCode.AgentUnresponsive or LibvirtErrorCode.AgentUnsynced
            => KvmErrorKind.Timeout,
        LibvirtErrorCode.ResourceBusy or LibvirtErrorCode.BlockCopyActive => KvmErrorKind.ResourceBusy,
        LibvirtErrorCode.ReadFailed => KvmErrorKind.ReadFailed,
        LibvirtErrorCode.WriteFailed => KvmErrorKind.WriteFailed,
        _ => KvmErrorKind.Unknown,
    };

    /// <summary>
    /// Reads the calling thread's last libvirt error and resets it. Must be called right after the
    /// failing call, on the same thread, before any other libvirt call: libvirt's errors are
    /// thread-local and the next call overwrites them.
    /// </summary>
    internal static unsafe LibvirtException FromLastError(string function)
    {
        Libvirt.VirError* err = Libvirt.virGetLastError();
        if (err == null)
        {
            return new LibvirtException(function, LibvirtErrorCode.InternalError, 0, "libvirt reported a failure without an error message");
        }
        string message = Marshal.PtrToStringUTF8(err->Message) ?? "(no message)";
        if (PayloadLimit.IsEncodeFailure((LibvirtErrorCode)err->Code, message))
        {
            message += $" (the request is larger than libvirt's remote protocol carries: {PayloadLimit.StringMaxBytes / 1048576} MiB per string, {PayloadLimit.MessageMaxBytes / 1048576} MiB per message)";
        }
        var ex = new LibvirtException(function, (LibvirtErrorCode)err->Code, err->Domain, message);
        Libvirt.virResetLastError();
        return ex;
    }

    /// <summary>
    /// Returns <paramref name="rc"/> when the call succeeded (not negative); otherwise throws the
    /// calling thread's last error. Wrap the libvirt call itself, so that nothing runs in between.
    /// </summary>
    internal static int Check(int rc, string function) => rc < 0 ? throw FromLastError(function) : rc;
}
