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
            "method", "p@100", "p@1000", "prep s", "scoring wall s (2 threads)", "scoring CPU s", "scorer alone, 1 thread s");
        var methods = Enum.GetValues<ScoringMethodName>().Where(m => includeNcd || m != ScoringMethodName.Ncd);
        var records = pool.Select(p => p.Record).ToList();
        foreach (var name in methods)
        {
            var (method, scores, prep, wall, cpu) = Score(name, target, records);
            double alone = name == ScoringMethodName.Ncd ? double.NaN : ScorerAlone(method, records);
            table.Row(name, Precision(scores, pool, "python", 100), Precision(scores, pool, "python", 1000), prep, wall, cpu, alone);
        }
        table.Note("Background sample for the O(N) methods: the first 2,000 pool examples (as Get-ZipFitScore does). CPU = process CPU time while scoring, " +
            "through the parallel ordered pipeline the cmdlets use. Scorer alone = one scorer called on the 20,000 in a loop on one thread, after a warm-up pass over " +
            "2,000, best of 3: the method's own cost without the pipeline.");
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
                var (_, scores, _, _, _) = Score(name, targetItems.Select(t => t.Record.Utf8).ToList(), pool.Select(p => p.Record).ToList());
                cells.Add(Precision(scores, pool, domain, relevant));
            }
            table.Row([name, .. cells.Cast<object>(), cells.Average(), cells.Min()]);
        }
        return table;
    }

    /// <summary>
    /// A diagnostic that uses the labels: how far <see cref="ScoringMethodName.MultiViewXent"/> gets when the target set
    /// is given the python examples of its own background sample. "top k" adds only the python among the k sample
    /// examples the method itself ranks highest, so the rows show how deep in the sample the python that matter sit.
    /// </summary>
    public static Table Ceiling(BenchData data)
    {
        var pool = data.Read(data.MediumPath).Select(r => new Labelled(r, DomainOf(r))).ToList();
        var target = data.Read(data.TargetPath).Select(r => r.Utf8).ToList();
        var records = pool.Select(p => p.Record).ToList();
        var sample = pool.Take(MethodCatalog.DefaultBackgroundSize).ToList();
        var table = new Table("Ceiling of MultiViewXent: the sample's python added to the target set (uses the labels)",
            "target set", "sample python added", "p@100", "p@1000");

        var (_, baseline, _, _, _) = Score(ScoringMethodName.MultiViewXent, target, records);
        table.Row("the 200 targets", 0, Precision(baseline, pool, "python", 100), Precision(baseline, pool, "python", 1000));

        // The method's own ranking of its sample (the first 2,000 pool examples).
        var sampleOrder = Enumerable.Range(0, sample.Count).OrderByDescending(i => baseline[i]).ThenBy(i => i).ToList();
        foreach (int depth in new[] { 100, 200, 400, 1000, sample.Count })
        {
            var added = sampleOrder.Take(depth).Where(i => sample[i].Domain == "python").Order().ToList();
            var extended = target.Concat(added.Select(i => sample[i].Record.Utf8)).ToList();
            var background = sample.Where((_, i) => !added.Contains(i)).Select(p => p.Record.Utf8).ToList();
            var scores = ScoreWith(ScoringMethodName.MultiViewXent, extended, background, records);
            string label = depth == sample.Count ? "+ every python of the sample" : $"+ python among the method's top {depth} of the sample";
            table.Row(label, added.Count, Precision(scores, pool, "python", 100), Precision(scores, pool, "python", 1000));
        }
        table.Note($"The sample holds {sample.Count(p => p.Domain == "python")} python. Added examples leave the background sample, " +
            "so the method's own partition of the sample is not used. Evaluation only: no method here reads labels.");
        return table;
    }

    /// <summary>How precision depends on the size of the target set and of the background sample.</summary>
    public static Table Sensitivity(BenchData data)
    {
        var pool = data.Read(data.MediumPath).Select(r => new Labelled(r, DomainOf(r))).ToList();
        var targets = data.Read(data.TargetPath).Select(r => r.Utf8).ToList();
        var records = pool.Select(p => p.Record).ToList();
        var methods = new[] { ScoringMethodName.MultiViewXent, ScoringMethodName.MixtureXent, ScoringMethodName.DsirSmoothed };
        var table = new Table("Sensitivity: python precision by target-set size and background-sample size (p@100 / p@1000)",
            ["targets", "background sample", .. methods.Select(m => m.ToString())]);
        foreach (int targetCount in new[] { 5, 20, 50, targets.Count })
            foreach (int sampleSize in new[] { 200, 500, 2000, 5000 })
            {
                var target = targets.Take(targetCount).ToList();
                var background = records.Take(sampleSize).Select(r => r.Utf8).ToList();
                var cells = methods.Select(m =>
                {
                    var scores = ScoreWith(m, target, background, records);
                    return $"{Precision(scores, pool, "python", 100):0.00} / {Precision(scores, pool, "python", 1000):0.000}";
                });
                table.Row([targetCount, sampleSize, .. cells]);
            }
        table.Note("Targets: the first n of target.jsonl. Background sample: the first n pool examples (Get-ZipFitScore -BackgroundSize; default 2,000).");
        return table;
    }

    private static double ScorerAlone(IScoringMethod method, List<DatasetRecord> pool)
    {
        using var scorer = method.CreateScorer();
        foreach (var r in pool.Take(2000)) scorer.Score(r.Utf8);
        double best = double.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            var sw = Stopwatch.StartNew();
            foreach (var r in pool) scorer.Score(r.Utf8);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    /// <summary>
    /// Precision when the pool is not in random order, with the sample taken from the head of the stream
    /// (-BackgroundSize) or given up front (-Background: a hash shard of the pool, the same in any order).
    /// Runs through <see cref="ScoringSession{TTag}"/>, as Get-ZipFitScore does.
    /// </summary>
    public static Table PoolOrder(BenchData data)
    {
        var shipped = data.Read(data.MediumPath).Select(r => new Labelled(r, DomainOf(r))).ToList();
        var target = new TargetSet(data.Read(data.TargetPath).Select(r => r.Utf8));
        var sampleShard = new Shard(0, 10);
        var sample = shipped.Where(p => sampleShard.Contains(p.Record.Id)).Select(p => p.Record.Utf8).ToList();
        var orders = new (string Name, List<Labelled> Pool)[]
        {
            ("as shipped (random)", shipped),
            ("sorted by domain name", shipped.OrderBy(p => p.Domain, StringComparer.Ordinal).ToList()),
            ("sorted by length, shortest first", shipped.OrderBy(p => p.Record.Utf8.Length).ToList()),
        };
        var table = new Table("Pool order: python precision (p@100 / p@1000) with the sample from the head of the stream or given with -Background",
            "pool order", "method", "head of the stream (2,000)", $"-Background: shard {sampleShard} ({sample.Count:N0})");
        foreach (var (order, pool) in orders)
        {
            foreach (var name in new[] { ScoringMethodName.MultiViewXent, ScoringMethodName.DsirSmoothed })
            {
                string Cell(IReadOnlyList<byte[]>? given)
                {
                    var scores = new double[pool.Count];
                    using var session = new ScoringSession<int>(new ScoringSessionOptions(name, target, CompressorSpec.Default, 2) { Background = given });
                    for (int i = 0; i < pool.Count; i++)
                    {
                        session.Add(pool[i].Record.Utf8, i);
                        while (session.TryTake(out double score, out int tag)) scores[tag] = score;
                    }
                    foreach (var (score, tag) in session.Complete()) scores[tag] = score;
                    return $"{Precision(scores, pool, "python", 100):0.00} / {Precision(scores, pool, "python", 1000):0.000}";
                }
                table.Row(order, name, Cell(null), Cell(sample));
            }
        }
        table.Note("The shard sample is the pool's examples whose id hashes to shard 0 of 10 (Import-ZipFitDataset -Shard 0/10), so it is the same whatever the order.");
        return table;
    }

    private static IScoringMethod Prepare(ScoringMethodName name, List<byte[]> target, List<byte[]> background) =>
        MethodCatalog.Prepare(name, new TargetSet(target), CompressorSpec.Default, MethodCatalog.NeedsBackground(name) ? background : null);

    /// <summary>Scores the pool through the parallel ordered pipeline the cmdlets use, on 2 threads.</summary>
    private static double[] ScorePool(IScoringMethod method, List<DatasetRecord> pool) =>
        ExampleScoring.Score(method, pool.Select((r, i) => new ScoringInput<int>(r.Utf8, i)), 2).Select(r => r.Score).ToArray();

    private static double[] ScoreWith(ScoringMethodName name, List<byte[]> target, List<byte[]> background, List<DatasetRecord> pool) =>
        ScorePool(Prepare(name, target, background), pool);

    /// <summary>Prepares with the pool's first 2,000 examples as the background sample and scores the pool, timed.</summary>
    private static (IScoringMethod Method, double[] Scores, double Prep, double Wall, double Cpu) Score(
        ScoringMethodName name, List<byte[]> target, List<DatasetRecord> pool)
    {
        var process = Process.GetCurrentProcess();
        var sw = Stopwatch.StartNew();
        var method = Prepare(name, target, pool.Take(MethodCatalog.DefaultBackgroundSize).Select(r => r.Utf8).ToList());
        double prep = sw.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        sw.Restart();
        var scores = ScorePool(method, pool);
        double wall = sw.Elapsed.TotalSeconds;
        process.Refresh();
        return (method, scores, prep, wall, (process.TotalProcessorTime - cpu0).TotalSeconds);
    }

    private static double Precision(double[] scores, List<Labelled> pool, string domain, int k) =>
        scores.Select((s, i) => (s, i)).OrderByDescending(p => p.s).ThenBy(p => p.i).Take(k).Count(p => pool[p.i].Domain == domain) / (double)k;

    private static string DomainOf(DatasetRecord r)
    {
        using var doc = JsonDocument.Parse(r.Json!);
        return doc.RootElement.GetProperty("domain").GetString()!;
    }
}
