using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text;

namespace ZipFit.Host;

/// <summary>A readable one-line form of pipeline output.</summary>
internal static class ObjectText
{
    public static string Format(object? value)
    {
        object? baseObject = value is PSObject ps ? ps.BaseObject : value;
        switch (baseObject)
        {
            case null:
                return "";
            case string s:
                return s;
            case double d:
                return d.ToString("R", CultureInfo.InvariantCulture);
            case IFormattable f when baseObject.GetType().IsPrimitive || baseObject is decimal:
                return f.ToString(null, CultureInfo.InvariantCulture);
            case ErrorRecord er:
                return FormatError(er);
            case PSCustomObject when value is PSObject custom:
                return FormatProperties(custom);
            case IDictionary dict:
                return "@{" + string.Join("; ", dict.Keys.Cast<object>().Select(k => $"{k}={Format(dict[k])}")) + "}";
        }
        var type = baseObject.GetType();
        if (type.GetMethod("ToString", Type.EmptyTypes)?.DeclaringType != typeof(object))
        {
            return baseObject.ToString() ?? "";
        }
        return value is PSObject obj ? FormatProperties(obj) : baseObject.ToString() ?? "";
    }

    private static string FormatProperties(PSObject obj)
    {
        var sb = new StringBuilder("@{");
        bool first = true;
        foreach (var p in obj.Properties)
        {
            if (!first)
            {
                sb.Append("; ");
            }
            first = false;
            object? v;
            try { v = p.Value; } catch (GetValueException) { v = null; }
            sb.Append(p.Name).Append('=').Append(v is PSObject { BaseObject: PSCustomObject } ? "@{…}" : Format(v));
        }
        return sb.Append('}').ToString();
    }

    public static string FormatError(ErrorRecord error)
    {
        string message = error.ErrorDetails?.Message ?? error.Exception?.Message ?? error.ToString();
        string where = error.InvocationInfo?.PositionMessage is { Length: > 0 } pos ? Environment.NewLine + pos : "";
        return $"ERROR: {message} [{error.FullyQualifiedErrorId}]{where}";
    }
}
