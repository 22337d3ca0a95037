using System.Diagnostics;
using System.Management.Automation;
using System.Text.Json;

namespace ZipFit.PowerShell.Tests;

/// <summary>Runs alone: it counts the scoring threads alive in the process.</summary>
[CollectionDefinition(nameof(SerialCollection), DisableParallelization = true)]
public sealed class SerialCollection;

/// <summary>Progress, Ctrl+C and completion, as a pwsh user meets them.</summary>
[Collection(nameof(SerialCollection))]
public sealed class ExperienceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zipfit-ux-").FullName;
    private static string Fixture(string name) => Path.Combine(Repo.Root, "tests", "fixtures", "python-code", name);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A pool that takes several seconds to score exactly: the fixture repeated with distinct texts.</summary>
    private string BigPool(int copies)
    {
        string path = Path.Combine(_dir, "pool.jsonl");
        using var writer = new StreamWriter(path);
        var lines = File.ReadAllLines(Fixture("source.jsonl"));
        for (int c = 0; c < copies; c++)
        {
            foreach (string line in lines)
            {
                using var doc = JsonDocument.Parse(line);
                writer.WriteLine(JsonSerializer.Serialize(new
                {
                    id = doc.RootElement.GetProperty("id").GetString() + "-" + c,
                    text = doc.RootElement.GetProperty("text").GetString() + "\n# " + c,
                }));
            }
        }
        return path;
    }

    [Fact]
    public void ScoringReportsProgressWithRateAndTimeLeftAndCompletes()
    {
        using var session = new PowerShellSession();
        using var ps = session.Create($"Get-ZipFitScore -Path '{BigPool(4)}' -Target (Import-ZipFitDataset '{Fixture("target.jsonl")}') -NoCache");
        var results = ps.Invoke();
        Assert.Equal(240, results.Count);
        var records = ps.Streams.Progress.Where(p => p.Activity == "Get-ZipFitScore").ToList();
        Assert.NotEmpty(records);
        Assert.Contains(records, r => r.RecordType == ProgressRecordType.Processing && r.StatusDescription.Contains("/s") && r.PercentComplete >= 0);
        Assert.Equal(ProgressRecordType.Completed, records[^1].RecordType);
    }

    [Fact]
    public void StoppingAnExportLeavesNoFileAndReleasesTheWorkers()
    {
        using var session = new PowerShellSession();
        string output = Path.Combine(_dir, "top.jsonl");
        using var ps = session.Create(
            $"Import-ZipFitDataset '{BigPool(30)}' | Get-ZipFitScore -Target (Import-ZipFitDataset '{Fixture("target.jsonl")}') -NoCache | Export-ZipFitDataset '{output}'");
        var async = ps.BeginInvoke();
        // Let it get well into the work: the partial file exists, workers are busy.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && Directory.GetFiles(_dir, "*.partial").Length == 0)
        {
            Thread.Sleep(20);
        }
        Thread.Sleep(300);
        Assert.False(async.IsCompleted, "the run ended before it could be stopped");
        var sw = Stopwatch.StartNew();
        ps.Stop();
        sw.Stop();
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"stopping took {sw.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.False(File.Exists(output), "a stopped export must leave no output");
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
        var live = session.Run("[Type]::GetType('ZipFit.Core.Scoring.WorkerThreads, ZipFit.Core', $true)::Live");
        Assert.Equal(0, (int)live[0].BaseObject);
    }

    [Theory]
    [InlineData("Get-ZipFitScore -Compressor z", "zstd")]
    [InlineData("Get-ZipFitScore -Method Con", "ContextXent")]
    [InlineData("Get-ZipFitScore -Method Dsir", "DsirSmoothed")]
    [InlineData("New-ZipFitTarget -Compressor br", "brotli")]
    public void ParameterValuesComplete(string input, string expected)
    {
        using var session = new PowerShellSession();
        var matches = Complete(session, input);
        Assert.Contains(expected, matches);
    }

    [Theory]
    [InlineData("Get-ZipFitScore -Compressor zstd -Level ", 1, 22)]
    [InlineData("Get-ZipFitScore -Level ", 0, 9)]
    [InlineData("Get-ZipFitScore -Compressor brotli -Level ", 0, 11)]
    public void LevelCompletesTheChosenCompressorsRange(string input, int first, int last)
    {
        using var session = new PowerShellSession();
        var matches = Complete(session, input);
        Assert.Equal(first.ToString(), matches[0]);
        Assert.Equal(last.ToString(), matches[^1]);
        Assert.Equal(last - first + 1, matches.Count);
    }

    [Fact]
    public void Lz4LevelsSkipTheOnesThatDoNotExist()
    {
        using var session = new PowerShellSession();
        var matches = Complete(session, "Get-ZipFitScore -Compressor lz4 -Level ");
        Assert.Equal(new[] { "0", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12" }, matches);
    }

    private static List<string> Complete(PowerShellSession session, string input)
    {
        var result = session.Run($"(TabExpansion2 -inputScript '{input}' -cursorColumn {input.Length}).CompletionMatches | ForEach-Object CompletionText");
        return result.Select(r => r.ToString()).ToList();
    }
}
