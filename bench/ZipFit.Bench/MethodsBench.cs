using System.Diagnostics;
using System.Text.Json;
using ZipFit.Core.Compression;
using ZipFit.Core.Data;
using ZipFit.Core.Scoring;

namespace ZipFit.Bench;

/// <summary>Precision of each selection method on the labelled medium pool, and its cost.</summary>
internal static class MethodsBench
{
    private sealed record Labelled(DatasetRecord Record, string Domain);

    public static Table Run(BenchData data, bool includeNcd)
    {
        var pool = data.Read(data.MediumPath).Select(r => new Labelled(r, DomainOf(r))).ToList();
        var target = data.Read(data.TargetPath).Select(r => r.Utf8).ToList();
        var table = new Table("Selection methods: python target (200) vs the medium pool (20,000; 1,000 python)",
            "method", "p@100", "p@1000", "prep s", "scoring wall s (2 threads)", "scoring CPU s");
        var methods = Enum.GetValues<ScoringMethodName>().Where(m => includeNcd || m != ScoringMethodName.Ncd);
        foreach (var name in methods)
        {
            var (scores, prep, wall, cpu) = Score(name, target, pool.Select(p => p.Record).ToList());
            table.Row(name, Precision(scores, pool, "python", 100), Precision(scores, pool, "python", 1000), prep, wall, cpu);
        }
        table.Note("Background sample for the O(N) methods: the first 2,000 pool examples (as Get-ZipFitScore does). CPU = process CPU time while scoring.");
        return table;
    }

    /// <summary>R-precision when the target is 200 examples of another domain, taken out of the pool.</summary>
    public static Table Generalisation(BenchData data)
    {
        var all = data.Read(data.MediumPath).Select(r => new Labelled(r, DomainOf(r))).ToList();
        string[] domains = ["python", "rust", "english", "formal-math", "c", "latex", "shell", "javascript", "perl"];
        var methods = Enum.GetValues<ScoringMethodName>().Where(m => m != ScoringMethodName.Ncd).ToList();
        var table = new Table("Generalisation: R-precision with 200 pool examples of a domain as the target",
            ["method", .. domains, "mean", "min"]);
        foreach (var name in methods)
        {
            var cells = new List<double>();
            foreach (string domain in domains)
            {
                var targetItems = all.Where(p => p.Domain == domain).Take(200).ToList();
                var pool = all.Except(targetItems).ToList();
                int relevant = pool.Count(p => p.Domain == domain);
                var (scores, _, _, _) = Score(name, targetItems.Select(t => t.Record.Utf8).ToList(), pool.Select(p => p.Record).ToList());
                cells.Add(Precision(scores, pool, domain, relevant));
            }
            table.Row([name, .. cells.Cast<object>(), cells.Average(), cells.Min()]);
        }
        return table;
    }

    private static (double[] Scores, double Prep, double Wall, double Cpu) Score(ScoringMethodName name, List<byte[]> target, List<DatasetRecord> pool)
    {
        var process = Process.GetCurrentProcess();
        var sw = Stopwatch.StartNew();
        var background = pool.Take(MethodCatalog.DefaultBackgroundSize).Select(r => r.Utf8).ToList();
        var method = MethodCatalog.Prepare(name, new TargetSet(target), CompressorSpec.Default,
            MethodCatalog.NeedsBackground(name) ? background : null);
        double prep = sw.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        sw.Restart();
        var scores = ExampleScoring.Score(method, pool.Select((r, i) => new ScoringInput<int>(r.Utf8, i)), 2).Select(r => r.Score).ToArray();
        double wall = sw.Elapsed.TotalSeconds;
        process.Refresh();
        return (scores, prep, wall, (process.TotalProcessorTime - cpu0).TotalSeconds);
    }

    private static double Precision(double[] scores, List<Labelled> pool, string domain, int k) =>
        scores.Select((s, i) => (s, i)).OrderByDescending(p => p.s).ThenBy(p => p.i).Take(k).Count(p => pool[p.i].Domain == domain) / (double)k;

    private static string DomainOf(DatasetRecord r)
    {
        using var doc = JsonDocument.Parse(r.Json!);
        return doc.RootElement.GetProperty("domain").GetString()!;
    }
}
