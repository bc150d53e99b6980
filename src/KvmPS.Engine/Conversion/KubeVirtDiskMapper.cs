using System.Xml.Linq;

namespace KvmPS.Engine.Conversion;

/// <summary>
/// Disks and CD-ROMs: each becomes a KubeVirt disk (with its bus, cache, io, boot order) and a
/// volume of the chosen source (containerDisk, PVC or DataVolume), plus the steps that bring its
/// image into the cluster. A NoCloud seed CD-ROM becomes a cloudInitNoCloud volume when user-data
/// is given.
/// </summary>
internal static class KubeVirtDiskMapper
{
    private const ulong FallbackSize = 10UL << 30;

    public static void Map(KubeVirtWork w, IReadOnlyDictionary<string, int> bootOrder)
    {
        bool cloudInitDone = false;
        foreach (XElement disk in w.Domain.Element("devices")?.Elements("disk") ?? Enumerable.Empty<XElement>())
        {
            string device = (string?)disk.Attribute("device") ?? "disk";
            string type = (string?)disk.Attribute("type") ?? "file";
            string dev = (string?)disk.Element("target")?.Attribute("dev") ?? "disk";
            string bus = (string?)disk.Element("target")?.Attribute("bus") ?? (dev.StartsWith("vd", StringComparison.Ordinal) ? "virtio" : "sata");
            XElement? src = disk.Element("source");
            string? path = (string?)src?.Attribute("file") ?? (string?)src?.Attribute("dev");
            if (device is "floppy")
            {
                w.Lost($"Floppy {dev}{(path is null ? "" : $" ({path})")}: KubeVirt has no floppy drives.");
                continue;
            }
            if (type == "network")
            {
                w.Lost($"Network disk {dev} ({(string?)src?.Attribute("protocol")} {(string?)src?.Attribute("name")}): bring the image into the cluster as a PVC and add it to the manifest.");
                continue;
            }
            if (type == "volume")
            {
                path = $"{(string?)src?.Attribute("pool")}/{(string?)src?.Attribute("volume")}";
                w.Note($"Disk {dev} is volume {path} of a libvirt storage pool: upload the file that volume is (virsh vol-path).");
            }
            if (type is "dir" or "nvme" or "vhostuser")
            {
                w.Lost($"Disk {dev} of type {type}: KubeVirt cannot take it.");
                continue;
            }
            if (path is null)
            {
                w.Lost($"Empty {device} drive {dev}: KubeVirt has no drive without a medium.");
                continue;
            }
            bool cdrom = device == "cdrom";
            if (cdrom && !cloudInitDone && w.Options.CloudInitUserData is string userData && IsSeed(path))
            {
                cloudInitDone = true;
                string ci = w.UniqueName("cloudinitdisk");
                w.Disks.Add(new YamlMap { { "name", ci }, { "disk", new YamlMap { { "bus", "virtio" } } } });
                w.Volumes.Add(new YamlMap { { "name", ci }, { "cloudInitNoCloud", new YamlMap { { "userData", userData } } } });
                w.Note($"NoCloud seed {path} ({dev}) → cloudInitNoCloud with the given user-data.");
                continue;
            }
            if (cdrom && IsSeed(path))
            {
                w.Note($"NoCloud seed {path} ({dev}) is kept as a CD-ROM (cloud-init finds it by its cidata label); give -CloudInitUserData for a cloudInitNoCloud volume instead.");
            }
            string name = w.UniqueName(dev);
            var target = new YamlMap { { "bus", Bus(w, dev, bus, cdrom) } };
            if (disk.Element("readonly") is not null && !cdrom)
            {
                target.Add("readonly", true);
            }
            var entry = new YamlMap { { "name", name }, { cdrom ? "cdrom" : "disk", target } };
            if (device == "lun")
            {
                w.Note($"{dev} was a SCSI LUN (device='lun'): written as a disk; KubeVirt's lun needs a block PVC.");
            }
            AddDriver(w, disk, dev, entry);
            if ((string?)disk.Element("boot")?.Attribute("order") is string order && int.TryParse(order, out int o))
            {
                entry.Add("bootOrder", o);
            }
            else if (bootOrder.TryGetValue(cdrom ? "cdrom" : "hd", out int bo) && !w.Disks.OfType<YamlMap>().Any(x => x["bootOrder"] is int b && b == bo))
            {
                entry.Add("bootOrder", bo);
            }
            if (disk.Element("shareable") is not null)
            {
                entry.Add("shareable", true);
            }
            if (disk.Element("serial")?.Value is string serial)
            {
                entry.Add("serial", serial);
            }
            w.Disks.Add(entry);
            AddVolume(w, name, path, cdrom);
        }
    }

    private static bool IsSeed(string path) => Path.GetFileName(path).Contains("cidata", StringComparison.OrdinalIgnoreCase);

