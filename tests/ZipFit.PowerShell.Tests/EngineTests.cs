using System.Globalization;

namespace ZipFit.PowerShell.Tests;

/// <summary>Exact gzip scores do not depend on the machine's zlib: the managed engine alone gives the same.</summary>
public sealed class EngineTests
{
    private static Dictionary<string, double> Scores(IDictionary<string, string> environment, out string identity)
    {
        string fixtures = Path.Combine(Repo.Root, "tests", "fixtures", "python-code");
        using var host = HostProcess.Start(
            $"Get-ZipFitScore -Path '{fixtures}/source.jsonl' -Target (Import-ZipFitDataset '{fixtures}/target.jsonl') -Level 6 -NoCache | " +
            "ForEach-Object { $_.Id + \"`t\" + $_.Score.ToString('R') + \"`t\" + $_.Compressor }", environment);
        var (code, stdout, stderr) = host.WaitForExit(TimeSpan.FromMinutes(3));
        Assert.True(code == 0, stderr);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split('\t')).ToList();
        identity = rows[0][2];
        return rows.ToDictionary(r => r[0], r => double.Parse(r[1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ScoresAreTheSameWithAndWithoutTheSystemZlib()
    {
        var managedOnly = Scores(new Dictionary<string, string> { ["ZIPFIT_NO_SYSTEM_ZLIB"] = "1" }, out string managedIdentity);
        var system = Scores(new Dictionary<string, string> { ["ZIPFIT_GZIP_ENGINE"] = "system" }, out string systemIdentity);
        Assert.Equal("gzip-6/managed-zlib-1.2.13", managedIdentity);
        Assert.StartsWith("gzip-6/zlib-", systemIdentity);
        Assert.Equal(60, managedOnly.Count);
        Assert.Equal(system, managedOnly);

        // And both equal Python's gzip.compress (the committed reference).
        var reference = File.ReadLines(Path.Combine(Repo.Root, "tests", "fixtures", "python-code", "scores-gzip6.tsv")).Skip(1)
            .Select(l => l.Split('\t')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        Assert.All(managedOnly, kv => Assert.True(Math.Abs(reference[kv.Key] - kv.Value) <= 1e-12, kv.Key));
    }
}
