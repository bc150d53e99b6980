namespace KvmPS.Engine.Configuration;

/// <summary>A configuration file or request that cannot be planned; ErrorId names the problem.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string errorId, string message, string target = "")
        : base(message)
    {
        ErrorId = errorId;
        Target = target;
    }

    /// <summary>The stable ErrorId (ConfigurationKeyUnknown, ConfigurationNameMissing, ...).</summary>
    public string ErrorId { get; }

    /// <summary>The resource or key at fault.</summary>
    public string Target { get; }
}
