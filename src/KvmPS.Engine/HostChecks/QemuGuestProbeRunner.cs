using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using CliWrap;

namespace KvmPS.Engine.HostChecks;

/// <summary>
/// Runs the test guest with qemu-system-x86_64 directly (no libvirt): the boot sector in a file
/// only the user can read, in a directory only the user can enter, removed afterwards; the serial
/// port on QEMU's stdout; QEMU killed when the timeout passes.
/// </summary>
public sealed class QemuGuestProbeRunner : IGuestProbeRunner
{
    public static readonly QemuGuestProbeRunner Instance = new();

    /// <summary>The CPU model: one that KVM without VT-x/AMD-V (kvm_pvm) accepts too, so QEMU starts and the guest itself tells.</summary>
    public const string CpuModel = "qemu64";

    /// <summary>QEMU's arguments for the boot sector at <paramref name="imagePath"/>.</summary>
    public static IReadOnlyList<string> Arguments(string accelerator, string imagePath) => new[]
    {
        "-accel", accelerator,
        "-cpu", CpuModel,
        "-machine", "pc",
        "-m", "16",
        "-smp", "1",
        "-nodefaults",
        "-no-user-config",
        "-display", "none",
        "-no-reboot",
        "-serial", "stdio",
        "-device", $"isa-debug-exit,iobase=0x{GuestProbeImage.DebugExitPort:x},iosize=0x04",
        // Commas in an option value are doubled for QEMU's option parser. Not read-only: IDE disks cannot be.
        "-drive", $"file={imagePath.Replace(",", ",,")},format=raw,if=ide,index=0,media=disk",
    };

    [UnsupportedOSPlatform("windows")]
    public GuestProbeResult Run(GuestProbeRequest request, CancellationToken cancel)
    {
        DirectoryInfo dir = Directory.CreateTempSubdirectory("kvmps-probe-");
        try
        {
            File.SetUnixFileMode(dir.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string image = Path.Combine(dir.FullName, "boot.img");
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var f = new FileStream(image, options))
            {
                f.Write(GuestProbeImage.Build());
            }
            return Execute(request, image, cancel);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static GuestProbeResult Execute(GuestProbeRequest request, string image, CancellationToken cancel)
    {
        var serial = new StringBuilder();
        var error = new StringBuilder();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(request.Timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            CommandResult result = Cli.Wrap(request.QemuPath)
                .WithArguments(Arguments(request.Accelerator, image))
                .WithValidation(CommandResultValidation.None)
                .WithStandardOutputPipe(PipeTarget.ToStringBuilder(serial, Encoding.Latin1))
                .WithStandardErrorPipe(PipeTarget.ToStringBuilder(error))
                .ExecuteAsync(timeout.Token)
                .GetAwaiter().GetResult();
            return new GuestProbeResult(serial.ToString(), result.ExitCode, false, error.ToString().Trim(), clock.Elapsed);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            // CliWrap killed QEMU; what the guest wrote until then stays in the builder.
            return new GuestProbeResult(serial.ToString(), null, true, error.ToString().Trim(), clock.Elapsed);
        }
        catch (Win32Exception e)
        {
            return new GuestProbeResult("", null, false, $"{request.QemuPath} could not start: {e.Message}", clock.Elapsed);
        }
    }
}
