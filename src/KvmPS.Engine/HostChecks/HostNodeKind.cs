namespace KvmPS.Engine.HostChecks;

/// <summary>What kind of node a path names.</summary>
public enum HostNodeKind { Missing, File, Directory, CharDevice, BlockDevice, Other }
