using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.HostChecks;

namespace KvmPS.Commands;

/// <summary>What Test-KvmHost and Repair-KvmHost share: the context they check and repair.</summary>
internal static class HostCheckSupport
{
    public static HostCheckContext NewContext(PSCmdlet cmdlet, string uri, Func<LibvirtConnection> connect, CancellationToken cancel)
    {
        var fs = HostFileSystem.FromEnvironment();
        if (!fs.IsLive)
        {
            cmdlet.WriteVerbose($"Reading the host from {fs.Root} ({HostFileSystem.RootVariable}) instead of /.");
        }
        return new HostCheckContext(fs, uri, () =>
        {
            try
            {
                return connect();
            }
            catch (KvmConnectionLostException e)
            {
                // A dead daemon is a finding of the LibvirtDaemon check, not an error.
                throw e.Libvirt;
            }
        }) { Cancel = cancel };
    }
}
