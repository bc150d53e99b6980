namespace KvmPS.Engine.HostChecks;

/// <summary>A remedy that could not be applied.</summary>
public sealed class HostRepairException : Exception
{
    public HostRepairException(string message) : base(message) { }
}
