using System.Text;

namespace KvmPS.Engine;

/// <summary>
/// libvirt's remote protocol (every connection through a daemon: qemu:///system, qemu+ssh://, …)
/// carries a string of at most 4 MiB (REMOTE_STRING_MAX, 4,194,304 bytes, in remote_protocol.x)
/// and a message of at most 32 MiB (VIR_NET_MESSAGE_MAX, virnetprotocol.x). A larger domain XML or
/// description fails in the client as "Unable to encode message payload" (VIR_ERR_RPC). Checked
/// here before sending, where the size is known, so the refusal says which limit and by how much.
/// In-process drivers (test:///) have no such limit.
/// </summary>
public static class PayloadLimit
{
    /// <summary>The most bytes (UTF-8) one string may have on a remote connection.</summary>
    public const int StringMaxBytes = 4 * 1024 * 1024;

    /// <summary>The most bytes one serialised message may have on a remote connection.</summary>
    public const int MessageMaxBytes = 32 * 1024 * 1024;

    /// <summary>Whether a URI goes through libvirt's remote protocol (anything but an in-process driver).</summary>
    public static bool IsRemoteProtocol(string uri)
    {
        int colon = uri.IndexOf(':');
        string scheme = colon < 0 ? uri : uri[..colon];
        // test:/// runs inside the process; test+unix:// and the like still travel over a socket.
        return !string.Equals(scheme, "test", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The refusal for <paramref name="payload"/> when it is too large for one string on
    /// <paramref name="uri"/>, or null when it fits. <paramref name="what"/> names it ("the domain XML").
    /// </summary>
    public static string? Problem(string what, string? payload, string uri)
    {
        if (payload is null || !IsRemoteProtocol(uri) || payload.Length <= StringMaxBytes / 4)
        {
            return null;
        }
        int bytes = Encoding.UTF8.GetByteCount(payload);
        return bytes <= StringMaxBytes ? null
            : $"{what} is {Size(bytes)}; libvirt's remote protocol carries at most {Size(StringMaxBytes)} ({StringMaxBytes:N0} bytes) in one string. Make it smaller.";
    }

    /// <summary>Throws <see cref="PayloadTooLargeException"/> when <paramref name="payload"/> does not fit (see <see cref="Problem"/>).</summary>
    public static void Check(string what, string? payload, LibvirtConnection conn)
    {
        if (Problem(what, payload, conn.Uri) is string message)
        {
            throw new PayloadTooLargeException(message);
        }
    }

    /// <summary>Whether a libvirt error is the client's refusal of a message over the limit.</summary>
    public static bool IsEncodeFailure(LibvirtErrorCode code, string message) =>
        code == LibvirtErrorCode.Rpc
        && (message.Contains("encode message payload", StringComparison.OrdinalIgnoreCase)
            || message.Contains("too large", StringComparison.OrdinalIgnoreCase));

    private static string Size(long bytes) => bytes >= 1048576 ? $"{bytes / 1048576.0:0.##} MiB" : $"{bytes / 1024.0:0.#} KiB";
}
