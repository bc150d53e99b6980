namespace KvmPS.Engine.HostChecks;

/// <summary>Families of distributions whose package names and tools the remedies know.</summary>
public enum DistroFamily { Unknown, Debian, Fedora, Suse, Arch }
