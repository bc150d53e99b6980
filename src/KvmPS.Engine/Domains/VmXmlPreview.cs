using KvmPS.Engine.Storage;

namespace KvmPS.Engine.Domains;

/// <summary>
/// The XML a plan would define, without making anything (-PrintXml, -WhatIf): the disks at the
/// paths they would get (a pool volume in its pool's directory, the seed beside the first disk),
/// an existing image's format probed read-only. Graphics passwords are hidden.
/// </summary>
public static class VmXmlPreview
{
    public static VmInstallSteps Steps(VmPlan plan, CancellationToken cancel)
    {
        var disks = new List<VmDiskSpec>();
        foreach (VmDiskPlan d in plan.AllDisks)
        {
            VmDiskOptions? o = d.Options;
            bool cdrom = o?.Device == "cdrom";
            string path = d.Source == VmDiskSource.PoolVolume ? VolumePath(plan.Connection, d.Pool!, d.Location) : d.Location;
            string format = cdrom ? "raw"
                : d.Format ?? (plan.Local && File.Exists(d.Location) ? VmStorage.ProbeFormat(d.Location, cancel) : "raw");
            disks.Add(new VmDiskSpec { Path = path, Format = o?.BackingStore is null ? format : "qcow2", Device = cdrom ? "cdrom" : "disk", Owned = d.Source != VmDiskSource.ExistingFile, Options = o });
        }
        string? seed = null;
        if (plan.Seed is { } s)
        {
            seed = s.Pool is not null ? VolumePath(plan.Connection, s.Pool, s.Name)
                : Path.Combine(Path.GetDirectoryName(disks.First(d => d.Device == "disk").Path) ?? "/", s.Name);
        }
        VmInstallSteps steps = VmInstallPlan.Steps(plan, disks, seed);
        return new VmInstallSteps(steps.FirstBootXml is null ? null : VmXmlOptions.Redact(steps.FirstBootXml), VmXmlOptions.Redact(steps.FinalXml));
    }

    private static string VolumePath(LibvirtConnection conn, string pool, string name)
    {
        using StoragePool? p = StoragePool.TryLookup(conn, pool);
        string dir = p?.GetDefinition().Path ?? $"/{pool}";
        return dir.TrimEnd('/') + "/" + name;
    }
}
