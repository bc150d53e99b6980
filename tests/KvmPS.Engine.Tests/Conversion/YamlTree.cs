using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace KvmPS.Engine.Tests.Conversion;

/// <summary>
/// YAML documents read back into plain values, as a Kubernetes API server would see them:
/// maps as Dictionary, sequences as List, plain scalars resolved to long, double, bool or null,
/// quoted scalars as strings.
/// </summary>
internal static class YamlTree
{
    public static List<object?> ReadAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => Convert(d.RootNode)).ToList();
    }

    public static object? Read(string yaml) => ReadAll(yaml).Single();

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value ?? "", kv => Convert(kv.Value), StringComparer.Ordinal),
        YamlSequenceNode s => s.Children.Select(Convert).ToList(),
        YamlScalarNode sc => Scalar(sc),
        _ => throw new InvalidDataException($"Unexpected YAML node {node.NodeType}"),
    };

    private static object? Scalar(YamlScalarNode s)
    {
        string v = s.Value ?? "";
        if (s.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return v;
        }
        if (v is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (v is "true" or "True" or "TRUE")
        {
            return true;
        }
        if (v is "false" or "False" or "FALSE")
        {
            return false;
        }
        if (Regex.IsMatch(v, "^[-+]?[0-9]+$") && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            return l;
        }
        if (Regex.IsMatch(v, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"))
        {
            return double.Parse(v, CultureInfo.InvariantCulture);
        }
        return v;
    }
}
