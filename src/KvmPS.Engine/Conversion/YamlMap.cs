using System.Collections;

namespace KvmPS.Engine.Conversion;

/// <summary>
/// An ordered YAML mapping: keys keep the order they were added in, so a manifest reads in the
/// order Kubernetes users expect (apiVersion, kind, metadata, spec). Values are strings, numbers,
/// booleans, lists or other maps; a null value leaves its key out.
/// </summary>
public sealed class YamlMap : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _items = new();

    /// <summary>Sets a key (replacing an earlier value in place); a null value is not written.</summary>
    public void Add(string key, object? value)
    {
        int i = _items.FindIndex(p => p.Key == key);
        if (i >= 0)
        {
            _items[i] = new(key, value);
        }
        else
        {
            _items.Add(new(key, value));
        }
    }

    /// <summary>The value of a key, or null.</summary>
    public object? this[string key] => _items.FirstOrDefault(p => p.Key == key).Value;

    /// <summary>The map under a key, made when missing.</summary>
    public YamlMap Map(string key)
    {
        if (this[key] is YamlMap m)
        {
            return m;
        }
        var made = new YamlMap();
        Add(key, made);
        return made;
    }

    /// <summary>The list under a key, made when missing.</summary>
    public List<object?> List(string key)
    {
        if (this[key] is List<object?> l)
        {
            return l;
        }
        var made = new List<object?>();
        Add(key, made);
        return made;
    }

    /// <summary>Whether there is nothing to write.</summary>
    public bool IsEmpty => _items.All(p => p.Value is null);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _items.Where(p => p.Value is not null).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
