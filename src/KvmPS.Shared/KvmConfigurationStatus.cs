namespace KvmPS;

/// <summary>What became of one planned action in a configuration run.</summary>
public enum KvmConfigurationStatus
{
    /// <summary>Nothing had to be done.</summary>
    Unchanged,

    /// <summary>The action was carried out.</summary>
    Done,

    /// <summary>Changes were written to the persistent definition; the running VM sees them after its next boot (no -AllowRestart).</summary>
    PendingRestart,

    /// <summary>-WhatIf, or the user declined: nothing was changed.</summary>
    NotRun,

    /// <summary>Not carried out on purpose (a Replace without -AllowReplace, or a resource that depends on one that failed).</summary>
    Skipped,

    /// <summary>The action failed; Message says why. What it made was undone by the cmdlet that failed.</summary>
    Failed,
}
