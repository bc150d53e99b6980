using System.Diagnostics;
using Xunit;

namespace KvmPS.Engine.Tests.Guest;

/// <summary>A fact that is skipped, with the reason, when Python's PIL (the independent image decoder) is missing.</summary>
public sealed class FactNeedsPilAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> s_have = new(() =>
    {
        if (!File.Exists(Python))
        {
            return false;
        }
        using var p = Process.Start(new ProcessStartInfo(Python, new[] { "-c", "import PIL" }) { RedirectStandardError = true })!;
        p.WaitForExit();
        return p.ExitCode == 0;
    });

    public FactNeedsPilAttribute()
    {
        if (!s_have.Value)
        {
            Skip = "needs Python's PIL (python3-pil) to decode images independently";
        }
    }
}
