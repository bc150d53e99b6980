using System.Xml.Linq;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests;

/// <summary>The per-OS setup of a new VM: what is decided for a request, and what it changes in the built definition.</summary>
public sealed class VmGuestSetupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kvmps-guestsetup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly VmHostDevices FullHost = new()
    {
        Spice = true, VideoVirtio = true, VideoQxl = true, VideoBochs = true, TpmEmulator = true, TpmCrb = true, Efi = true,
    };

    private static VmRequest Request(string name = "vm") => new() { Name = name, MemoryBytes = 1UL << 30 };

    private static XElement Built(VmGuestSetup setup, string machine, int nics = 1)
    {
        var spec = new VmSpec
        {
            Name = "vm", MemoryBytes = 1UL << 30, Machine = machine, Firmware = setup.Firmware, Graphics = setup.Graphics,
            VirtioDisk = setup.Os.VirtioDisk, VirtioNet = setup.Os.VirtioNet,
            Disks = { new VmDiskSpec { Path = "/images/vm.qcow2", Format = "qcow2", Owned = true } },
            Nics = Enumerable.Range(0, nics).Select(_ => new VmNicSpec { Network = "default" }).ToList(),
        };
        XElement xml = DomainXmlBuilder.Build(spec);
        setup.ApplyTo(xml);
        return xml;
    }

    private static IEnumerable<string> Models(XElement xml, string device) =>
        xml.Element("devices")!.Elements(device).Select(e => (string?)e.Attribute("model") ?? (string?)e.Element("model")?.Attribute("type") ?? "");

    [Fact]
    public void Left_out_graphics_is_spice_where_the_host_has_it_else_vnc()
    {
        VmRequest r = Request() with { GraphicsGiven = false };
        Assert.Equal(VmGraphics.Spice, VmGuestSetup.Plan(r, VmOsDefaults.Generic, FullHost, true).Graphics);
        Assert.Equal(VmGraphics.Vnc, VmGuestSetup.Plan(r, VmOsDefaults.Generic, FullHost with { Spice = false }, true).Graphics);
        Assert.Equal(VmGraphics.Vnc, VmGuestSetup.Plan(r with { GraphicsGiven = true, Graphics = VmGraphics.Vnc }, VmOsDefaults.Generic, FullHost, true).Graphics);
    }

    [Fact]
    public void An_os_that_needs_them_gets_uefi_secure_boot_and_a_tpm_unless_firmware_is_given()
    {
        var win11 = VmOsDefaults.Generic with { Q35 = true, RequiresEfi = true, RequiresSecureBoot = true, RequiresTpm = true };
        VmGuestSetup auto = VmGuestSetup.Plan(Request() with { FirmwareGiven = false }, win11, FullHost, true);
        Assert.Equal(VmFirmware.Uefi, auto.Firmware);
        Assert.True(auto.SecureBoot);
        Assert.True(auto.Tpm);
        Assert.True(auto.WantsQ35);

        VmGuestSetup bios = VmGuestSetup.Plan(Request() with { FirmwareGiven = true, Firmware = VmFirmware.Bios }, win11, FullHost, true);
        Assert.Equal(VmFirmware.Bios, bios.Firmware);
        Assert.False(bios.SecureBoot);
    }

    [Fact]
    public void Uefi_guests_get_a_tpm_where_the_host_emulates_one_and_secure_boot_moves_to_q35()
    {
        VmRequest uefi = Request() with { Firmware = VmFirmware.Uefi };
        Assert.True(VmGuestSetup.Plan(uefi, VmOsDefaults.Generic, FullHost, true).Tpm);
        Assert.False(VmGuestSetup.Plan(uefi, VmOsDefaults.Generic, FullHost with { TpmEmulator = false }, true).Tpm);
        Assert.False(VmGuestSetup.Plan(Request(), VmOsDefaults.Generic, FullHost, true).Tpm);
        Assert.True(VmGuestSetup.Plan(Request() with { Tpm = true }, VmOsDefaults.Generic, FullHost, true).Tpm);

        VmGuestSetup secure = VmGuestSetup.Plan(uefi with { SecureBoot = true }, VmOsDefaults.Generic, FullHost, true);
        Assert.True(secure.WantsQ35);
        XElement xml = Built(secure, "q35");
        XElement os = xml.Element("os")!;
        Assert.Equal("efi", (string?)os.Attribute("firmware"));
        Assert.Equal(new[] { "enrolled-keys", "secure-boot" },
            os.Element("firmware")!.Elements("feature").Where(f => (string?)f.Attribute("enabled") == "yes").Select(f => (string)f.Attribute("name")!).Order());
        Assert.Equal("on", (string?)xml.Element("features")!.Element("smm")?.Attribute("state"));
        XElement tpm = xml.Element("devices")!.Element("tpm")!;
        Assert.Equal("tpm-crb", (string?)tpm.Attribute("model"));
        Assert.Equal("emulator", (string?)tpm.Element("backend")!.Attribute("type"));
        Assert.Equal("2.0", (string?)tpm.Element("backend")!.Attribute("version"));
    }

    [Fact]
    public void Secure_boot_with_bios_firmware_is_refused()
    {
        var e = Assert.Throws<VmRequestException>(() => VmGuestSetup.Check(Request() with { SecureBoot = true, FirmwareGiven = true, Firmware = VmFirmware.Bios }));
        Assert.Equal("SecureBootWithoutUefi", e.ErrorId);
        VmGuestSetup.Check(Request() with { SecureBoot = true, FirmwareGiven = false });
    }

    [Fact]
    public void Generic_gets_usb2_e1000_and_no_virtio_extras()
    {
        VmGuestSetup g = VmGuestSetup.Plan(Request() with { GraphicsGiven = false }, VmOsDefaults.Generic, FullHost, true);
        XElement xml = Built(g, "pc");
        Assert.Equal(new[] { "ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3" },
            xml.Element("devices")!.Elements("controller").Where(c => (string?)c.Attribute("type") == "usb").Select(c => (string)c.Attribute("model")!));
        Assert.Equal("ide", (string?)xml.Element("devices")!.Element("disk")!.Element("target")!.Attribute("bus"));
        Assert.Equal(new[] { "e1000" }, Models(xml, "interface"));
        Assert.Empty(xml.Element("devices")!.Elements("rng"));
        Assert.Empty(xml.Element("devices")!.Elements("memballoon"));
        Assert.DoesNotContain(xml.Element("devices")!.Elements("channel"), c => (string?)c.Element("target")?.Attribute("name") == "org.qemu.guest_agent.0");
        // SPICE: its channel, sound (ich6 on i440fx), two USB redirections, qxl, vmport off
        Assert.Contains(xml.Element("devices")!.Elements("channel"), c => (string?)c.Attribute("type") == "spicevmc");
        Assert.Equal(new[] { "ich6" }, Models(xml, "sound"));
        Assert.Equal(2, xml.Element("devices")!.Elements("redirdev").Count(d => (string?)d.Attribute("type") == "spicevmc"));
        Assert.Equal(new[] { "qxl" }, Models(xml, "video"));
        Assert.Equal("off", (string?)xml.Element("features")!.Element("vmport")?.Attribute("state"));
        Assert.Equal("off", (string?)xml.Element("devices")!.Element("graphics")!.Element("image")?.Attribute("compression"));
    }

    [Fact]
    public void An_os_with_rtl8139_only_gets_it_on_i440fx_and_q35_gets_e1000e()
    {
        var old = VmOsDefaults.Generic with { LegacyNicModel = "rtl8139" };
        Assert.Equal(new[] { "rtl8139" }, Models(Built(VmGuestSetup.Plan(Request(), old, FullHost, true), "pc"), "interface"));
        Assert.Equal(new[] { "e1000e" }, Models(Built(VmGuestSetup.Plan(Request(), old with { Q35 = true }, FullHost, true), "q35"), "interface"));
    }

    [Fact]
    public void Windows_gets_hyperv_enlightenments_hypervclock_and_localtime()
    {
        var win = VmOsDefaults.Generic with { Q35 = true, Usb3 = true, IsWindows = true, ClockOffset = "localtime" };
        XElement xml = Built(VmGuestSetup.Plan(Request(), win, FullHost, true), "q35");
        XElement hyperv = xml.Element("features")!.Element("hyperv")!;
        Assert.Equal("on", (string?)hyperv.Element("relaxed")!.Attribute("state"));
        Assert.Equal("on", (string?)hyperv.Element("vapic")!.Attribute("state"));
        Assert.Equal("8191", (string?)hyperv.Element("spinlocks")!.Attribute("retries"));
        XElement clock = xml.Element("clock")!;
        Assert.Equal("localtime", (string?)clock.Attribute("offset"));
        Assert.Contains(clock.Elements("timer"), t => (string?)t.Attribute("name") == "hypervclock" && (string?)t.Attribute("present") == "yes");
        Assert.Equal("sata", (string?)xml.Element("devices")!.Element("disk")!.Element("target")!.Attribute("bus"));
        Assert.Equal(new[] { "qemu-xhci" }, Models(xml, "controller").Where(m => m.Contains("xhci") || m.Contains("hci")));
    }

    [Fact]
    public void Video_is_virtio_where_the_os_has_the_driver_else_qxl_with_spice_else_bochs_for_uefi()
    {
        var linux = VmOsDefaults.Unspecified with { VirtioGpu = true };
        Assert.Equal("virtio", VmGuestSetup.Plan(Request(), linux, FullHost, true).VideoModel());
        Assert.Equal("vga", VmGuestSetup.Plan(Request(), linux, FullHost with { VideoVirtio = false }, true).VideoModel());
        Assert.Equal("qxl", VmGuestSetup.Plan(Request() with { Graphics = VmGraphics.Spice }, VmOsDefaults.Generic, FullHost, true).VideoModel());
        Assert.Equal("bochs", VmGuestSetup.Plan(Request() with { Firmware = VmFirmware.Uefi }, VmOsDefaults.Generic, FullHost, true).VideoModel());
        Assert.Equal("vga", VmGuestSetup.Plan(Request(), VmOsDefaults.Generic, FullHost, true).VideoModel());
    }

    [Fact]
    public void A_request_that_boots_something_needs_an_os_variant()
    {
        foreach (VmRequest r in new[]
        {
            Request() with { Cdrom = "/isos/win.iso" }, Request() with { Kernel = "/boot/vmlinuz" },
            Request() with { Import = true, DiskPath = "/images/a.qcow2" },
        })
        {
            var e = Assert.Throws<VmRequestException>(() => VmProvisioner.CheckRequest(r));
            Assert.Equal("OSVariantRequired", e.ErrorId);
            Assert.Equal(KvmErrorKind.InvalidArgument, e.Kind);
            Assert.Contains("-OSVariant generic", e.Message);
        }
        Assert.Null(VmProvisioner.CheckRequest(Request() with { Cdrom = "/isos/x.iso", OSVariant = "generic" }));
        Assert.Null(VmProvisioner.CheckRequest(Request()));
        var existing = Assert.Throws<VmRequestException>(() => VmGuestPlanner.RequireOSVariant(Request() with { DiskPath = "/images/a.qcow2" }, existingDisk: true));
        Assert.Equal("OSVariantRequired", existing.ErrorId);
    }

    [Fact]
    public void New_qcow2_images_are_v3_with_lazy_refcounts_in_a_pool_and_by_path()
    {
        XElement vol = XElement.Parse(StorageVolumeXml.Build(new VolumeDefinition { Name = "a.qcow2", CapacityBytes = 1UL << 30, Format = "qcow2" }));
        Assert.Equal("1.1", vol.Element("target")!.Element("compat")!.Value);
        Assert.NotNull(vol.Element("target")!.Element("features")!.Element("lazy_refcounts"));
        XElement raw = XElement.Parse(StorageVolumeXml.Build(new VolumeDefinition { Name = "a.img", CapacityBytes = 1UL << 30, Format = "raw" }));
        Assert.Null(raw.Element("target")!.Element("compat"));
        Assert.Contains("compat=1.1,lazy_refcounts=on", VmStorage.QemuImgCreateArguments("/x.qcow2", 1UL << 30, "qcow2"));
        Assert.DoesNotContain("compat=1.1,lazy_refcounts=on", VmStorage.QemuImgCreateArguments("/x.img", 1UL << 30, "raw"));
    }

    [FactNeedsPrograms("qemu-img")]
    public async Task A_qcow2_made_by_path_reports_compat_1_1_and_lazy_refcounts()
    {
        string path = Path.Combine(_dir, "a.qcow2");
        await VmStorage.CreateImageFileAsync(path, 1UL << 20, "qcow2", CancellationToken.None);
        var info = CliWrap.Cli.Wrap("qemu-img").WithArguments(new[] { "info", "--output=json", path });
        var result = await CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(info);
        Assert.Contains("\"compat\": \"1.1\"", result.StandardOutput);
        Assert.Contains("\"lazy-refcounts\": true", result.StandardOutput);
    }

    [Fact]
    public void Domain_capabilities_are_read_for_video_spice_tpm_and_efi()
    {
        const string caps = """
            <domainCapabilities><os supported='yes'><enum name='firmware'><value>efi</value></enum></os>
            <devices>
              <graphics supported='yes'><enum name='type'><value>vnc</value><value>spice</value></enum></graphics>
              <video supported='yes'><enum name='modelType'><value>vga</value><value>qxl</value><value>bochs</value></enum></video>
              <tpm supported='yes'><enum name='model'><value>tpm-tis</value><value>tpm-crb</value></enum><enum name='backendModel'><value>emulator</value></enum></tpm>
            </devices></domainCapabilities>
            """;
        VmHostDevices d = VmHostDevices.Parse(caps);
        Assert.True(d.Spice && d.VideoQxl && d.VideoBochs && d.TpmEmulator && d.TpmCrb && d.Efi);
        Assert.False(d.VideoVirtio);
        Assert.False(VmHostDevices.Parse("<domainCapabilities/>").Spice);
    }
}
