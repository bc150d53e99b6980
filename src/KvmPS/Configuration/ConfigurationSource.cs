using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Engine.Configuration;

namespace KvmPS.Commands;

/// <summary>
/// Reads a configuration into a plain tree (dictionaries, arrays, values): a PowerShell data file
/// (.psd1, evaluated as Import-PowerShellDataFile does: data only, no commands), JSON, or a table
/// given directly.
/// </summary>
internal static class ConfigurationSource
{
    public static IDictionary FromFile(string path)
    {
        string ext = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (!File.Exists(path))
        {
            throw new ConfigurationException("ConfigurationFileNotFound", $"The configuration file '{path}' does not exist.", path);
        }
        return ext switch
        {
            ".psd1" => FromDataFile(path),
            ".json" => Json(path),
            ".yaml" or ".yml" => Yaml(path),
            _ => throw new ConfigurationException("ConfigurationFileType",
                $"'{path}' is not a PowerShell data file (.psd1), JSON (.json) or YAML (.yaml, .yml).", path),
        };
    }

    private static IDictionary Json(string path)
    {
        try
        {
            return LabDocumentReader.ReadJsonTree(File.ReadAllText(path));
        }
        catch (ConfigurationException e)
        {
            throw new ConfigurationException(e.ErrorId, $"'{path}': {e.Message}", path);
        }
    }

    private static IDictionary Yaml(string path)
    {
        try
        {
            return LabYamlReader.ReadTree(File.ReadAllText(path));
        }
        catch (ConfigurationException e)
        {
            throw new ConfigurationException(e.ErrorId, $"'{path}': {e.Message}", path);
        }
    }

    private static IDictionary FromDataFile(string path)
    {
        ScriptBlockAst ast = Parser.ParseFile(path, out _, out ParseError[] errors);
        if (errors.Length > 0)
        {
            throw new ConfigurationException("ConfigurationFileInvalid", $"'{path}' does not parse: {errors[0].Message} (line {errors[0].Extent.StartLineNumber}).", path);
        }
        if (ast.Find(a => a is HashtableAst, false) is not HashtableAst table)
        {
            throw new ConfigurationException("ConfigurationFileInvalid", $"'{path}' holds no table (@{{ ... }}).", path);
        }
        try
        {
            return (IDictionary)Plain(table.SafeGetValue())!;
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationException("ConfigurationFileInvalid", $"'{path}' may hold only data (no variables or commands): {e.Message}", path);
        }
    }

    /// <summary>PowerShell values as plain .NET ones: hashtables as dictionaries, arrays as object[], PSObjects unwrapped.</summary>
    public static object? Plain(object? value)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        return value switch
        {
            null => null,
            IDictionary d => d.Keys.Cast<object>().Aggregate(new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase), (acc, k) =>
            {
                acc[Plain(k)?.ToString() ?? ""] = Plain(d[k]);
                return acc;
            }),
            string s => s,
            SwitchParameter sw => sw.IsPresent,
            IEnumerable e => e.Cast<object?>().Select(Plain).ToArray(),
            _ => value,
        };
    }
}
