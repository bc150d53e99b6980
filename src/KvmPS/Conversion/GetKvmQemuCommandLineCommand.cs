using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Conversion;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>
/// Shows the QEMU command line libvirt makes from a VM's definition (libvirt's domain-XML-to-native,
/// format qemu-argv): a debugging view, not a way to run the VM. Only libvirt's QEMU driver offers it.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KvmQemuCommandLine")]
[OutputType(typeof(KvmQemuCommandLine))]
public sealed class GetKvmQemuCommandLineCommand : KvmVMCmdlet
{
    protected override void ProcessVM(LibvirtConnection conn, DomainHandle h, string name)
    {
        string xml = DomainService.GetXmlForEdit(h, inactive: true);
        string native;
        try
        {
            native = conn.DomainXmlToNative("qemu-argv", xml);
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoSupport)
        {
            WriteError(ErrorHelper.Create(new NotSupportedException(e.LibvirtMessage, e), "QemuCommandLineNotSupported", ErrorCategory.NotImplemented, name,
                $"The libvirt driver of {conn.Uri} cannot show a QEMU command line for VM '{name}' ({e.LibvirtMessage}). " +
                "Only libvirt's QEMU driver (qemu:///system, qemu:///session) converts a definition to qemu-argv; the test driver and the other drivers do not."));
            return;
        }
        var (env, args) = QemuConversion.SplitNative(native);
        WriteObject(new KvmQemuCommandLine
        {
            VMName = name,
            CommandLine = native.Trim(),
            Environment = env,
            Arguments = args,
            Uri = conn.Uri,
        });
    }
}
