using KvmPS.Engine.Domains;
using KvmPS.Engine.Storage;
using Xunit;

namespace KvmPS.Engine.Tests.Robustness;

/// <summary>What is left when an undo cannot run, said with the command that removes it; leftovers recognised on the rerun.</summary>
public class LeftoverTests
{
    [Fact]
    public void Commands_quote_names_for_PowerShell()
    {
        Assert.Equal("Remove-KvmVolume -Pool 'images' -Name 'o''brien.qcow2' -Uri 'qemu:///system' -Confirm:$false",
            Leftover.RemoveVolumeCommand("images", "o'brien.qcow2", "qemu:///system"));
        Assert.Equal("Remove-KvmVM -Name 'web1' -DeleteStorage -Confirm:$false", Leftover.RemoveVMCommand("web1", ""));
    }

    [Fact]
    public void A_pending_step_whose_undo_cannot_run_names_the_removal_command()
    {
        var undo = new UndoLog();
        undo.Record("first", () => "undid first", e => "first failed");
        undo.RecordPending("Volume 'images/web1.qcow2'",
            () => throw new LibvirtException("virStoragePoolLookupByName", LibvirtErrorCode.InternalError, 7, "client socket is closed"),
            Leftover.RemoveVolumeCommand("images", "web1.qcow2", "qemu:///system"));
        var (done, failed) = undo.Rollback();
        Assert.Equal(new[] { "undid first" }, done);
        string warning = Assert.Single(failed);
        Assert.StartsWith("Volume 'images/web1.qcow2' was left on the host", warning);
        Assert.Contains("client socket is closed", warning);
        Assert.EndsWith("Remove it with: Remove-KvmVolume -Pool 'images' -Name 'web1.qcow2' -Uri 'qemu:///system' -Confirm:$false", warning);
    }

    [Theory]
    [InlineData(10UL << 30, "qcow2", 196_608UL, 0, true)]
    [InlineData(10UL << 30, "qcow2", 196_608UL, 1, false)]
    [InlineData(10UL << 30, "qcow2", 50UL << 20, 0, false)]
    [InlineData(20UL << 30, "qcow2", 196_608UL, 0, false)]
    [InlineData(10UL << 30, "raw", 0UL, 0, false)]
    public void Only_an_unused_never_written_volume_of_the_same_size_and_format_counts_as_untouched(
        ulong capacity, string format, ulong allocation, int users, bool untouched)
    {
        var existing = new VolumeDefinition { Name = "web1.qcow2", CapacityBytes = capacity, AllocationBytes = allocation, Format = format };
        Assert.Equal(untouched, Leftover.IsUntouchedVolume(existing, 10UL << 30, "qcow2", users));
    }

    [Fact]
    public void A_partial_upload_is_recognised_by_its_mark_or_as_never_written()
    {
        var vol = new VolumeDefinition { Name = "img", CapacityBytes = 1 << 20, AllocationBytes = 1 << 20 };
        byte[] marked = VolumeImporter.PartialMark.Concat(new byte[8]).ToArray();
        Assert.True(VolumeImporter.IsPartialUpload(marked, vol, 1 << 20));
        Assert.False(VolumeImporter.IsPartialUpload("QFI\xfb"u8.ToArray(), vol, 1 << 20));
        var fresh = vol with { AllocationBytes = 0 };
        byte[] zeros = new byte[VolumeImporter.PartialMark.Length];
        Assert.True(VolumeImporter.IsPartialUpload(zeros, fresh, 1 << 20));
        Assert.False(VolumeImporter.IsPartialUpload(zeros, fresh, 2 << 20));
        Assert.False(VolumeImporter.IsPartialUpload(zeros, vol with { AllocationBytes = 100 << 20 }, 1 << 20));
    }

    [Fact]
    public void The_rerun_takes_over_its_own_untouched_volume_and_refuses_any_other()
    {
        using var conn = LibvirtConnection.Open("test:///default");
        string name = "left-" + Guid.NewGuid().ToString("N")[..8] + ".img";
        string dir = Path.Combine(Path.GetTempPath(), "kvmps-pending-" + Guid.NewGuid().ToString("N"));
        var pending = new PendingVolumes(dir);
        var (path, reused) = VmStorage.CreatePoolVolume(conn, "default-pool", name, 1 << 20, "raw", pending);
        try
        {
            Assert.False(reused);
            Assert.True(pending.Contains(conn.Uri, "default-pool", name));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Directory.GetFiles(dir).Single()));
            }
            // The run was interrupted here (the entry stays): the rerun takes the volume over.
            var again = VmStorage.CreatePoolVolume(conn, "default-pool", name, 1 << 20, "raw", pending);
            Assert.True(again.Reused);
            Assert.Equal(path, again.Path);
            // Another size is not this request's volume.
            var e = Assert.Throws<InvalidOperationException>(() => VmStorage.CreatePoolVolume(conn, "default-pool", name, 2 << 20, "raw", pending));
            Assert.Contains($"Remove-KvmVolume -Pool 'default-pool' -Name '{name}'", e.Message);
            // Without a journal entry (a disk kept on purpose) it is never taken.
            pending.Remove(conn.Uri, "default-pool", name);
            Assert.Throws<InvalidOperationException>(() => VmStorage.CreatePoolVolume(conn, "default-pool", name, 1 << 20, "raw", pending));
        }
        finally
        {
            VmStorage.DeletePoolVolumeIfExists(conn, "default-pool", name);
            Directory.Delete(dir, recursive: true);
        }
        Assert.StartsWith("Volume 'default-pool/", VmStorage.DeletePoolVolumeIfExists(conn, "default-pool", name));
    }

    [Fact]
    public void Commit_runs_what_waits_for_success_and_rollback_does_not()
    {
        int committed = 0;
        var ok = new UndoLog();
        ok.OnCommit(() => committed++);
        ok.Commit();
        Assert.Equal(1, committed);
        var failed = new UndoLog();
        failed.OnCommit(() => committed++);
        failed.Rollback();
        Assert.Equal(1, committed);
    }

    [Fact]
    public void Memory_beyond_what_any_guest_can_address_is_refused_before_the_host_is_asked()
    {
        Assert.Null(GuestLimits.MemoryProblem("vm", 1UL << 50));
        string? problem = GuestLimits.MemoryProblem("vm", 1UL << 53);
        Assert.NotNull(problem);
        Assert.Contains("8 PiB", problem);
        Assert.Contains("4 PiB", problem);
        var e = Assert.Throws<VmRequestException>(() => VmProvisioner.CheckRequest(new VmRequest { Name = "huge", MemoryBytes = ulong.MaxValue }));
        Assert.Equal("MemoryTooLarge", e.ErrorId);
        Assert.Equal(KvmErrorKind.InvalidArgument, e.Kind);
    }
}
