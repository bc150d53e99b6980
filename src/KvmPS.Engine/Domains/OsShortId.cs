using System.Text.RegularExpressions;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The short id (ubuntu22.04, win11) of a VM's OS, as a user types it for New-KvmVM -OSVariant.
/// New-KvmVM records the short id it was given beside libosinfo's full id; for a VM defined
/// elsewhere it is built from the full id (http://ubuntu.com/ubuntu/22.04) the way libosinfo
/// names most of its OSes, without reading the OS database (which Get-KvmVM must not wait for).
/// </summary>
public static class OsShortId
{
    /// <summary>The recorded short id, or the one built from <paramref name="osId"/>.</summary>
    public static string? Of(string? osId, string? recorded) =>
        !string.IsNullOrEmpty(recorded) ? recorded : FromId(osId);

    /// <summary>
    /// The last two path segments joined: a numeric version directly (ubuntu22.04, win2k22), a word
    /// with a dash (fedora-rawhide); "rolling" is dropped (archlinux). An id of another shape is
    /// returned as it is.
    /// </summary>
    public static string? FromId(string? osId)
    {
        if (string.IsNullOrEmpty(osId)) { return null; }
        Match m = Regex.Match(osId, @"^https?://[^/]+/(?:.*/)?(?<name>[^/]+)/(?<version>[^/]+)/?$");
        if (!m.Success) { return osId; }
        string name = m.Groups["name"].Value, version = m.Groups["version"].Value;
        if (version == "rolling") { return name; }
        return char.IsDigit(version[0]) ? name + version : $"{name}-{version}";
    }
}
