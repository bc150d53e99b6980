namespace KvmPS.Engine.HostChecks;

/// <summary>Whether a kernel module is in the running kernel, and how.</summary>
public enum ModuleState { Absent, Loaded, BuiltIn }
