using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ZipFit.PowerShell.Tests;

/// <summary>The cache under real processes: killed mid-run, and shared by concurrent processes.</summary>
public sealed class CacheFaultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zipfit-faults-").FullName;

    public CacheFaultTests()
    {
        // A pool big enough to take a few seconds: the fixture's examples in 8 variants each.
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, "tests", "fixtures", "python-code", "source.jsonl"));
        using var writer = new StreamWriter(PoolPath);
        for (int v = 0; v < 8; v++)
        {
            foreach (string line in lines)
            {
                using var doc = JsonDocument.Parse(line);
                string id = doc.RootElement.GetProperty("id").GetString()!;
                string text = doc.RootElement.GetProperty("text").GetString()!;
                writer.WriteLine(JsonSerializer.Serialize(new { id = $"{id}-v{v}", text = $"{text}\n# variant {v}\n" }));
            }
        }
    }

    private string PoolPath => Path.Combine(_dir, "pool.jsonl");
    private string CachePath => Path.Combine(_dir, "cache.db");
    private static string TargetPath => Path.Combine(Repo.Root, "tests", "fixtures", "python-code", "target.jsonl");
    private const int PoolSize = 480;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string ScoreCommand(string cacheArgument) =>
        $"Get-ZipFitScore -Path '{PoolPath}' -Target (Import-ZipFitDataset '{TargetPath}') -ThrottleLimit 1 {cacheArgument} -Verbose | " +
        "ForEach-Object { $_.Id + \"`t\" + $_.Score.ToString('R') }";

    private static Dictionary<string, double> ParseScores(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd('\r').Split('\t'))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));

    private long ScoreRows()
    {
        using var connection = new SqliteConnection($"Data Source={CachePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM scores";
        return (long)command.ExecuteScalar()!;
    }

    private string IntegrityCheck()
    {
        using var connection = new SqliteConnection($"Data Source={CachePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }

    private Dictionary<string, double> Reference()
    {
        using var host = HostProcess.Start(ScoreCommand("-NoCache"));
        var (code, stdout, stderr) = host.WaitForExit(TimeSpan.FromMinutes(5));
        Assert.True(code == 0, stderr);
        var scores = ParseScores(stdout);
        Assert.Equal(PoolSize, scores.Count);
        return scores;
    }

    [Fact]
    public void AKilledRunLeavesAConsistentCacheAndTheNextRunComputesOnlyWhatIsMissing()
    {
        var reference = Reference();
        using (var victim = HostProcess.Start(ScoreCommand($"-CachePath '{CachePath}'")))
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (DateTime.UtcNow < deadline && !victim.HasExited)
            {
                if (File.Exists(CachePath) && SafeScoreRows() > 0)
                {
                    break;
                }
                Thread.Sleep(20);
            }
            Assert.False(victim.HasExited, "the run finished before it could be killed: " + victim.Stderr);
            victim.Kill();
        }
        Assert.Equal("ok", IntegrityCheck());
        long kept = ScoreRows();
        Assert.InRange(kept, 1, PoolSize - 1);

        using var rerun = HostProcess.Start(ScoreCommand($"-CachePath '{CachePath}'"));
        var (code, stdout, stderr) = rerun.WaitForExit(TimeSpan.FromMinutes(5));
        Assert.True(code == 0, stderr);
        Assert.Equal(reference, ParseScores(stdout));
        Assert.Contains($"{kept} scores from the cache", stderr);
        Assert.Equal(PoolSize, ScoreRows());
    }

    private long SafeScoreRows()
    {
        try
        {
            return ScoreRows();
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    [Fact]
    public void TwoProcessesShareOneCache()
    {
        var reference = Reference();
        using var a = HostProcess.Start(ScoreCommand($"-CachePath '{CachePath}'"));
        using var b = HostProcess.Start(ScoreCommand($"-CachePath '{CachePath}'"));
        var ra = a.WaitForExit(TimeSpan.FromMinutes(5));
        var rb = b.WaitForExit(TimeSpan.FromMinutes(5));
        Assert.True(ra.ExitCode == 0, ra.Stderr);
        Assert.True(rb.ExitCode == 0, rb.Stderr);
        Assert.Equal(reference, ParseScores(ra.Stdout));
        Assert.Equal(reference, ParseScores(rb.Stdout));
        Assert.Equal("ok", IntegrityCheck());
        Assert.Equal(PoolSize, ScoreRows());
    }
}
