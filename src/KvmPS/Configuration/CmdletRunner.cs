using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace KvmPS.Commands;

/// <summary>Runs the module's cmdlets from inside a cmdlet (same runspace, pipeline thread), passing their warnings and verbose messages on.</summary>
internal sealed class CmdletRunner
{
    private readonly PSCmdlet cmdlet;

    public CmdletRunner(PSCmdlet cmdlet)
    {
        this.cmdlet = cmdlet;
    }

    public void Run(KvmConfigurationStep step, List<string> commands)
    {
        commands.Add(step.ToString());
        cmdlet.WriteVerbose($"Running {step}");
        Invoke(step.Command, step.Parameters, out List<ErrorRecord> errors);
        if (errors.Count > 0)
        {
            throw new ConfigurationStepException($"{step.Command} failed: {errors[0].Exception.Message}");
        }
    }

    public List<object> Invoke(string command, IReadOnlyDictionary<string, object?> parameters, out List<ErrorRecord> errors)
    {
        using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddCommand(command);
        foreach (var (k, v) in parameters)
        {
            ps.AddParameter(k, ForPowerShell(v));
        }
        CommandInfo? info = cmdlet.InvokeCommand.GetCommand(command, CommandTypes.Cmdlet);
        if (info?.Parameters.ContainsKey("Confirm") == true && !parameters.ContainsKey("Confirm"))
        {
            ps.AddParameter("Confirm", false);
        }
        // The caller's $ErrorActionPreference must not turn a step's error into an exception that
        // skips the report: errors are collected, and a terminating one is reported the same way.
        ps.AddParameter("ErrorAction", ActionPreference.Continue);
        List<object> output;
        try
        {
            output = ps.Invoke().Cast<object>().ToList();
        }
        catch (RuntimeException e)
        {
            errors = ps.Streams.Error.Append(e.ErrorRecord).ToList();
            return new List<object>();
        }
        foreach (WarningRecord w in ps.Streams.Warning)
        {
            cmdlet.WriteWarning(w.Message);
        }
        foreach (VerboseRecord v in ps.Streams.Verbose)
        {
            cmdlet.WriteVerbose(v.Message);
        }
        errors = ps.Streams.Error.ToList();
        return output;
    }

    /// <summary>Plain values back to what cmdlets bind: dictionaries as hashtables, lists of them as Hashtable[].</summary>
    private static object? ForPowerShell(object? v) => v switch
    {
        IDictionary d => d.Keys.Cast<object>().Aggregate(new Hashtable(StringComparer.OrdinalIgnoreCase), (h, k) => { h[k] = ForPowerShell(d[k]); return h; }),
        object?[] a when a.Length > 0 && a.All(x => x is IDictionary) => a.Select(x => (Hashtable)ForPowerShell(x)!).ToArray(),
        object?[] a => a.Select(ForPowerShell).ToArray(),
        _ => v,
    };

}
