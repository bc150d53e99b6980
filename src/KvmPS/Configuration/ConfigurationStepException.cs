namespace KvmPS.Commands;

/// <summary>A cmdlet that a configuration step ran wrote an error; the message says which and why.</summary>
internal sealed class ConfigurationStepException : Exception
{
    public ConfigurationStepException(string message)
        : base(message)
    {
    }
}
