namespace KvmPS.Engine;

/// <summary>
/// Makes libvirt's messages for a failed virConnectOpen read well. libvirt composes some of them
/// from a fixed prefix and a detail that is a sentence of its own ("no connection driver available
/// for URI 'bogus' does not include a driver name"), and for a test-driver host file that is
/// missing it reports only that the XML could not be parsed. A host that wants a user name and
/// password (SASL) from a connect that had no credential fails with a SASL detail ("no worthy
/// mechs found"): the message then says what to give. The code, domain and function stay libvirt's.
/// </summary>
internal static class ConnectFailure
{
    private const string NoDriverPrefix = "no connection driver available for ";
    internal const string UriShape = "a libvirt URI looks like qemu:///system, qemu+ssh://user@host/system or test:///default";
    internal const string NoCredential = "the host asks for a user name and password and this connect had none: give them with Connect-KvmHost -Credential";

    internal static LibvirtException Explain(string? uri, LibvirtException e, bool withCredential = true)
    {
        string message = Readable(uri, e.Code, e.LibvirtMessage, withCredential);
        return message == e.LibvirtMessage ? e : new LibvirtException(e.Function, e.Code, e.ErrorDomain, message);
    }

    internal static string Readable(string? uri, LibvirtErrorCode code, string message, bool withCredential = true)
    {
        if (!withCredential && code is LibvirtErrorCode.AuthFailed or LibvirtErrorCode.AuthUnavailable)
        {
            return $"{NoCredential} ({message})";
        }
        if (code == LibvirtErrorCode.NoConnect && message.StartsWith(NoDriverPrefix, StringComparison.Ordinal))
        {
            string detail = message[NoDriverPrefix.Length..];
            // libvirt's detail is a sentence about the URI: drop the prefix it was glued to.
            return detail.StartsWith("URI '", StringComparison.Ordinal)
                ? $"{detail}; {UriShape}"
                : $"no connection driver is available for '{detail}'; {UriShape}";
        }
        if (code == LibvirtErrorCode.XmlError && TestDriverFile(uri) is { } file && !File.Exists(file))
        {
            return $"the test driver's host file '{file}' does not exist (test:///default is the built-in host)";
        }
        return message;
    }

    /// <summary>The host file a test-driver URI names (test:///path/host.xml), or null.</summary>
    private static string? TestDriverFile(string? uri)
    {
        if (uri is null || !System.Uri.TryCreate(uri, UriKind.Absolute, out Uri? u)
            || u.Scheme != "test" || u.Host.Length != 0 || u.AbsolutePath == "/default")
        {
            return null;
        }
        return System.Uri.UnescapeDataString(u.AbsolutePath);
    }
}
