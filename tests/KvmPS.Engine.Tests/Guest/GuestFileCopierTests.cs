using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KvmPS.Engine.Guest;
using Xunit;

namespace KvmPS.Engine.Tests.Guest;

public class GuestFileCopierTests
{
    private static byte[] Random(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    [Fact]
    public void Copies_in_and_out_byte_identical_in_chunks_that_fit_libvirts_string_limit()
    {
        var fake = new FakeGuestAgent();
        var copier = new GuestFileCopier(fake.Agent(), chunkBytes: 100_000);
        byte[] data = Random(1_234_567, 1);
        var progress = new List<long>();
        KvmGuestFileCopy inCopy = copier.ToGuest(new MemoryStream(data), data.Length, "local.bin", "/tmp/x.bin", "640", "test:///", progress.Add, default);

        Assert.Equal(data, fake.Files["/tmp/x.bin"]);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant(), inCopy.Sha256);
        Assert.Equal("sha256sum in the guest", inCopy.VerifiedBy);
        Assert.Equal("640", inCopy.Mode);
        Assert.Equal("640", fake.Modes["/tmp/x.bin"]);
        var writes = fake.Requests.Where(r => r.Contains("guest-file-write")).ToList();
        Assert.Equal(13, writes.Count); // ceil(1,234,567 / 100,000)
        Assert.All(writes, w => Assert.True(w.Length < PayloadLimit.StringMaxBytes));
        Assert.Equal(data.Length, progress[^1]);

        var back = new MemoryStream();
        KvmGuestFileCopy outCopy = copier.FromGuest("/tmp/x.bin", back, "out.bin", "test:///", null, default);
        Assert.Equal(data, back.ToArray());
        Assert.Equal(inCopy.Sha256, outCopy.Sha256);
        Assert.Equal("640", outCopy.Mode);
    }

    [Fact]
    public void The_default_chunk_is_64_KiB_and_a_chunk_too_large_for_libvirt_is_refused()
    {
        var fake = new FakeGuestAgent();
        Assert.Equal(64 * 1024, new GuestFileCopier(fake.Agent()).ChunkBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GuestFileCopier(fake.Agent(), chunkBytes: 4 * 1024 * 1024));
        var copier = new GuestFileCopier(fake.Agent());
        copier.ToGuest(new MemoryStream(new byte[200_000]), 200_000, "l", "/z", null, "u", null, default);
        var sizes = fake.Requests.Where(r => r.Contains("guest-file-write"))
            .Select(r => Convert.FromBase64String(JsonNode.Parse(r)!["arguments"]!["buf-b64"]!.GetValue<string>()).Length).ToList();
        Assert.Equal(new[] { 65536, 65536, 65536, 3392 }, sizes);
    }

    [Fact]
    public void A_copy_that_differs_in_the_guest_is_an_error()
    {
        var fake = new FakeGuestAgent { CorruptWrites = true };
        var e = Assert.Throws<GuestAgentException>(() =>
            new GuestFileCopier(fake.Agent()).ToGuest(new MemoryStream(Random(1000, 2)), 1000, "l", "/tmp/c", null, "u", null, default));
        Assert.Equal(GuestAgentFailure.CommandFailed, e.Failure);
        Assert.Contains("differs", e.Message);
    }

    [Fact]
    public void Without_guest_exec_the_copy_is_read_back_and_the_mode_is_a_warning()
    {
        var fake = new FakeGuestAgent();
        fake.Disabled.UnionWith(new[] { "guest-exec", "guest-exec-status" });
        var copier = new GuestFileCopier(fake.Agent());
        byte[] data = Random(70_000, 3);
        KvmGuestFileCopy r = copier.ToGuest(new MemoryStream(data), data.Length, "l", "/tmp/r", "755", "u", null, default);
        Assert.Equal("read back", r.VerifiedBy);
        Assert.Null(r.Mode);
        Assert.Contains(copier.Warnings, w => w.Contains("--allow-rpcs"));
        Assert.DoesNotContain(fake.Requests, q => q.Contains("\"guest-exec\""));
    }

    [Fact]
    public void A_policy_that_blocks_file_access_is_refused_before_anything_is_sent()
    {
        var fake = new FakeGuestAgent();
        fake.Disabled.Add("guest-file-write");
        var e = Assert.Throws<GuestAgentException>(() =>
            new GuestFileCopier(fake.Agent()).ToGuest(new MemoryStream(new byte[10]), 10, "l", "/tmp/p", null, "u", null, default));
        Assert.Equal(GuestAgentFailure.CommandDisabled, e.Failure);
        Assert.Equal("GuestAgentCommandDisabled", e.ErrorId);
        Assert.DoesNotContain(fake.Requests, q => q.Contains("guest-file-open"));
    }

    [Fact]
    public void A_missing_guest_file_is_a_command_failure_naming_it()
    {
        var fake = new FakeGuestAgent();
        var e = Assert.Throws<GuestAgentException>(() => new GuestFileCopier(fake.Agent()).FromGuest("/no/such", new MemoryStream(), "d", "u", null, default));
        Assert.Equal(GuestAgentFailure.CommandFailed, e.Failure);
        Assert.Contains("/no/such", e.Message);
    }

    [Fact]
    public void A_source_shorter_than_announced_is_an_io_error()
    {
        var fake = new FakeGuestAgent();
        Assert.Throws<IOException>(() => new GuestFileCopier(fake.Agent()).ToGuest(new MemoryStream(new byte[10]), 20, "l", "/tmp/s", null, "u", null, default));
        Assert.Contains(fake.Requests, q => q.Contains("guest-file-close"));
    }
}
