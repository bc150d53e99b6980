namespace KvmPS.Engine.Domains;

/// <summary>
/// The two domain XMLs of a request, as virt-install --print-xml has them: the first boot's (the
/// install: its medium first, on_reboot=destroy; null when the request has no install step) and
/// the final one, which is the persistent definition.
/// </summary>
public sealed record VmInstallSteps(string? FirstBootXml, string FinalXml);
