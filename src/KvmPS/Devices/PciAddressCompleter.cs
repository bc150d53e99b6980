using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.Devices;

namespace KvmPS.Commands;

/// <summary>Completes PCI addresses of the host's devices, assignable ones first, with the product as tooltip.</summary>
public sealed class PciAddressCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = (wordToComplete ?? "").Trim('\'', '"');
        List<KvmHostDevice> devices;
        try
        {
            var session = KvmSessionState.Current;
            LibvirtConnection conn = session.GetConnection(session.ResolveUri(fakeBoundParameters["Uri"] as string));
            devices = HostDeviceService.List(conn);
        }
        catch (Exception e) when (e is LibvirtException or InvalidOperationException or DllNotFoundException or System.Xml.XmlException)
        {
            yield break; // completion must never throw at the user
        }
        foreach (KvmHostDevice d in devices.Where(d => d.PciAddress.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                     .OrderBy(d => d.Assignable ? 0 : 1).ThenBy(d => d.PciAddress, StringComparer.Ordinal))
        {
            string tip = $"{d.PciAddress} {d.VendorName} {d.ProductName}".Trim();
            yield return new CompletionResult(d.PciAddress, d.PciAddress, CompletionResultType.ParameterValue, tip);
        }
    }
}
