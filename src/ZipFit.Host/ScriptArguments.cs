using System.Text.RegularExpressions;

namespace ZipFit.Host;

/// <summary>Binds `-File script.ps1` arguments as pwsh does: -Name value, -Name:value, -Switch, or positional.</summary>
internal static partial class ScriptArguments
{
    [GeneratedRegex(@"^-([A-Za-z_][\w]*)(?::(.*))?$")]
    private static partial Regex ParameterName();

    public static void Bind(System.Management.Automation.PowerShell ps, IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            var match = ParameterName().Match(args[i]);
            if (!match.Success)
            {
                ps.AddArgument(args[i]);
                continue;
            }
            string name = match.Groups[1].Value;
            if (match.Groups[2].Success)
            {
                ps.AddParameter(name, ParseValue(match.Groups[2].Value));
            }
            else if (i + 1 < args.Count && !ParameterName().IsMatch(args[i + 1]))
            {
                ps.AddParameter(name, args[++i]);
            }
            else
            {
                ps.AddParameter(name);
            }
        }
    }

    private static object ParseValue(string value) => value.ToLowerInvariant() switch
    {
        "$true" or "true" => true,
        "$false" or "false" => false,
        _ => value,
    };
}
