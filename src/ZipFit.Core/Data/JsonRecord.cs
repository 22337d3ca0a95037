using System.Collections.Specialized;
using System.Text.Json;

namespace ZipFit.Core.Data;

/// <summary>Turns a JSON object into plain .NET values: ordered dictionaries, lists, strings, numbers.</summary>
public static class JsonRecord
{
    public static OrderedDictionary ToDictionary(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        return (OrderedDictionary)Convert(doc.RootElement)!;
    }

    public static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToObject(element),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out long l) ? l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static OrderedDictionary ToObject(JsonElement element)
    {
        var dict = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var p in element.EnumerateObject())
        {
            dict[p.Name] = Convert(p.Value);
        }
        return dict;
    }
}
