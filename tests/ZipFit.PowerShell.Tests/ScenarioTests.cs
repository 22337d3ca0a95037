using System.Management.Automation;
using System.Management.Automation.Language;

namespace ZipFit.PowerShell.Tests;

/// <summary>Runs each tests/scenarios/*.ps1 in a fresh runspace; a scenario throws on failure.</summary>
public class ScenarioTests
{
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Repo.Scenarios, "*.ps1").Order())
        {
            if (!Path.GetFileName(file).StartsWith('_'))
            {
                data.Add(Path.GetFileNameWithoutExtension(file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario(string name)
    {
        using var session = new PowerShellSession();
        try
        {
            session.RunFile(Path.Combine(Repo.Scenarios, name + ".ps1"), out var errors);
            Assert.True(errors.Count == 0,
                "The scenario left unexpected errors:\n" + string.Join("\n", errors.Select(e => $"{e.FullyQualifiedErrorId}: {e} {e.InvocationInfo?.PositionMessage}")));
        }
        catch (RuntimeException ex)
        {
            Assert.Fail($"{name}: {ex.Message}\n{ex.ErrorRecord.InvocationInfo?.PositionMessage}\n{ex.ErrorRecord.ScriptStackTrace}");
        }
    }

    [Fact]
    public void EveryScenarioIsFound() => Assert.True(Scenarios().Count >= 5);

    [Fact]
    public void PesterFileAndScenariosParse()
    {
        var files = Directory.GetFiles(Repo.Scenarios, "*.ps1").Append(Path.Combine(Repo.Root, "tests", "ZipFit.Tests.ps1"))
            .Concat(Directory.GetFiles(Path.Combine(Repo.Root, "examples"), "*.ps1"));
        foreach (string file in files)
        {
            Parser.ParseFile(file, out _, out var parseErrors);
            Assert.True(parseErrors.Length == 0, $"{file}: " + string.Join("; ", parseErrors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}")));
        }
    }

    [Fact]
    public void PesterFileRunsEveryScenario()
    {
        string pester = File.ReadAllText(Path.Combine(Repo.Root, "tests", "ZipFit.Tests.ps1"));
        var ast = Parser.ParseInput(pester, out _, out _);
        var commands = ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>().Select(c => c.GetCommandName()).ToList();
        Assert.Contains("Describe", commands);
        Assert.Contains("It", commands);
        Assert.Contains("scenarios", pester);
    }
}
