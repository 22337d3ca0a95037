using System.Text;

namespace ZipFit.PowerShell.Tests;

/// <summary>Very large and very many records, run as users run them; memory stays bounded.</summary>
public sealed class LargeInputTests(Xunit.Abstractions.ITestOutputHelper log) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zipfit-large-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AFiftyMegabyteTextIsScored()
    {
        string path = Path.Combine(_dir, "big.jsonl");
        var random = new Random(5);
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            writer.Write("{\"id\":\"small\",\"text\":\"def f(): pass\"}\n{\"id\":\"big\",\"text\":\"");
            var words = new[] { "alpha", "beta", "gamma", "delta", "def", "return", "class", "import" };
            long written = 0;
            while (written < 50L * 1024 * 1024)
            {
                string w = words[random.Next(words.Length)] + (random.Next(10) == 0 ? "\\n" : " ");
                writer.Write(w);
                written += w.Length;
            }
            writer.Write("\"}\n{\"id\":\"after\",\"text\":\"x = 1\"}\n");
        }
        using var host = HostProcess.Start(
            $"Get-ZipFitScore -Path '{path}' -Target 'def g(): return 1' -NoCache -MaxRecordBytes 64MB | ForEach-Object {{ $_.Id + ' ' + $_.Bytes }}");
        var (code, stdout, stderr) = host.WaitForExit(TimeSpan.FromMinutes(5));
        Assert.True(code == 0, $"exit {code}: {stderr} {stdout}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().Split(' ')).ToList();
        Assert.Equal(new[] { "small", "big", "after" }, lines.Select(l => l[0]));
        Assert.True(long.Parse(lines[1][1]) > 45L * 1024 * 1024, lines[1][1]);
        log.WriteLine($"50 MB text: peak RSS {host.PeakRssMb:F0} MB (host process, VmHWM)");
        // A 50 MB record held as JSON, string and UTF-8 is a few hundred MB at most, not a runaway.
        Assert.True(double.IsNaN(host.PeakRssMb) || host.PeakRssMb < 1200, $"peak RSS {host.PeakRssMb:F0} MB");
    }

    [Fact]
    public void AMillionTinyRecordsStreamInBoundedMemory()
    {
        string path = Path.Combine(_dir, "tiny.jsonl");
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            for (int i = 0; i < 1_000_000; i++)
            {
                writer.Write("{\"id\":\"t");
                writer.Write(i);
                writer.Write("\",\"text\":\"x");
                writer.Write(i % 977);
                writer.Write("\"}\n");
            }
        }
        string output = Path.Combine(_dir, "top.jsonl");
        using var host = HostProcess.Start(
            $"Get-ZipFitScore -Path '{path}' -Target 'x12' -NoCache -Verbose | Select-ZipFitTop 5 | Export-ZipFitDataset '{output}' -IncludeScore -PassThru | ForEach-Object Length");
        var (code, stdout, stderr) = host.WaitForExit(TimeSpan.FromMinutes(10));
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains("1000000 examples", stderr);
        var top = File.ReadAllLines(output);
        Assert.Equal(5, top.Length);
        Assert.All(top, line => Assert.Contains("\"zipfit_score\":", line));
        log.WriteLine($"1,000,000 records: peak RSS {host.PeakRssMb:F0} MB (host process, VmHWM)");
        Assert.True(double.IsNaN(host.PeakRssMb) || host.PeakRssMb < 500, $"peak RSS {host.PeakRssMb:F0} MB for a million records");
    }
}
