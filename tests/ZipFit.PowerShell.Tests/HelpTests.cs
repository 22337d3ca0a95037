using System.Collections;
using System.Management.Automation;
using System.Reflection;

namespace ZipFit.PowerShell.Tests;

/// <summary>One runspace with ZipFit imported from the repository root manifest, shared by the help tests.</summary>
public sealed class HelpSession : IDisposable
{
    public PowerShellSession Session { get; } = new();

    /// <summary>The cmdlets the module exports, as PowerShell sees them.</summary>
    public IReadOnlyList<CmdletInfo> Cmdlets { get; }

    public HelpSession()
    {
        Cmdlets = Session.Run("(Get-Module ZipFit).ExportedCmdlets.Values")
            .Select(o => (CmdletInfo)o.BaseObject)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    public PSObject FullHelp(string name) => Session.Run($"Get-Help -Name '{name}' -Full").Single();

    public void Dispose() => Session.Dispose();
}

/// <summary>
/// The help a user gets from Get-Help in a real engine: every exported cmdlet has full MAML help that
/// matches its actual parameters, and about_ZipFit is found. Problems are collected over all cmdlets,
/// so one run lists everything that is missing or stale.
/// </summary>
public class HelpTests(HelpSession fixture) : IClassFixture<HelpSession>
{
    private readonly HelpSession _help = fixture;

    private static readonly string[] ExpectedCmdlets =
    [
        "Clear-ZipFitCache", "Export-ZipFitDataset", "Get-ZipFitCache", "Get-ZipFitScore",
        "Import-ZipFitDataset", "Measure-ZipFitAlignment", "New-ZipFitTarget", "Select-ZipFitTop",
    ];

    [Fact]
    public void TheModuleExportsTheDocumentedCmdlets() =>
        Assert.Equal(ExpectedCmdlets, _help.Cmdlets.Select(c => c.Name).ToArray());

    [Fact]
    public void EveryCmdletHasSynopsisDescriptionExamplesAndLinks()
    {
        var problems = new List<string>();
        foreach (var cmdlet in _help.Cmdlets)
        {
            var help = _help.FullHelp(cmdlet.Name);
            string synopsis = Text(Prop(help, "Synopsis"));
            // Without a MAML file, Get-Help makes up a synopsis from the syntax.
            if (synopsis.Length == 0 || synopsis.Contains("<CommonParameters>") || synopsis.StartsWith(cmdlet.Name + " ", StringComparison.Ordinal))
            {
                problems.Add($"{cmdlet.Name}: no synopsis from the MAML file (got '{synopsis}')");
            }
            if (Text(Prop(help, "description")).Length < 40)
            {
                problems.Add($"{cmdlet.Name}: no description");
            }
            var examples = Items(Prop(help, "examples", "example")).ToList();
            if (examples.Count < 2)
            {
                problems.Add($"{cmdlet.Name}: {examples.Count} examples, expected at least 2");
            }
            foreach (var example in examples)
            {
                if (Text(Prop(example, "code")).Length == 0 || Text(Prop(example, "remarks")).Length == 0)
                {
                    problems.Add($"{cmdlet.Name}: example '{Text(Prop(example, "title"))}' has no code or no remarks");
                }
                else if (!Text(Prop(example, "code")).Contains(cmdlet.Name, StringComparison.Ordinal))
                {
                    problems.Add($"{cmdlet.Name}: example '{Text(Prop(example, "title"))}' does not use {cmdlet.Name}");
                }
                else
                {
                    System.Management.Automation.Language.Parser.ParseInput(Text(Prop(example, "code")), out _, out var errors);
                    problems.AddRange(errors.Select(e => $"{cmdlet.Name}: example '{Text(Prop(example, "title"))}' does not parse: {e.Message}"));
                }
            }
            if (!Items(Prop(help, "inputTypes", "inputType")).Any())
            {
                problems.Add($"{cmdlet.Name}: no inputs");
            }
            if (!Items(Prop(help, "returnValues", "returnValue")).Any())
            {
                problems.Add($"{cmdlet.Name}: no outputs");
            }
            var links = Items(Prop(help, "relatedLinks", "navigationLink")).Select(l => Text(Prop(l, "linkText"))).ToList();
            if (!links.Contains("about_ZipFit") || links.Count < 2)
            {
                problems.Add($"{cmdlet.Name}: related links should name about_ZipFit and another cmdlet (got {string.Join(", ", links)})");
            }
            int syntaxItems = Items(Prop(help, "syntax", "syntaxItem")).Count();
            if (syntaxItems != cmdlet.ParameterSets.Count)
            {
                problems.Add($"{cmdlet.Name}: {syntaxItems} syntax items for {cmdlet.ParameterSets.Count} parameter sets");
            }
        }
        AssertNone(problems);
    }

