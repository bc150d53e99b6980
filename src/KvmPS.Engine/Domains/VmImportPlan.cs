namespace KvmPS.Engine.Domains;

/// <summary>A planned import of an export directory: the VM's name and identity, where its disks and UEFI variables go.</summary>
public sealed record VmImportPlan(VmImportRequest Request, VmExportManifest Manifest, string VmName, bool NewIdentity, string? Pool,
    IReadOnlyList<VmImportPlannedDisk> Disks, string DefinitionPath, string? NvramFrom, string? NvramTo, IReadOnlyList<string> Notes)
{
    public string Describe() =>
        $"Import VM '{Manifest.VmName}'{(VmName != Manifest.VmName ? $" as '{VmName}'" : "")} from '{Request.Directory}'"
        + (Request.Copy ? $", copying {Disks.Count} disk(s) into pool '{Pool}'" : $", using its {Disks.Count} disk file(s) where they are")
        + (NewIdentity ? ", with a new UUID and new MAC addresses" : ", keeping its UUID and MAC addresses");
}
