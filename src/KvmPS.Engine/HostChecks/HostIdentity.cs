using System.Globalization;

namespace KvmPS.Engine.HostChecks;

/// <summary>
/// Who the checks run as: the ids of this process (from /proc/self/status, which is what the
/// kernel uses for permission checks) and the names and members of groups from /etc/group.
/// </summary>
public sealed class HostIdentity
{
    /// <summary>Effective user id.</summary>
    public uint Uid { get; init; }

    /// <summary>Effective group id.</summary>
    public uint Gid { get; init; }

    /// <summary>Supplementary group ids this process has now.</summary>
    public uint[] Groups { get; init; } = Array.Empty<uint>();

    public string UserName { get; init; } = "";

    /// <summary>Groups of /etc/group: name, gid and the users listed as members.</summary>
    public IReadOnlyList<(string Name, uint Gid, string[] Members)> GroupTable { get; init; } = Array.Empty<(string, uint, string[])>();

    public bool IsRoot => Uid == 0;

    public bool HasGroup(uint gid) => Gid == gid || Groups.Contains(gid);

    public (string Name, uint Gid, string[] Members)? FindGroup(string name) =>
        GroupTable.Where(g => g.Name == name).Select(g => ((string, uint, string[])?)g).FirstOrDefault();

    /// <summary>Whether /etc/group lists the user in the group (it may not be in effect until the next login).</summary>
    public bool IsListedIn(string group) =>
        FindGroup(group) is { } g && (g.Members.Contains(UserName) || PrimaryGid == g.Gid);

    /// <summary>The user's primary group from /etc/passwd.</summary>
    public uint? PrimaryGid { get; init; }

    public static HostIdentity Read(IHostFileSystem fs)
    {
        uint uid = 0, gid = 0;
        uint[] groups = Array.Empty<uint>();
        foreach (string line in (fs.ReadText("/proc/self/status") ?? "").Split('\n'))
        {
            // "Uid:\treal\teffective\tsaved\tfs": the effective id decides access.
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                uid = Field(line, 2);
            }
            else if (line.StartsWith("Gid:", StringComparison.Ordinal))
            {
                gid = Field(line, 2);
            }
            else if (line.StartsWith("Groups:", StringComparison.Ordinal))
            {
                groups = line.Substring(7).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                    .Select(s => uint.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            }
        }

        string? userName = null;
        uint? primary = null;
        foreach (string line in (fs.ReadText("/etc/passwd") ?? "").Split('\n'))
        {
            string[] f = line.Split(':');
            if (f.Length >= 4 && uint.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint u) && u == uid)
            {
                userName = f[0];
                primary = uint.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out uint pg) ? pg : null;
                break;
            }
        }
        if (userName is null && fs.IsLive)
        {
            // Users from a directory service (LDAP, sssd) are not in /etc/passwd.
            userName = Environment.UserName;
        }

        var table = new List<(string, uint, string[])>();
        foreach (string line in (fs.ReadText("/etc/group") ?? "").Split('\n'))
        {
            string[] f = line.Trim().Split(':');
            if (f.Length >= 4 && uint.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint g))
            {
                table.Add((f[0], g, f[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
            }
        }

        return new HostIdentity
        {
            Uid = uid,
            Gid = gid,
            Groups = groups,
            UserName = userName ?? uid.ToString(CultureInfo.InvariantCulture),
            PrimaryGid = primary,
            GroupTable = table,
        };
    }

    /// <summary>A group id as its name, or the number when /etc/group does not know it.</summary>
    public string GroupName(uint gid) =>
        GroupTable.Where(g => g.Gid == gid).Select(g => g.Name).FirstOrDefault() ?? gid.ToString(CultureInfo.InvariantCulture);

    private static uint Field(string line, int index)
    {
        string[] f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return f.Length > index && uint.TryParse(f[index], NumberStyles.None, CultureInfo.InvariantCulture, out uint v) ? v : 0;
    }
}
