using System.Text.RegularExpressions;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The short id (ubuntu22.04, win11) of a libosinfo OS id (http://ubuntu.com/ubuntu/22.04), as a
/// user types it for New-KvmVM -OSVariant. The database's own short id wins; without the database
/// (or for an id it does not know) the short id is built the way libosinfo names most of its OSes:
/// the last two path segments joined ("rolling" dropped, a word version joined with a dash).
/// </summary>
public static class OsShortId
{
    public static string? Of(string? osId) => Of(osId, OsInfoDatabase.Default);

    public static string? Of(string? osId, OsInfoDatabase db)
    {
        if (string.IsNullOrEmpty(osId)) { return null; }
        if (db.Find(osId) is { ShortIds.Length: > 0 } entry) { return entry.ShortIds[0]; }
        Match m = Regex.Match(osId, @"^https?://[^/]+/(?:.*/)?(?<name>[^/]+)/(?<version>[^/]+)/?$");
        if (!m.Success) { return osId; }
        string name = m.Groups["name"].Value, version = m.Groups["version"].Value;
        if (version == "rolling") { return name; }
        return char.IsDigit(version[0]) ? name + version : $"{name}-{version}";
    }
}
