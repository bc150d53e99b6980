using System.Collections;
using System.Globalization;
using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Native;
using KvmPS.Engine.Tuning;

namespace KvmPS.Commands;

/// <summary>Sets a VM's guest NUMA cells and binds its memory to host NUMA nodes.</summary>
[Cmdlet(VerbsCommon.Set, "KvmNuma", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVM))]
public sealed class SetKvmNumaCommand : KvmTuningCmdlet
{
    private static readonly string[] CellKeys = { "Cpus", "Memory", "HostNode", "MemoryMode" };

    /// <summary>Guest cells, in order: @{Cpus='0-3'; Memory=8GB}, @{Cpus='4-7'; Memory=8GB}. Optional keys: HostNode, MemoryMode.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable[]? Cell { get; set; }

    /// <summary>How the VM's memory is bound to the host nodes: Strict, Preferred, Interleave or Restrictive.</summary>
    [Parameter]
    public KvmNumaMemoryMode MemoryMode { get; set; }

    /// <summary>Host NUMA nodes for the VM's memory, as a nodeset (e.g. 0 or 0-1).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? HostNode { get; set; }

    /// <summary>Sets the VM's memory to the sum of the cells instead of requiring them to match it.</summary>
    [Parameter]
    public SwitchParameter SetMemory { get; set; }

    /// <summary>Removes the guest cells and the memory binding first (alone, the guest gets one implicit node).</summary>
    [Parameter]
    public SwitchParameter Clear { get; set; }

    /// <summary>Returns the VM after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessTuning(LibvirtConnection conn, DomainHandle h, string name)
    {
        if (Cell is null && !IsBound(nameof(MemoryMode)) && HostNode is null && !Clear)
        {
            throw new TuningException("NothingToSet", "Nothing to set: give -Cell, -MemoryMode/-HostNode or -Clear.");
        }
        if (SetMemory && Cell is null)
        {
            throw new TuningException("SetMemoryWithoutCells", "-SetMemory sets the VM's memory from -Cell: give the cells.");
        }
        var change = new NumaChange
        {
            Clear = Clear,
            Cells = Cell?.Select(ToSpec).ToList(),
            MemoryMode = IsBound(nameof(MemoryMode)) ? MemoryMode : null,
            HostNode = HostNode,
            SetMemory = SetMemory,
        };
        var nodes = HostTopology.Read(conn).CellIds.ToHashSet();
        if (EditConfig(conn, h, name, Describe(change), d => NumaXml.Apply(d, change, nodes)))
        {
            WarnNextStart(h, name, "the NUMA change");
        }
        if (PassThru)
        {
            WriteVM(conn, h);
        }
    }

    private static NumaCellSpec ToSpec(Hashtable t, int index)
    {
        foreach (object key in t.Keys)
        {
            if (!CellKeys.Contains(key.ToString(), StringComparer.OrdinalIgnoreCase))
            {
                throw new TuningException("UnknownCellKey", $"Cell {index}: unknown key '{key}' (use {string.Join(", ", CellKeys)}).");
            }
        }
        object? Get(string key) => t.Keys.Cast<object>().FirstOrDefault(k => string.Equals(k.ToString(), key, StringComparison.OrdinalIgnoreCase)) is object k
            ? (t[k] is PSObject p ? p.BaseObject : t[k]) : null;
        string? cpus = Convert.ToString(Get("Cpus"), CultureInfo.InvariantCulture);
        if (string.IsNullOrWhiteSpace(cpus))
        {
            throw new TuningException("CellWithoutCpus", $"Cell {index} needs Cpus: the vCPUs it holds, e.g. @{{Cpus='0-3'; Memory=8GB}}.");
        }
        ulong? memory = null;
        if (Get("Memory") is object m)
        {
            try
            {
                memory = LanguagePrimitives.ConvertTo<ulong>(m);
            }
            catch (PSInvalidCastException)
            {
                throw new TuningException("InvalidCellMemory", $"Cell {index}: Memory '{m}' is not a size in bytes (e.g. 8GB).");
            }
        }
        KvmNumaMemoryMode? mode = null;
        if (Get("MemoryMode") is object mm)
        {
            try
            {
                mode = LanguagePrimitives.ConvertTo<KvmNumaMemoryMode>(mm);
            }
            catch (PSInvalidCastException)
            {
                throw new TuningException("InvalidMemoryMode", $"Cell {index}: MemoryMode '{mm}' is not one of {string.Join(", ", Enum.GetNames<KvmNumaMemoryMode>())}.");
            }
        }
        return new NumaCellSpec
        {
            Cpus = cpus,
            MemoryBytes = memory,
            HostNode = Get("HostNode") is object hn ? Convert.ToString(hn, CultureInfo.InvariantCulture) : null,
            MemoryMode = mode,
        };
    }

    private static string Describe(NumaChange c)
    {
        var parts = new List<string>();
        if (c.Clear)
        {
            parts.Add("remove the guest NUMA layout and memory binding");
        }
        if (c.Cells is not null)
        {
            parts.Add($"guest NUMA cells {string.Join(" | ", c.Cells.Select(x => x.Cpus + (x.MemoryBytes is ulong b ? $" ({SizeText.Format(b)})" : "")))}");
        }
        if (c.MemoryMode is not null || c.HostNode is not null)
        {
            parts.Add($"memory {c.MemoryMode?.ToString().ToLowerInvariant() ?? "bound"} to host node(s) {c.HostNode ?? "as before"}");
        }
        return "Set " + string.Join(", ", parts);
    }
}
