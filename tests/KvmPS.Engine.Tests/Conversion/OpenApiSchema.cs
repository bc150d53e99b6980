using System.Text.Json;
using System.Text.Json.Nodes;

namespace KvmPS.Engine.Tests.Conversion;

/// <summary>
/// A small validator of values (from <see cref="YamlTree"/>) against an OpenAPI document
/// (Swagger 2 "definitions" or OpenAPI 3 "components/schemas"): $ref, type (object, array, string,
/// integer, number, boolean), required, enum, items, properties and additionalProperties. As
/// kubectl's strict field validation does, an object schema with properties rejects keys it does
/// not list unless additionalProperties allows them; an object schema with neither is free-form.
/// </summary>
internal sealed class OpenApiSchema
{
    private readonly Dictionary<string, JsonObject> _schemas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);

    public OpenApiSchema(params string[] files)
    {
        foreach (string file in files)
        {
            var doc = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            JsonObject defs = doc["definitions"]?.AsObject() ?? doc["components"]!["schemas"]!.AsObject();
            foreach (var (name, schema) in defs)
            {
                _schemas[name] = schema!.AsObject();
            }
        }
    }

    /// <summary>Resolves a reference to a name another file spells differently (the same Kubernetes type under another prefix).</summary>
    public OpenApiSchema Alias(string name, string target)
    {
        _aliases[name] = target;
        return this;
    }

    public bool Has(string name) => _schemas.ContainsKey(name);

    public List<string> Validate(object? value, string definition)
    {
        var errors = new List<string>();
        Check(value, Definition(definition), "$", errors, 0);
        return errors;
    }

    private JsonObject Definition(string name)
    {
        name = _aliases.TryGetValue(name, out string? a) ? a : name;
        return _schemas.TryGetValue(name, out JsonObject? s) ? s : throw new KeyNotFoundException($"The schema has no definition {name}.");
    }

    private void Check(object? value, JsonObject schema, string path, List<string> errors, int depth)
    {
        if (depth > 64)
        {
            errors.Add($"{path}: nested too deep");
            return;
        }
        if (schema["$ref"]?.GetValue<string>() is string r)
        {
            Check(value, Definition(r[(r.LastIndexOf('/') + 1)..]), path, errors, depth + 1);
            return;
        }
        if (schema["allOf"] is JsonArray all)
        {
            foreach (JsonNode? s in all)
            {
                Check(value, s!.AsObject(), path, errors, depth + 1);
            }
        }
        if (value is null)
        {
            return;
        }
        // "type" is one name or, in KubeVirt's document, a list of them (Quantity: string, integer or number).
        var types = schema["type"] switch
        {
            JsonArray a => a.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue v => new List<string> { v.GetValue<string>() },
            _ => new List<string>(),
        };
        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true || schema["format"]?.GetValue<string>() == "int-or-string")
        {
            types = new List<string> { "string", "integer" };
        }
        if (types.Count > 0 && !types.Any(t => Is(value, t)))
        {
            errors.Add($"{path}: {Describe(value)} where the schema wants {string.Join(" or ", types)}");
            return;
        }
        if (schema["enum"] is JsonArray en && !en.Any(e => e is not null && JsonEquals(e, value)))
        {
            errors.Add($"{path}: '{value}' is not one of {string.Join(", ", en.Select(e => e?.ToJsonString()))}");
        }
        if (value is List<object?> list && schema["items"] is JsonObject items)
        {
            for (int i = 0; i < list.Count; i++)
            {
                Check(list[i], items, $"{path}[{i}]", errors, depth + 1);
            }
        }
        if (value is Dictionary<string, object?> map)
        {
            foreach (JsonNode? req in schema["required"]?.AsArray() ?? new JsonArray())
            {
                if (!map.ContainsKey(req!.GetValue<string>()))
                {
                    errors.Add($"{path}: required property '{req}' is missing");
                }
            }
            JsonObject? props = schema["properties"]?.AsObject();
            JsonNode? additional = schema["additionalProperties"];
            foreach (var (key, v) in map)
            {
                if (props is not null && props[key] is JsonObject p)
                {
                    Check(v, p, $"{path}.{key}", errors, depth + 1);
                }
                else if (additional is JsonObject add)
                {
                    Check(v, add, $"{path}.{key}", errors, depth + 1);
                }
                else if (additional is JsonValue b && b.GetValue<bool>())
                {
                    // Allowed, with any value.
                }
                else if (props is not null)
                {
                    errors.Add($"{path}: property '{key}' is not in the schema");
                }
            }
        }
    }

    private static bool Is(object value, string type) => type switch
    {
        "string" => value is string,
        "integer" => value is long,
        "number" => value is long or double,
        "boolean" => value is bool,
        "array" => value is List<object?>,
        "object" => value is Dictionary<string, object?>,
        "null" => false,
        _ => true,
    };

    private static bool JsonEquals(JsonNode e, object value) => value switch
    {
        string s => e.GetValueKind() == JsonValueKind.String && e.GetValue<string>() == s,
        long l => e.GetValueKind() == JsonValueKind.Number && e.GetValue<long>() == l,
        bool b => e.GetValueKind() is JsonValueKind.True or JsonValueKind.False && e.GetValue<bool>() == b,
        _ => false,
    };

    private static string Describe(object value) => value switch
    {
        string s => $"string '{s}'",
        long l => $"integer {l}",
        double d => $"number {d}",
        bool b => $"boolean {b}",
        List<object?> => "an array",
        Dictionary<string, object?> => "an object",
        _ => value.GetType().Name,
    };
}
