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

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void ProcessesShareOneCache(int processes)
    {
        var reference = Reference();
        var hosts = Enumerable.Range(0, processes).Select(_ => HostProcess.Start(ScoreCommand($"-CachePath '{CachePath}'"))).ToList();
        try
        {
            foreach (var host in hosts)
            {
                var (code, stdout, stderr) = host.WaitForExit(TimeSpan.FromMinutes(5));
                Assert.True(code == 0, stderr);
                Assert.DoesNotContain("WARNING", stderr);
                Assert.Equal(reference, ParseScores(stdout));
            }
        }
        finally
        {
            hosts.ForEach(h => h.Dispose());
        }
        Assert.Equal("ok", IntegrityCheck());
        Assert.Equal(PoolSize, ScoreRows());
    }

    [Fact]
    public void RepeatedKillsNeverDamageTheCacheAndNothingIsLost()
    {
        var reference = Reference();
        long previous = 0;
        foreach (int delayMs in new[] { 900, 1500, 2200 })
        {
            using (var victim = HostProcess.Start(ScoreCommand($"-CachePath '{CachePath}'")))
            {
                Thread.Sleep(delayMs);
                if (!victim.HasExited)
                {
                    victim.Kill();
                }
            }
            Assert.Equal("ok", IntegrityCheck());
            // A kill before the schema's first commit leaves an empty database: no rows committed yet.
            long rows = File.Exists(CachePath) ? SafeScoreRows() : 0;
            Assert.True(rows >= previous, "a kill must never lose committed rows");
            previous = rows;
        }
        using var last = HostProcess.Start(ScoreCommand($"-CachePath '{CachePath}'"));
        var (code, stdout, stderr) = last.WaitForExit(TimeSpan.FromMinutes(5));
        Assert.True(code == 0, stderr);
        Assert.Equal(reference, ParseScores(stdout));
        Assert.Equal(PoolSize, ScoreRows());
    }

    [Fact]
    public void AKilledExportLeavesNoPartialOutput()
    {
        string output = Path.Combine(_dir, "top.jsonl");
        foreach (int delayMs in new[] { 1200, 2500 })
        {
            using var victim = HostProcess.Start(
                $"Get-ZipFitScore -Path '{PoolPath}' -Target (Import-ZipFitDataset '{TargetPath}') -ThrottleLimit 1 -NoCache | Export-ZipFitDataset '{output}' -Force");
            Thread.Sleep(delayMs);
            bool finished = victim.HasExited;
            if (!finished)
            {
                victim.Kill();
            }
            // Absent, or complete: never a partial file under the user's name.
            if (File.Exists(output))
            {
                Assert.True(finished, "an export killed midway must not leave the output file");
                Assert.Equal(PoolSize, File.ReadAllLines(output).Length);
            }
        }
        // The killed writer's temporary file is hidden (.top.jsonl.<id>.partial) and is the only trace.
        Assert.All(Directory.GetFiles(_dir, ".top.jsonl.*"), f => Assert.EndsWith(".partial", f));
    }

    [Fact]
    public void AFullDiskMeansAWarningForTheCacheAndAClearErrorForTheExport()
    {
        using var disk = TmpfsMount.TryCreate("256");
        if (disk is null)
        {
            return; // not root: mounting a small filesystem is not possible here
        }
        var reference = Reference();
        string output = Path.Combine(disk.Path, "top.jsonl");
        File.WriteAllText(output, "{\"kept\":true}\n");
        using (var host = HostProcess.Start(ScoreCommand($"-CachePath '{disk.Path}/cache.db'")))
        {
            var (code, stdout, stderr) = host.WaitForExit(TimeSpan.FromMinutes(5));
            Assert.True(code == 0, stderr);
            Assert.Contains("WARNING", stderr);
            Assert.Equal(reference, ParseScores(stdout));
        }

        // Fill the disk so the export cannot fit.
        using (var filler = new FileStream(Path.Combine(disk.Path, "filler"), FileMode.Create))
        {
            try { filler.Write(new byte[1024 * 1024]); } catch (IOException) { }
        }
        using (var export = HostProcess.Start(
            $"Get-ZipFitScore -Path '{PoolPath}' -Target 'def f(): pass' -NoCache | Export-ZipFitDataset '{output}' -Force"))
        {
            var (code, _, stderr) = export.WaitForExit(TimeSpan.FromMinutes(5));
            Assert.Equal(1, code);
            Assert.Contains("ZipFit.WriteFailed", stderr);
        }
        Assert.Equal("{\"kept\":true}\n", File.ReadAllText(output));
        Assert.Empty(Directory.GetFiles(disk.Path, "*.partial"));
    }

    [Fact]
    public void AReadOnlyCacheLocationMeansAWarningAndScoresAnyway()
    {
        using var disk = TmpfsMount.TryCreate("1024");
        if (disk is null)
        {
            return; // not root
        }
        disk.MakeReadOnly();
        var reference = Reference();
        using var host = HostProcess.Start(ScoreCommand($"-CachePath '{disk.Path}/cache.db'"));
        var (code, stdout, stderr) = host.WaitForExit(TimeSpan.FromMinutes(5));
        Assert.True(code == 0, stderr);
        Assert.Contains("WARNING", stderr);
        Assert.Equal(reference, ParseScores(stdout));
    }
}
