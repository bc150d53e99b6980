namespace KvmPS;

/// <summary>What a configuration run does to one resource.</summary>
public enum KvmConfigurationAction
{
    /// <summary>The resource is as the configuration describes it.</summary>
    NoChange,

    /// <summary>The resource does not exist and is made.</summary>
    Create,

    /// <summary>The resource exists and some of its settings change in place (Changes lists them).</summary>
    Update,

    /// <summary>A setting cannot change in place; the resource would have to be removed and made again (Reason says why). Never done without -AllowReplace.</summary>
    Replace,

    /// <summary>The resource is not in the configuration and is removed (only with -Prune).</summary>
    Remove,
}
