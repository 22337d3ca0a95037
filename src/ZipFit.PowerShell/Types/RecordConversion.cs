using System.Collections;
using System.Management.Automation;
using System.Text.Json;

namespace ZipFit;

/// <summary>Converts between JSON records and PowerShell objects.</summary>
internal static class RecordConversion
{
    public static PSObject ToPSObject(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        return (PSObject)Convert(doc.RootElement)!;
    }

    private static object? Convert(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new PSObject();
                foreach (var p in element.EnumerateObject())
                {
                    obj.Properties.Add(new PSNoteProperty(p.Name, Convert(p.Value)));
                }
                return obj;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(Convert).ToArray();
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.TryGetInt64(out long l) ? l : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>The properties of any object as plain name/value pairs, for export.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Properties(PSObject obj)
    {
        foreach (var property in obj.Properties)
        {
            if (property is PSNoteProperty or PSProperty or PSAliasProperty or PSScriptProperty or PSCodeProperty)
            {
                object? value;
                try
                {
                    value = property.Value;
                }
                catch (GetValueException)
                {
                    continue;
                }
                yield return new(property.Name, Plain(value, 0));
            }
        }
    }

    private static object? Plain(object? value, int depth)
    {
        if (value is PSObject ps)
        {
            if (ps.BaseObject is PSCustomObject && depth < 32)
            {
                return Properties(ps).ToList();
            }
            value = ps.BaseObject;
        }
        return value switch
        {
            null or string or bool or double or float or decimal or int or long or short or byte or uint or ulong or ushort or sbyte => value,
            IDictionary d when depth < 32 => d,
            IEnumerable e when depth < 32 => e.Cast<object?>().Select(v => Plain(v, depth + 1)).ToList(),
            _ => value.ToString(),
        };
    }
}
