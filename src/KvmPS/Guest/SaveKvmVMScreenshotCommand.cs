using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Guest;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Saves the screen of a running VM as a PNG file (virDomainScreenshot; a PPM from QEMU is converted by the module).</summary>
[Cmdlet(VerbsData.Save, "KvmVMScreenshot", SupportsShouldProcess = true)]
[OutputType(typeof(KvmScreenshot))]
public sealed class SaveKvmVMScreenshotCommand : KvmGuestCmdlet
{
    /// <summary>The PNG file to write; an existing file is replaced. With several VMs, {0} in the path is replaced by each VM's name.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The screen (head) of a VM with several displays; 0 is the first.</summary>
    [Parameter]
    public uint Screen { get; set; }

    protected override void ProcessGuest(LibvirtConnection conn, DomainHandle domain, string name)
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path.Contains("{0}") ? Path.Replace("{0}", name) : Path);
        if (!ShouldProcess($"VM '{name}'", $"Save screen {Screen} to '{path}'"))
        {
            return;
        }
        if (!KvmPS.Engine.Domains.DomainService.IsActive(domain))
        {
            throw new GuestAgentException(GuestAgentFailure.VMNotRunning, $"VM '{name}' is not running: it has no screen to take.");
        }
        var (mime, data) = DomainScreenshot.Take(conn, domain, Screen, CancelToken);
        ScreenshotImage.Png png;
        try
        {
            png = ScreenshotImage.ToPng(mime, data);
        }
        catch (NotSupportedException e)
        {
            WriteError(ErrorHelper.Create(e, "ScreenshotFormatUnknown", ErrorCategory.NotImplemented, name, e.Message));
            return;
        }
        catch (FormatException e)
        {
            WriteError(ErrorHelper.Create(e, "ScreenshotInvalid", ErrorCategory.InvalidData, name, $"The screenshot libvirt returned ({mime}, {data.Length} bytes) cannot be read: {e.Message}"));
            return;
        }
        File.WriteAllBytes(path, png.Bytes);
        WriteObject(new KvmScreenshot
        {
            VMName = name, Path = path, Width = png.Width, Height = png.Height, Screen = Screen,
            SourceMimeType = mime, Converted = png.Converted, Length = png.Bytes.Length, Uri = conn.Uri,
        });
    }
}
