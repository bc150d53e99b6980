using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>A theory that is skipped, with the reason, when the system's osinfo-db is not installed.</summary>
public sealed class TheoryNeedsOsInfoAttribute : TheoryAttribute
{
    public TheoryNeedsOsInfoAttribute()
    {
        if (OsInfoDatabase.Default.IsEmpty)
        {
            Skip = "needs the libosinfo database (Debian package osinfo-db)";
        }
    }
}
