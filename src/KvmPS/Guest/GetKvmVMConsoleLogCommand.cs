using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Guest;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Reads the serial console log file a VM's definition names (local hosts only: libvirt writes it on the VM's host).</summary>
[Cmdlet(VerbsCommon.Get, "KvmVMConsoleLog")]
[OutputType(typeof(string))]
public sealed class GetKvmVMConsoleLogCommand : KvmGuestCmdlet
{
    /// <summary>Only the last N lines.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Tail { get; set; } = -1;

    /// <summary>The serial port whose log to read (target port); by default the first device with a log.</summary>
    [Parameter]
    [ValidateRange(0, 255)]
    public int Port { get; set; }

    protected override void ProcessGuest(LibvirtConnection conn, DomainHandle domain, string name)
    {
        var logs = ConsoleLogFile.Find(LibvirtConnection.GetXml(domain));
        bool byPort = MyInvocation.BoundParameters.ContainsKey(nameof(Port));
        ConsoleLogFile.Entry? entry = byPort ? logs.FirstOrDefault(l => l.Port == Port) : logs.FirstOrDefault();
        if (entry is null)
        {
            string which = byPort ? $"serial port {Port} with" : "a serial or console device with";
            WriteError(ErrorHelper.Create(new ItemNotFoundException(name), "ConsoleLogNotConfigured", ErrorCategory.ObjectNotFound, name,
                $"VM '{name}' has no {which} a log file (<log file='...'/> or a serial of type file) in its definition. Use Enter-KvmVMConsole to read the console live."));
            return;
        }
        if (!conn.IsLocal)
        {
            WriteError(ErrorHelper.Create(new NotSupportedException(entry.Path), "ConsoleLogNotLocal", ErrorCategory.ResourceUnavailable, name,
                $"The console log of VM '{name}' is the file '{entry.Path}' on the host of {conn.Uri}; libvirt offers no way to read a host's files remotely. Read it on that host, or use Enter-KvmVMConsole, which works remotely."));
            return;
        }
        if (!File.Exists(entry.Path))
        {
            WriteError(ErrorHelper.Create(new FileNotFoundException(entry.Path), "ConsoleLogNotFound", ErrorCategory.ObjectNotFound, name,
                $"The console log '{entry.Path}' of VM '{name}' does not exist (yet): libvirt creates it when the VM starts."));
            return;
        }
        foreach (string line in ConsoleLogFile.ReadLines(entry.Path, MyInvocation.BoundParameters.ContainsKey(nameof(Tail)) ? Tail : null))
        {
            WriteObject(line);
        }
    }
}
