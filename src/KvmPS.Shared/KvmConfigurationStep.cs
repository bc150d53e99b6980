namespace KvmPS;

/// <summary>One cmdlet call a plan makes, with its parameters: what Invoke-KvmConfiguration runs.</summary>
public sealed class KvmConfigurationStep
{
    /// <summary>The cmdlet (New-KvmVM, Set-KvmCpu, Start-KvmNetwork, ...).</summary>
    public string Command { get; internal init; } = "";

    /// <summary>Its parameters (switches as true or false); secrets are passed but never shown by ToString.</summary>
    public System.Collections.Generic.IReadOnlyDictionary<string, object?> Parameters { get; internal init; } = new System.Collections.Generic.Dictionary<string, object?>();

    /// <summary>Whether a running VM sees the step's effect only after its next boot.</summary>
    public KvmChangeTiming Timing { get; internal init; }

    /// <summary>The call as a command line, for -WhatIf and the plan.</summary>
    public override string ToString() => KvmConfigurationText.CommandLine(Command, Parameters);
}
