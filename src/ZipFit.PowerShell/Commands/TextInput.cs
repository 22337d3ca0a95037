using System.Management.Automation;

namespace ZipFit.Commands;

/// <summary>Finds the text of a pipeline object: a ZipFit example, a string, or a property by name.</summary>
internal static class TextInput
{
    public enum Problem { None, MissingProperty, NotString }

    public static Example? ToExample(object? input, string textProperty, string? idProperty, long ordinal, out Problem problem)
    {
        problem = Problem.None;
        object? value = input is PSObject ps ? ps.BaseObject : input;
        switch (value)
        {
            case Example example:
                return example;
            case ScoredExample scored:
                return scored.Example;
            case string text:
                return new Example($"input:{ordinal}", text, "", null);
        }
        var obj = input as PSObject ?? PSObject.AsPSObject(input!);
        var property = obj.Properties[textProperty];
        if (property is null)
        {
            problem = Problem.MissingProperty;
            return null;
        }
        object? textValue = property.Value is PSObject inner ? inner.BaseObject : property.Value;
        if (textValue is not string s)
        {
            problem = Problem.NotString;
            return null;
        }
        string id = (idProperty is null ? null : obj.Properties[idProperty]?.Value?.ToString())
            ?? obj.Properties["id"]?.Value?.ToString()
            ?? $"input:{ordinal}";
        return new Example(id, s, "", obj);
    }
}
