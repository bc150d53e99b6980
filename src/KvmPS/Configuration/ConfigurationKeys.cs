using System.Management.Automation;
using KvmPS.Engine.Configuration;

namespace KvmPS.Commands;

/// <summary>
/// The keys a configuration may use, read from the cmdlets themselves: the parameters of
/// New-KvmNetwork, New-KvmStoragePool, New-KvmVolume and New-KvmVM (with their aliases), and for
/// the tuning tables those of Set-KvmCpu, Set-KvmCpuPin, Set-KvmNuma and Set-KvmMemory. A new
/// parameter of a New-* cmdlet is a configuration key the day it ships.
/// </summary>
internal static class ConfigurationKeys
{
    /// <summary>Parameters that are not settings: identity, pipeline objects, output and confirmation.</summary>
    private static readonly HashSet<string> NotSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        "Name", "Uri", "VM", "VMName", "InputObject", "PoolObject", "NetworkObject", "PassThru", "WhatIf", "Confirm", "Force",
    };

    public static KeyCatalog For(CommandInvocationIntrinsics commands)
    {
        var catalog = new KeyCatalog()
            .Add(KvmResourceKind.Network, Parameters(commands, "New-KvmNetwork"))
            .Add(KvmResourceKind.StoragePool, Parameters(commands, "New-KvmStoragePool"))
            .Add(KvmResourceKind.Volume, Parameters(commands, "New-KvmVolume"))
            .Add(KvmResourceKind.VM, Parameters(commands, "New-KvmVM"));
        catalog.AddTuning("Cpu", Parameters(commands, "Set-KvmCpu"));
        catalog.AddTuning("CpuPin", Parameters(commands, "Set-KvmCpuPin"));
        catalog.AddTuning("Numa", Parameters(commands, "Set-KvmNuma"));
        catalog.AddTuning("MemoryBacking", Parameters(commands, "Set-KvmMemory"));
        return catalog;
    }

    private static IEnumerable<(string, IEnumerable<string>)> Parameters(CommandInvocationIntrinsics commands, string cmdlet)
    {
        CmdletInfo info = commands.GetCmdlet(cmdlet) ?? throw new InvalidOperationException($"{cmdlet} is not loaded.");
        return info.Parameters.Values
            .Where(p => !Cmdlet.CommonParameters.Contains(p.Name) && !Cmdlet.OptionalCommonParameters.Contains(p.Name) && !NotSettings.Contains(p.Name))
            .Select(p => (p.Name, (IEnumerable<string>)p.Aliases))
            .ToList();
    }
}
