using System.Net;
using KvmPS.Engine.Domains;
using Xunit;

namespace KvmPS.Engine.Tests.Domains;

/// <summary>The user-data New-KvmVM writes for -SshKey and -RootPasswordGenerate, as virt-install's --cloud-init writes it.</summary>
public sealed class VmCloudInitUserDataTests : IDisposable
{
    private const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyOnly admin@example";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kvmps-ciuser-" + Guid.NewGuid().ToString("N"));

    public VmCloudInitUserDataTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static VmRequest Vm(VmInstallOptions o) => new() { Name = "ci", MemoryBytes = 1UL << 30, DiskPath = "/x.qcow2", DiskSizeBytes = 1UL << 30, Install = o };

    [Fact]
    public void Writes_roots_keys_from_text_and_from_a_pub_file()
    {
        string pub = Path.Combine(_dir, "id.pub");
        File.WriteAllText(pub, "ssh-rsa AAAAB3Nza other@example\n");
        string text = VmCloudInitUserData.Compose(Vm(new() { SshKeys = new[] { Key, pub } }), out var password);
        Assert.Null(password);
        Assert.Equal($"#cloud-config\nusers:\n  - name: root\n    ssh-authorized-keys:\n      - {Key}\n      - ssh-rsa AAAAB3Nza other@example\n", text);
    }

    [Fact]
    public void A_generated_password_is_16_letters_and_digits_to_change_at_first_login_and_comes_back_secure()
    {
        string text = VmCloudInitUserData.Compose(Vm(new() { RootPasswordGenerate = true }), out var password);
        Assert.NotNull(password);
        string plain = new NetworkCredential("", password).Password;
        Assert.Matches("^[A-Za-z0-9]{16}$", plain);
        Assert.Equal($"#cloud-config\nchpasswd:\n  list: |\n    root:{plain}\n  expire: True\n", text);
        VmCloudInitUserData.Compose(Vm(new() { RootPasswordGenerate = true }), out var other);
        Assert.NotEqual(plain, new NetworkCredential("", other).Password);
    }

    [Fact]
    public void Refuses_generated_parts_with_a_whole_user_data_and_a_key_that_is_none()
    {
        var twice = Assert.Throws<VmRequestException>(() => VmProvisioner.CheckRequest(Vm(new() { RootPasswordGenerate = true }) with { CloudInitUserData = "#cloud-config\n" }));
        Assert.Equal("CloudInitGivenTwice", twice.ErrorId);
        var bad = Assert.Throws<VmRequestException>(() => VmCloudInitUserData.Compose(Vm(new() { SshKeys = new[] { Path.Combine(_dir, "missing.pub") } }), out _));
        Assert.Equal("InvalidSshKey", bad.ErrorId);
        var noStorage = Assert.Throws<VmRequestException>(() => VmProvisioner.CheckRequest(new VmRequest { Name = "ci", MemoryBytes = 1UL << 30, Install = new() { SshKeys = new[] { Key } } }));
        Assert.Equal("CloudInitWithoutStorage", noStorage.ErrorId);
    }

    [Fact]
    public void Keys_a_password_or_a_network_config_alone_ask_for_a_seed()
    {
        Assert.False(VmCloudInitUserData.Wanted(Vm(new())));
        Assert.True(VmCloudInitUserData.Wanted(Vm(new() { SshKeys = new[] { Key } })));
        Assert.True(VmCloudInitUserData.Wanted(Vm(new() { RootPasswordGenerate = true })));
        Assert.True(VmCloudInitUserData.Wanted(Vm(new() { CloudInitNetworkConfig = "version: 2\n" })));
        Assert.Equal("version: 2\n", VmCloudInitUserData.NetworkConfig(Vm(new() { CloudInitNetworkConfig = "version: 2\n" })));
    }
}
