using System.Management.Automation;
using KvmPS.Engine.Storage;

namespace KvmPS.Commands;

/// <summary>Changes the virtual size of a volume. Growing is safe; shrinking must be allowed with -AllowShrink.</summary>
[Cmdlet(VerbsCommon.Resize, "KvmVolume", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVolume))]
public sealed class ResizeKvmVolumeCommand : StorageVolumeCmdlet
{
    /// <summary>The new virtual size in bytes.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateSize]
    public ulong Size { get; set; }

    /// <summary>Allows a size below the current one: whatever lies beyond the new end is lost (asked for as a High-impact action).</summary>
    [Parameter]
    public SwitchParameter AllowShrink { get; set; }

    /// <summary>Does not ask for confirmation (with -AllowShrink, the shrink included).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Returns the volume after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string FailureErrorId => "ResizeVolumeFailed";

    protected override void ProcessRecordCore()
    {
        using StorageVolume? vol = FindTargetVolume();
        if (vol is null)
        {
            return;
        }
        string target = VolumeTarget;
        ulong current = vol.GetDefinition().CapacityBytes;
        if (Size == current)
        {
            WriteVerbose($"Volume '{target}' already has {FormatSize(Size)} ({Size} bytes).");
        }
        else if (Size < current && !AllowShrink)
        {
            WriteError(ErrorHelper.InvalidArgument(
                $"Volume '{target}' has {current} bytes; {Size} would shrink it and lose the data past the new end. Add -AllowShrink to do so anyway.",
                "VolumeShrinkRefused", target));
            return;
        }
        else if (ShouldProcess(target, $"{(Size < current ? "Shrink" : "Grow")} volume from {FormatSize(current)} to {FormatSize(Size)}", Force))
        {
            // Growing loses nothing; shrinking destroys the data past the new end, so it is
            // confirmed as a High-impact action even though the cmdlet's impact is Medium.
            if (Size < current && !Force && !ConfirmHighImpact(target, $"Shrink volume to {FormatSize(Size)} (data past the new end is lost)"))
            {
                return;
            }
            vol.Resize(Size, allowShrink: Size < current);
            WriteVerbose($"Resized volume '{target}' from {current} to {Size} bytes.");
        }
        else
        {
            return;
        }
        if (PassThru)
        {
            WriteObject(vol.Describe());
        }
    }
}
