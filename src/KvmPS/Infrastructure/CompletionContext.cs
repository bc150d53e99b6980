using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;

namespace KvmPS.Commands;

/// <summary>
/// What the command line being completed names: its -Uri, and the one VM it is about — from
/// -Name/-VMName (a literal name, not a wildcard), from -VM, or from what is piped into the
/// command (a variable holding a KvmVM, or Get-KvmVM with a literal name). A piped or bound VM
/// object brings its own host, as it would when the command runs.
/// </summary>
internal static class CompletionContext
{
    private static readonly string[] s_vmCommands = { "Get-KvmVM", "New-KvmVM", "Import-KvmVM", "Start-KvmVM", "Set-KvmVM" };

    /// <summary>The URI the completion asks: -Uri on the line, else the VM object's host, else null (the session default).</summary>
    public static string? Uri(IDictionary fakeBoundParameters, CommandAst? commandAst) =>
        fakeBoundParameters["Uri"] as string ?? VM(fakeBoundParameters, commandAst).Uri;

    /// <summary>The VM the line names, and the host a VM object came from (null when it names none, or several).</summary>
    public static (string? Name, string? Uri) VM(IDictionary fakeBoundParameters, CommandAst? commandAst)
    {
        foreach (string key in new[] { "Name", "VMName" })
        {
            if (Single(fakeBoundParameters[key]) is string s)
            {
                return WildcardPattern.ContainsWildcardCharacters(s) ? (null, null) : (s, null);
            }
        }
        if (Single(fakeBoundParameters["VM"]) is KvmVM bound)
        {
            return (bound.Name, bound.Uri);
        }
        return Piped(commandAst);
    }

    private static (string? Name, string? Uri) Piped(CommandAst? commandAst)
    {
        if (commandAst?.Parent is not PipelineAst pipeline)
        {
            return (null, null);
        }
        int index = pipeline.PipelineElements.IndexOf(commandAst);
        if (index <= 0)
        {
            return (null, null);
        }
        switch (pipeline.PipelineElements[index - 1])
        {
            case CommandExpressionAst { Expression: VariableExpressionAst variable }:
                return Single(VariableValue(variable)) switch
                {
                    KvmVM vm => (vm.Name, vm.Uri),
                    string s when !WildcardPattern.ContainsWildcardCharacters(s) => (s, null),
                    _ => (null, null),
                };
            case CommandAst source when s_vmCommands.Contains(source.GetCommandName(), StringComparer.OrdinalIgnoreCase):
                return (LiteralArgument(source, "Name"), LiteralArgument(source, "Uri"));
            default:
                return (null, null);
        }
    }

    /// <summary>A parameter's literal string argument (-Name x, -Name:x, or for Name the first positional word).</summary>
    private static string? LiteralArgument(CommandAst command, string parameter)
    {
        var elements = command.CommandElements;
        for (int i = 1; i < elements.Count; i++)
        {
            if (elements[i] is CommandParameterAst p && p.ParameterName.Equals(parameter, StringComparison.OrdinalIgnoreCase))
            {
                Ast? value = p.Argument ?? (i + 1 < elements.Count ? elements[i + 1] : null);
                return value is StringConstantExpressionAst c && !WildcardPattern.ContainsWildcardCharacters(c.Value) ? c.Value : null;
            }
        }
        if (parameter == "Name")
        {
            for (int i = 1; i < elements.Count; i++)
            {
                if (elements[i] is CommandParameterAst p)
                {
                    if (p.Argument is null)
                    {
                        i++; // the parameter's value
                    }
                    continue;
                }
                return elements[i] is StringConstantExpressionAst c && !WildcardPattern.ContainsWildcardCharacters(c.Value) ? c.Value : null;
            }
        }
        return null;
    }

    private static object? VariableValue(VariableExpressionAst variable)
    {
        if (Runspace.DefaultRunspace is null)
        {
            return null;
        }
        try
        {
            // Completion runs on the runspace's own thread, so a nested pipeline can read the variable.
            using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
            var found = ps.AddCommand("Get-Variable").AddParameter("Name", variable.VariablePath.UserPath)
                .AddParameter("ValueOnly").AddParameter("ErrorAction", "Ignore").Invoke();
            return found.Count switch
            {
                0 => null,
                1 => found[0],
                _ => found.ToArray(),
            };
        }
        catch (Exception e) when (e is PSInvalidOperationException or RuntimeException)
        {
            return null; // no nested pipeline possible here: no value to look at
        }
    }

    /// <summary>The one value of a parameter: unwraps PSObjects and one-element arrays.</summary>
    private static object? Single(object? value)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        if (value is IList { Count: 1 } list)
        {
            value = list[0] is PSObject inner ? inner.BaseObject : list[0];
        }
        return value is IList ? null : value;
    }
}
