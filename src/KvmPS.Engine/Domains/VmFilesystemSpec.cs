namespace KvmPS.Engine.Domains;

/// <summary>A virtiofs share of a new VM: a host directory and the tag the guest mounts it by.</summary>
public sealed record VmFilesystemSpec(string Source, string Tag)
{
    /// <summary>
    /// Reads a -Filesystem text as virt-install's --filesystem has it: "SOURCE,TAG", or
    /// "source.dir=SOURCE,target.dir=TAG" (source= and target= also read).
    /// </summary>
    public static VmFilesystemSpec Parse(string vmName, string text)
    {
        string? source = null, tag = null;
        string[] items = text.Split(',', StringSplitOptions.TrimEntries);
        for (int i = 0; i < items.Length; i++)
        {
            int eq = items[i].IndexOf('=');
            string key = eq < 0 ? (i == 0 ? "source" : i == 1 ? "target" : "") : items[i][..eq].Trim().ToLowerInvariant();
            string value = eq < 0 ? items[i] : items[i][(eq + 1)..].Trim();
            switch (key)
            {
                case "source" or "source.dir":
                    source = value;
                    break;
                case "target" or "target.dir":
                    tag = value;
                    break;
                case "driver.type" when value == "virtiofs":
                    break;
                default:
                    throw VmRequestException.Invalid(vmName, "InvalidFilesystem", $"-Filesystem '{text}': give SOURCE,TAG (a host directory and the tag the guest mounts), e.g. /srv/share,share.");
            }
        }
        if (source is null || tag is null)
        {
            throw VmRequestException.Invalid(vmName, "InvalidFilesystem", $"-Filesystem '{text}': give SOURCE,TAG (a host directory and the tag the guest mounts), e.g. /srv/share,share.");
        }
        return new VmFilesystemSpec(source, tag);
    }
}
