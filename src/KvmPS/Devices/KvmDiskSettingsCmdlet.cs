using System.Management.Automation;

namespace KvmPS.Commands;

/// <summary>The disk settings Add-KvmDisk and Set-KvmDisk share; a setting not given stays as it is.</summary>
public abstract class KvmDiskSettingsCmdlet : KvmDeviceCmdlet
{
    /// <summary>Host cache mode.</summary>
    [Parameter]
    public KvmDiskCache Cache { get; set; }

    /// <summary>I/O mode; Native needs cache None or DirectSync.</summary>
    [Parameter]
    public KvmDiskIO IO { get; set; }

    /// <summary>Passes the guest's discard (TRIM) requests to the image (discard=unmap); -Discard:$false stops it.</summary>
    [Parameter]
    public SwitchParameter Discard { get; set; }

    /// <summary>Read-only disk; -ReadOnly:$false makes it writable.</summary>
    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    /// <summary>Returns the VM after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected KvmDiskCache? GivenCache => IsBound(nameof(Cache)) ? Cache : null;

    protected KvmDiskIO? GivenIO => IsBound(nameof(IO)) ? IO : null;
}
