using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KvmPS.Engine.Configuration;

/// <summary>
/// A YAML configuration as the same plain tree a .psd1 or JSON file gives: mappings as
/// dictionaries, sequences as arrays, plain scalars typed as YAML's core schema types them (true/
/// false, null, whole numbers, decimals; sizes such as 2GB stay text and are read as sizes later),
/// quoted scalars as strings.
/// </summary>
public static class LabYamlReader
{
    public static LabDocument FromYaml(string yaml, KeyCatalog catalog, string defaultUri) =>
        LabDocumentReader.FromTree(ReadTree(yaml), catalog, defaultUri);

    /// <summary>The one document of a YAML text as a plain tree.</summary>
    public static Dictionary<string, object?> ReadTree(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigurationException("ConfigurationFileInvalid", $"The configuration is not valid YAML: {e.Message}");
        }
        if (stream.Documents.Count != 1 || Plain(stream.Documents[0].RootNode) is not Dictionary<string, object?> tree)
        {
            throw new ConfigurationException("ConfigurationFileInvalid",
                "The configuration must be one YAML document: a mapping with the keys Uri, Networks, StoragePools, Volumes and VMs.");
        }
        return tree;
    }

    public static object? Plain(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.Aggregate(new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase), (d, kv) =>
        {
            string key = (kv.Key as YamlScalarNode)?.Value ?? throw new ConfigurationException("ConfigurationFileInvalid", $"A YAML key must be a plain name (line {kv.Key.Start.Line}).");
            if (!d.TryAdd(key, Plain(kv.Value)))
            {
                throw new ConfigurationException("ConfigurationKeyDuplicate", $"The YAML mapping at line {m.Start.Line} has the key '{key}' twice.");
            }
            return d;
        }),
        YamlSequenceNode s => s.Children.Select(Plain).ToArray(),
        YamlScalarNode v => Scalar(v),
        _ => null,
    };

    private static object? Scalar(YamlScalarNode v)
    {
        string text = v.Value ?? "";
        if (v.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return text;
        }
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            return l;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
        {
            return d;
        }
        return text;
    }
}
