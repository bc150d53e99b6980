using System.Management.Automation;

namespace KvmPS.Commands;

/// <summary>
/// What every KvmPS cmdlet asks of PowerShell about its own invocation: which parameters were
/// given (on the command line or from the pipeline object) and how to confirm, with -Force
/// skipping the question and a high-impact step asking even at the default preference.
/// </summary>
public abstract class KvmParameterAwareCmdlet : PSCmdlet
{
    /// <summary>Whether the caller gave <paramref name="parameterName"/> (as opposed to its default value).</summary>
    protected bool IsBound(string parameterName) => MyInvocation.BoundParameters.ContainsKey(parameterName);

    private HashSet<string>? _commandLine;

    /// <summary>Notes which parameters the command line gave, so a pipeline-bound one can be told from them.</summary>
    protected override void BeginProcessing()
    {
        _commandLine = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        DebugWithoutPrompt.Apply(this);
        base.BeginProcessing();
    }

    /// <summary>Whether <paramref name="parameterName"/> was bound from the current pipeline object (not typed on the command line).</summary>
    protected bool IsFromPipeline(string parameterName) => IsBound(parameterName) && _commandLine?.Contains(parameterName) == false;

    private bool _yesToAll, _noToAll;

    /// <summary>
    /// Confirms an action that is high-impact although the cmdlet as a whole is not (a forced
    /// stop): asks unless -Confirm:$false was given or $ConfirmPreference is None, just as
    /// ConfirmImpact High would. Call after ShouldProcess returned true.
    /// </summary>
    protected bool ConfirmHighImpact(string target, string action)
    {
        if (MyInvocation.BoundParameters.TryGetValue("Confirm", out object? c) && c is SwitchParameter)
        {
            // -Confirm was answered by ShouldProcess already; -Confirm:$false means go ahead.
            return true;
        }
        // Below High, ShouldProcess has just asked already (the cmdlet's own impact reached the
        // preference); None means never ask. Only the default High needs the extra question.
        object? pref = SessionState.PSVariable.GetValue("ConfirmPreference");
        if (pref is ConfirmImpact impact && impact != ConfirmImpact.High)
        {
            return true;
        }
        return ShouldContinue($"{action} '{target}'?", "Confirm", ref _yesToAll, ref _noToAll);
    }

    /// <summary>
    /// ShouldProcess as -Force answers it: with <paramref name="force"/> the action goes ahead
    /// without asking (so it works in pwsh -NonInteractive at any impact), unless -Confirm was
    /// given explicitly; -WhatIf still only says what would happen.
    /// </summary>
    protected bool ShouldProcess(string target, string action, bool force)
    {
        if (force && !IsBound("Confirm") && !WhatIfRequested)
        {
            WriteVerbose($"Performing the operation \"{action}\" on target \"{target}\" (-Force: not asking).");
            return true;
        }
        return ShouldProcess(target, action);
    }

    /// <summary>Whether -WhatIf (or $WhatIfPreference) is in effect.</summary>
    protected bool WhatIfRequested =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? w)
            ? w is SwitchParameter s && s.IsPresent
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
}
