namespace KvmPS.Engine;

/// <summary>libvirt's error codes (virErrorNumber). Int-backed: codes from a newer libvirt survive as numbers.</summary>
public enum LibvirtErrorCode
{
    Ok = 0, InternalError = 1, NoMemory = 2, NoSupport = 3, UnknownHost = 4, NoConnect = 5,
    InvalidConn = 6, InvalidDomain = 7, InvalidArg = 8, OperationFailed = 9, OsType = 16,
    NoKernel = 17, NoSource = 19, NoTarget = 20, NoName = 21, NoOs = 22, NoDevice = 23,
    CallFailed = 26, XmlError = 27, DomExist = 28, OperationDenied = 29, OpenFailed = 30,
    ReadFailed = 31, ParseFailed = 32, ConfSyntax = 33, WriteFailed = 34, XmlDetail = 35,
    InvalidNetwork = 36, NetworkExist = 37, SystemError = 38, Rpc = 39, GnutlsError = 40,
    NoDomain = 42, NoNetwork = 43, InvalidMac = 44, AuthFailed = 45, InvalidStoragePool = 46,
    InvalidStorageVol = 47, NoStoragePool = 49, NoStorageVol = 50, InvalidNodeDevice = 52,
    NoNodeDevice = 53, NoSecurityModel = 54, OperationInvalid = 55, NoInterface = 57,
    InvalidInterface = 58, ConfigUnsupported = 67, OperationTimeout = 68, InvalidStream = 73,
    ArgumentUnsupported = 74, StorageProbeFailed = 75, StoragePoolBuilt = 76,
    OperationAborted = 78, AuthCancelled = 79, NoDomainMetadata = 80, Overflow = 82,
    OperationUnsupported = 84, Ssh = 85, AgentUnresponsive = 86, ResourceBusy = 87,
    AccessDenied = 88, StorageVolExist = 90, CpuIncompatible = 91, XmlInvalidSchema = 92,
    AuthUnavailable = 94, NoServer = 95, NoClient = 96, AgentUnsynced = 97, DeviceMissing = 99,
    NoDomainSnapshot = 72, NoDomainCheckpoint = 103, NoDomainBackup = 104, NoHostname = 108,
    MultipleDomains = 110, NoNwfilter = 62, NoSecret = 66, MigrateUnsafe = 81, BlockCopyActive = 83,
}
