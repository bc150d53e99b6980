using System.Xml.Linq;

namespace KvmPS.Engine.Domains;

/// <summary>
/// What virt-install gives a Windows guest: the Hyper-V enlightenments relaxed, vapic and
/// spinlocks (8191 retries), the hypervclock timer, and the clock in local time (as Windows keeps
/// the RTC); Solaris gets local time too.
/// </summary>
public static class VmWindowsFeatures
{
    public const int SpinlockRetries = 8191;

    public static void ApplyTo(XElement domain, VmOsDefaults os)
    {
        XElement? clock = domain.Element("clock");
        clock?.SetAttributeValue("offset", os.ClockOffset);
        if (!os.IsWindows)
        {
            return;
        }
        XElement features = domain.Element("features") ?? throw new InvalidOperationException("The definition has no <features>.");
        features.Element("hyperv")?.Remove();
        features.Add(new XElement("hyperv",
            new XElement("relaxed", new XAttribute("state", "on")),
            new XElement("vapic", new XAttribute("state", "on")),
            new XElement("spinlocks", new XAttribute("state", "on"), new XAttribute("retries", SpinlockRetries))));
        if (clock is not null && !clock.Elements("timer").Any(t => (string?)t.Attribute("name") == "hypervclock"))
        {
            clock.Add(new XElement("timer", new XAttribute("name", "hypervclock"), new XAttribute("present", "yes")));
        }
    }
}