    [Fact]
    public void EveryParameterIsDocumentedAsTheCmdletDeclaresIt()
    {
        var problems = new List<string>();
        foreach (var cmdlet in _help.Cmdlets)
        {
            var actual = cmdlet.Parameters.Values
                .Where(p => !Cmdlet.CommonParameters.Contains(p.Name))
                .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
            var documented = Items(Prop(_help.FullHelp(cmdlet.Name), "parameters", "parameter"))
                .ToDictionary(p => Text(Prop(p, "name")), StringComparer.OrdinalIgnoreCase);

            foreach (string name in actual.Keys.Except(documented.Keys, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{cmdlet.Name}: -{name} is not documented");
            }
            foreach (string name in documented.Keys.Except(actual.Keys, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{cmdlet.Name}: the help documents -{name}, which the cmdlet does not have");
            }
            foreach (var (name, metadata) in actual)
            {
                if (documented.TryGetValue(name, out var help))
                {
                    problems.AddRange(CompareParameter(cmdlet.Name, metadata, help));
                }
            }
        }
        AssertNone(problems);
    }

    [Fact]
    public void TheMarkdownSourcesMatchTheHelpPowerShellLoads()
    {
        var problems = new List<string>();
        string docs = Path.Combine(Repo.Root, "docs", "help");
        foreach (var cmdlet in _help.Cmdlets)
        {
            string file = Path.Combine(docs, cmdlet.Name + ".md");
            if (!File.Exists(file))
            {
                problems.Add($"{cmdlet.Name}: no {file}");
                continue;
            }
            var lines = File.ReadAllLines(file);
            var help = _help.FullHelp(cmdlet.Name);
            int synopsisAt = Array.IndexOf(lines, "## SYNOPSIS");
            string synopsis = string.Join(" ", lines.Skip(synopsisAt + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)).Select(l => l.Trim()).Where(l => l.Length > 0));
            if (synopsis != Text(Prop(help, "Synopsis")))
            {
                problems.Add($"{cmdlet.Name}: the markdown synopsis differs from the MAML one; run tools/help/md2maml.py");
            }
            var mdParameters = lines.Where(l => l.StartsWith("### -", StringComparison.Ordinal)).Select(l => l[5..].Trim()).ToList();
            var mamlParameters = Items(Prop(help, "parameters", "parameter")).Select(p => Text(Prop(p, "name"))).ToList();
            if (!mdParameters.SequenceEqual(mamlParameters))
            {
                problems.Add($"{cmdlet.Name}: markdown parameters [{string.Join(", ", mdParameters)}] differ from MAML [{string.Join(", ", mamlParameters)}]; run tools/help/md2maml.py");
            }
        }
        AssertNone(problems);
    }

    [Fact]
    public void AboutZipFitIsFoundAndCoversTheModule()
    {
        string about = string.Join("\n", _help.Session.Run("Get-Help about_ZipFit").Select(o => o.ToString()));
        Assert.True(about.Length > 2000, $"Get-Help about_ZipFit returned {about.Length} characters");

        var required = new List<string>
        {
            "NCD(x,y)", "align(x)", "gzip.compress", "zlib", "cache.db", "ZIPFIT_CACHE_DIR", "XDG_CACHE_HOME", "LocalApplicationData",
            "-CachePath", "-NoCache", "-Shard", "-TextProperty", "-IdProperty", "-BackgroundSize", "Import-Csv", "file:line",
            "gzip", "zstd", "brotli", "lz4", "1-22", "0-11", "0 and 3-12",
        };
        required.AddRange(_help.Cmdlets.Select(c => c.Name));
        // Every method a user can pass to -Method, read from the cmdlet itself.
        var method = _help.Cmdlets.Single(c => c.Name == "Get-ZipFitScore").Parameters["Method"];
        required.AddRange(Enum.GetNames(method.ParameterType));
        // Every error id the module can raise.
        var assembly = _help.Cmdlets[0].ImplementingType.Assembly;
        required.AddRange(ErrorIdsOf(assembly.GetType("ZipFit.ErrorIds", throwOnError: true)!).Where(id => id.StartsWith("ZipFit.", StringComparison.Ordinal)));
        // ZipFit.Core lives in the module's private load context; the module's resolver hands it to the default one.
        var datasetIds = Type.GetType("ZipFit.Core.Data.DatasetErrorIds, ZipFit.Core", throwOnError: true)!;
        required.AddRange(ErrorIdsOf(datasetIds).Select(id => "ZipFit." + id));

        var missing = required.Where(r => !about.Contains(r, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "about_ZipFit does not mention: " + string.Join(", ", missing));
    }

    [Fact]
    public void HelpIsFoundFromTheSelfContainedModuleCopy()
    {
        string manifest = Path.Combine(Repo.Root, "artifacts", "ZipFit", "ZipFit.psd1");
        Assert.True(File.Exists(manifest), $"{manifest} was not built");
        const string script = """
            "BASE=" + (Get-Module ZipFit).ModuleBase
            foreach ($name in (Get-Module ZipFit).ExportedCmdlets.Keys) {
                $h = Get-Help $name -Full
                "CMDLET=" + $name + "|" + @($h.examples.example).Count + "|" + @($h.parameters.parameter).Count + "|" + $h.Synopsis
            }
            "ABOUT=" + ((Get-Help about_ZipFit) -match 'NCD' -and (Get-Help about_ZipFit) -match 'ContextXent')
            """;
        using var host = HostProcess.Start(script, module: manifest);
        var (code, stdout, stderr) = host.WaitForExit(TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"host exited with {code}: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("BASE=" + Path.GetDirectoryName(manifest), lines);
        Assert.Contains("ABOUT=True", lines);
        var cmdlets = lines.Where(l => l.StartsWith("CMDLET=", StringComparison.Ordinal)).Select(l => l[7..].Split('|')).ToList();
        Assert.Equal(ExpectedCmdlets.Length, cmdlets.Count);
        foreach (var c in cmdlets)
        {
            Assert.True(int.Parse(c[1]) >= 2, $"{c[0]}: {c[1]} examples from the artifacts copy");
            Assert.False(c[3].Contains("<CommonParameters>"), $"{c[0]}: no MAML help from the artifacts copy ({c[3]})");
        }
    }

    // ---- comparing one parameter ---------------------------------------------------------------

    private static IEnumerable<string> CompareParameter(string cmdlet, ParameterMetadata metadata, object help)
    {
        string where = $"{cmdlet} -{metadata.Name}";
        var sets = metadata.ParameterSets.Values.ToList();

        var type = Nullable.GetUnderlyingType(metadata.ParameterType) ?? metadata.ParameterType;
        string helpType = Text(Prop(help, "type", "name"));
        if (helpType != type.Name)
        {
            yield return $"{where}: type '{helpType}', the cmdlet's is {type.Name}";
        }

        if (Text(Prop(help, "description")).Length < 10)
        {
            yield return $"{where}: no description";
        }

        string required = Text(Prop(help, "required"));
        bool allMandatory = sets.All(s => s.IsMandatory), anyMandatory = sets.Any(s => s.IsMandatory);
        if (allMandatory == anyMandatory && !string.Equals(required, allMandatory.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{where}: required '{required}', the cmdlet's is {allMandatory}";
        }

        string position = Text(Prop(help, "position"));
        var positions = sets.Select(s => s.Position == int.MinValue ? "named" : s.Position.ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        if (!positions.Contains(position, StringComparer.OrdinalIgnoreCase))
        {
            yield return $"{where}: position '{position}', the cmdlet's is {string.Join(" or ", positions)}";
        }

        string pipeline = Text(Prop(help, "pipelineInput"));
        bool byValue = sets.Any(s => s.ValueFromPipeline), byName = sets.Any(s => s.ValueFromPipelineByPropertyName);
        if (pipeline.StartsWith("True", StringComparison.OrdinalIgnoreCase) != (byValue || byName)
            || pipeline.Contains("ByValue", StringComparison.Ordinal) != byValue
            || pipeline.Contains("ByPropertyName", StringComparison.Ordinal) != byName)
        {
            yield return $"{where}: pipeline input '{pipeline}', the cmdlet's is ByValue={byValue}, ByPropertyName={byName}";
        }

        var helpAliases = Text(Prop(help, "aliases")).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(a => !a.Equals("none", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.OrdinalIgnoreCase);
        var aliases = metadata.Aliases.Order(StringComparer.OrdinalIgnoreCase);
        if (!helpAliases.SequenceEqual(aliases, StringComparer.OrdinalIgnoreCase))
        {
            yield return $"{where}: aliases '{string.Join(", ", helpAliases)}', the cmdlet's are '{string.Join(", ", aliases)}'";
        }

        if (metadata.Attributes.OfType<SupportsWildcardsAttribute>().Any() && !Text(Prop(help, "globbing")).Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{where}: supports wildcards, the help says it does not";
        }

        string[]? accepted = type.IsEnum ? Enum.GetNames(type) : metadata.Attributes.OfType<ValidateSetAttribute>().FirstOrDefault()?.ValidValues.ToArray();
        if (accepted is not null)
        {
            var documented = Items(Prop(help, "parameterValueGroup", "parameterValue")).Select(Text).ToList();
            if (!documented.SequenceEqual(accepted, StringComparer.OrdinalIgnoreCase))
            {
                yield return $"{where}: accepted values '{string.Join(", ", documented)}', the cmdlet's are '{string.Join(", ", accepted)}'";
            }
        }

        if (type != typeof(SwitchParameter) && !sets.All(s => s.IsMandatory) && Text(Prop(help, "defaultValue")).Length == 0)
        {
            yield return $"{where}: optional, but no default value is documented";
        }
    }

    // ---- reading help objects --------------------------------------------------------------------

    /// <summary>Follows property names through help objects; null when one is missing.</summary>
    private static object? Prop(object? obj, params string[] path)
    {
        foreach (string name in path)
        {
            if (obj is null)
            {
                return null;
            }
            var ps = obj as PSObject ?? PSObject.AsPSObject(obj);
            obj = ps.Properties[name]?.Value;
        }
        return obj;
    }

    /// <summary>A help node that may be one object or an array of them.</summary>
    private static IEnumerable<object> Items(object? node)
    {
        object? value = node is PSObject ps && ps.BaseObject is not PSCustomObject ? ps.BaseObject : node;
        return value switch
        {
            null => [],
            string => [value],
            IEnumerable many => many.Cast<object>().Where(o => o is not null),
            _ => [value],
        };
    }

    /// <summary>The text of a help node: a string, or the Text of its paragraphs.</summary>
    private static string Text(object? node)
    {
        object? value = node is PSObject ps && ps.BaseObject is not PSCustomObject ? ps.BaseObject : node;
        return value switch
        {
            null => "",
            string s => s.Trim(),
            IEnumerable many => string.Join("\n", many.Cast<object?>().Select(Text)).Trim(),
            PSObject o when o.Properties["Text"] is { } text => Text(text.Value),
            PSObject o when o.Properties["name"] is { } name => Text(name.Value),
            _ => value.ToString()?.Trim() ?? "",
        };
    }

    private static IEnumerable<string> ErrorIdsOf(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);

    private static void AssertNone(List<string> problems) =>
        Assert.True(problems.Count == 0, $"{problems.Count} help problems:\n" + string.Join("\n", problems));
}
