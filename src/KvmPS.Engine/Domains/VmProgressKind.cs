namespace KvmPS.Engine.Domains;

/// <summary>What a message from the provisioner is for: the verbose, warning or debug stream, or the progress bar.</summary>
public enum VmProgressKind { Verbose, Warning, Debug, Progress }