    private static string Bus(KubeVirtWork w, string dev, string bus, bool cdrom)
    {
        if (cdrom)
        {
            if (bus is "sata" or "scsi")
            {
                return bus;
            }
            w.Note($"CD-ROM {dev} on bus {bus} → sata (KubeVirt's CD-ROMs are on sata or scsi).");
            return "sata";
        }
        if (bus is "virtio" or "sata" or "scsi" or "usb")
        {
            return bus;
        }
        w.Note($"Disk {dev} on bus {bus} → sata (KubeVirt's disks are on virtio, sata, scsi or usb).");
        return "sata";
    }

    private static void AddDriver(KubeVirtWork w, XElement disk, string dev, YamlMap entry)
    {
        XElement? driver = disk.Element("driver");
        if ((string?)driver?.Attribute("cache") is string cache)
        {
            if (cache is "none" or "writethrough" or "writeback")
            {
                entry.Add("cache", cache);
            }
            else
            {
                w.Lost($"Disk {dev} cache mode '{cache}': KubeVirt offers none, writethrough and writeback.");
            }
        }
        if ((string?)driver?.Attribute("io") is string io)
        {
            if (io is "native" or "threads")
            {
                entry.Add("io", io);
            }
            else
            {
                w.Lost($"Disk {dev} io mode '{io}': KubeVirt offers native and threads.");
            }
        }
        if ((string?)driver?.Attribute("iothread") is string)
        {
            entry.Add("dedicatedIOThread", true);
            w.Note($"Disk {dev} had an iothread of its own → dedicatedIOThread.");
        }
        if ((string?)driver?.Attribute("discard") is string discard && discard != "ignore")
        {
            w.Lost($"Disk {dev} discard='{discard}': KubeVirt sets discard from the volume itself.");
        }
    }

    private static void AddVolume(KubeVirtWork w, string name, string path, bool cdrom)
    {
        var volume = new YamlMap { { "name", name } };
        string objectName = w.UniqueName($"{w.Name}-{name}");
        ulong? size = w.Options.DiskSize(path);
        string ns = w.Options.Namespace is { } n ? $" --namespace {KubeVirtWork.Shell(n)}" : "";
        switch (w.Options.DiskSource)
        {
            case KvmKubeVirtDiskSource.ContainerDisk:
            {
                string image = (w.Options.ImageRegistry is { Length: > 0 } reg ? reg.TrimEnd('/') + "/" : "") + objectName + ":latest";
                volume.Add("containerDisk", new YamlMap { { "image", image } });
                string dir = $"{objectName}-image";
                w.Steps.Add($"mkdir -p {dir} && cp {KubeVirtWork.Shell(path)} {dir}/disk.img");
                w.Steps.Add($"printf 'FROM scratch\\nADD --chown=107:107 disk.img /disk/\\n' > {dir}/Containerfile");
                w.Steps.Add($"podman build -t {image} {dir} && podman push {image}");
                break;
            }
            case KvmKubeVirtDiskSource.Pvc:
                volume.Add("persistentVolumeClaim", new YamlMap { { "claimName", objectName } });
                w.Steps.Add($"virtctl image-upload pvc {objectName} --size={Size(w, path, size)} --image-path={KubeVirtWork.Shell(path)}" +
                    (w.Options.StorageClass is { } sc ? $" --storage-class={KubeVirtWork.Shell(sc)}" : "") + ns);
                break;
            default:
                volume.Add("dataVolume", new YamlMap { { "name", objectName } });
                var storage = new YamlMap { { "resources", new YamlMap { { "requests", new YamlMap { { "storage", Size(w, path, size) } } } } } };
                if (w.Options.StorageClass is { } cls)
                {
                    storage.Add("storageClassName", cls);
                }
                var meta = new YamlMap { { "name", objectName } };
                meta.Add("namespace", w.Options.Namespace);
                w.DataVolumes.Add(new YamlMap
                {
                    { "apiVersion", "cdi.kubevirt.io/v1beta1" },
                    { "kind", "DataVolume" },
                    { "metadata", meta },
                    { "spec", new YamlMap { { "source", new YamlMap { { "upload", new YamlMap() } } }, { "storage", storage } } },
                });
                w.Steps.Add($"virtctl image-upload dv {objectName} --no-create --image-path={KubeVirtWork.Shell(path)}{ns}");
                break;
        }
        if (cdrom && w.Options.DiskSource == KvmKubeVirtDiskSource.ContainerDisk)
        {
            w.Note($"CD-ROM {name} comes from a container image of {path}.");
        }
        w.Volumes.Add(volume);
    }

    private static string Size(KubeVirtWork w, string path, ulong? size)
    {
        if (size is ulong s && s > 0)
        {
            return KubeVirtQuantity.RoundUpMi(s);
        }
        w.Note($"The size of {path} is unknown here: the claim asks for {KubeVirtQuantity.FromBytes(FallbackSize)}; set it to at least the image's virtual size.");
        return KubeVirtQuantity.FromBytes(FallbackSize);
    }
}
