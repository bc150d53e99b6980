using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>A fact that is skipped, with the reason, when the system's osinfo-db is not installed.</summary>
public sealed class FactNeedsOsInfoAttribute : FactAttribute
{
    public FactNeedsOsInfoAttribute()
    {
        if (OsInfoDatabase.Default.IsEmpty)
        {
            Skip = "needs the libosinfo database (Debian package osinfo-db)";
        }
    }
}
