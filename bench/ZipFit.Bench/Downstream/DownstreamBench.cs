using ZipFit.Core.Measures;
using System.Text.Json;
using ZipFit.Core.Data;
using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;
using ZipFit.Core.Selection;
using ZipFit.Core.Selection.Coverage;

namespace ZipFit.Bench.Downstream;

/// <summary>A labelled example of a scenario (the label is for baselines and reports only; selectors never read it).</summary>
internal sealed record LabelledExample(DatasetRecord Record, string Domain)
{
    public byte[] Utf8 => Record.Utf8;
}

/// <summary>A selection scenario: target examples to select with, held-out target examples to judge by, and a pool.</summary>
internal sealed record Scenario(string Name, List<LabelledExample> Select, List<LabelledExample> Eval, List<LabelledExample> Pool)
{
    public List<byte[]> EvalBytes { get; } = Eval.Select(e => e.Utf8).ToList();

    /// <summary>mixed-target: four modes, 25 of each on each side, and the pool they came out of.</summary>
    public static Scenario MixedTarget(string dir) => new("mixed-target",
        ReadLabelled(Path.Combine(dir, "target-select.jsonl")),
        ReadLabelled(Path.Combine(dir, "target-eval.jsonl")),
        ReadLabelled(Path.Combine(dir, "pool.jsonl.gz")));

    /// <summary>python-code: the 200 targets split alternately into 100 to select with and 100 held out.</summary>
    public static Scenario PythonCode(BenchData data)
    {
        var targets = ReadLabelled(data.TargetPath);
        return new("python-code",
            targets.Where((_, i) => i % 2 == 0).ToList(),
            targets.Where((_, i) => i % 2 == 1).ToList(),
            ReadLabelled(data.MediumPath));
    }

    public static List<LabelledExample> ReadLabelled(string path) =>
        DatasetReader.Read(path).Where(i => i.Record is not null).Select(i => new LabelledExample(i.Record!, DomainOf(i.Record!))).ToList();

    private static string DomainOf(DatasetRecord r)
    {
        using var doc = JsonDocument.Parse(r.Json!);
        return doc.RootElement.TryGetProperty("domain", out var d) ? d.GetString() ?? "" : "";
    }
}

internal static class DownstreamBench
{
    /// <summary>
    /// Label oracle: the first examples of each target mode in pool order, in the target's proportions
    /// (for a single-mode target: the first K of that domain).
    /// </summary>
    public static List<LabelledExample> Oracle(Scenario s, int k)
    {
        var shares = s.Select.GroupBy(e => e.Domain).Select(g => (g.Key, Share: g.Count() / (double)s.Select.Count)).ToList();
        var quotas = QuotaAllocation.Allocate(shares.Select(x => x.Share).ToArray(), k);
        return shares.SelectMany((x, i) => s.Pool.Where(p => p.Domain == x.Key).Take(quotas[i])).ToList();
    }

    public static List<LabelledExample> Random(Scenario s, int k, int seed)
    {
        var rng = new Random(seed);
        return s.Pool.OrderBy(_ => rng.Next()).Take(k).ToList();
    }

    public static double Bpb(Scenario s, IEnumerable<LabelledExample> selection) =>
        WittenBellByteModel.Evaluate(selection.Select(e => e.Utf8), s.EvalBytes);
}

/// <summary>
/// The paper's yardstick, deterministic: selections from each method (top-K and coverage-balanced) and baselines are
/// judged by the bits/byte an order-5 Witten-Bell byte model trained on them gives held-out target examples; and how
/// well dataset-level measures (mean score against the held-out targets) predict that number.
/// </summary>
internal static class DownstreamReport
{
    private static readonly ScoringMethodName[] Methods =
        [ScoringMethodName.Ncd, ScoringMethodName.Dsir, ScoringMethodName.DsirSmoothed, ScoringMethodName.MixtureXent, ScoringMethodName.MultiViewXent];

    public static Table Run(BenchData data, bool includeNcd, string? only = null)
    {
        var table = new Table("Downstream: order-5 Witten-Bell bits/byte on held-out target examples",
            "scenario", "selection", "K", "bits/byte", "mode shares (by label)", "Ncd alignment", "MultiViewXent mean", "target bits/byte, order 3", "target bits/byte, order 2");
        var fits = new List<string>();
        var scenarios = new[] { Scenario.MixedTarget(Path.Combine(data.Dir, "..", "mixed-target")), Scenario.PythonCode(data) };
        foreach (var s in scenarios)
        {
            var sample = s.Pool.Take(MethodCatalog.DefaultBackgroundSize).Select(e => e.Utf8).ToList();
            var target = new TargetSet(s.Select.Select(e => e.Utf8));
            var modes = s.Select.Select(e => e.Domain).Distinct().Order().ToList();
            var selections = new List<(string Name, int K, List<LabelledExample> Items)>();
            foreach (int k in new[] { 300, 1000 })
            {
                for (int seed = 0; seed < 3; seed++) selections.Add(($"random (seed {seed})", k, DownstreamBench.Random(s, k, seed)));
                selections.Add(("label oracle", k, DownstreamBench.Oracle(s, k)));
            }
            var options = new CoverageOptions
            {
                Runs = int.TryParse(Environment.GetEnvironmentVariable("ZIPFIT_COVERAGE_RUNS"), out int runs) ? runs : CoverageOptions.Default.Runs,
                ScoreWeight = double.TryParse(Environment.GetEnvironmentVariable("ZIPFIT_COVERAGE_BETA"), System.Globalization.CultureInfo.InvariantCulture, out double beta) ? beta : CoverageOptions.Default.ScoreWeight,
            };
            if (double.TryParse(Environment.GetEnvironmentVariable("ZIPFIT_COVERAGE_GATE"), System.Globalization.CultureInfo.InvariantCulture, out double gate))
                options = options with { ScoreGate = gate };
            var coverage = CoverageModel.Prepare(sample, target.Examples, options: options);
            table.Note($"{s.Name}: modes found in the selection targets (by label): " + string.Join("; ", coverage.TargetModes.Zip(s.Select)
                .GroupBy(p => p.First).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} = " + string.Join(" ", g.GroupBy(p => p.Second.Domain).OrderByDescending(d => d.Count()).Select(d => $"{d.Key} {d.Count()}")))));
            foreach (var name in Methods.Where(m => (includeNcd || m != ScoringMethodName.Ncd) && (only is null || m.ToString() == only)))
            {
                var method = MethodCatalog.Prepare(name, target, CompressorSpec.Default, MethodCatalog.NeedsBackground(name) ? sample : null);
                var scores = Score(method, s.Pool.Select(e => e.Utf8));
                using (var scorer = method.CreateScorer()) coverage.Calibrate(sample.Take(500).Select(b => scorer.Score(b)).ToList());
                var assessor = coverage.CreateAssessor();
                var assessed = s.Pool.Select((e, i) => assessor.Assess(e.Utf8)).ToArray();
                if (Environment.GetEnvironmentVariable("ZIPFIT_DUMP_COVERAGE") is { } dump)
                    File.WriteAllLines(Path.Combine(dump, $"{s.Name}-{name}.tsv"), assessed.Select((a, i) =>
                        $"{a.Group}\t{a.LogWeight:R}\t{a.Gumbel:R}\t{scores[i]:R}\t{coverage.Key(a, scores[i]):R}"));
                foreach (int k in new[] { 300, 1000 })
                {
                    selections.Add(($"{name} top-K", k, TopBy(scores, k).Select(i => s.Pool[i]).ToList()));
                    selections.Add(($"{name} balanced", k, Balanced(coverage, assessed, scores, k).Select(i => s.Pool[i]).ToList()));
                }
            }
            selections.Add(("the selection targets alone", s.Select.Count, s.Select));

            // Dataset-level measures, against the held-out targets (one shared pool sample for the O(N) one).
            var evalTarget = new TargetSet(s.EvalBytes);
            var ncd = MethodCatalog.Prepare(ScoringMethodName.Ncd, evalTarget, CompressorSpec.Default, null);
            var mv = MethodCatalog.Prepare(ScoringMethodName.MultiViewXent, evalTarget, CompressorSpec.Default, sample);
            var points = new List<(double Bpb, double Ncd, double Mv, double O3, double O2, int K)>();
            foreach (var (name, k, items) in selections)
            {
                double bpb = DownstreamBench.Bpb(s, items);
                double ncdMean = Score(ncd, items.Select(e => e.Utf8)).Average();
                double mvMean = Score(mv, items.Select(e => e.Utf8)).Average();
                double o3 = WittenBellByteModel.Evaluate(items.Select(e => e.Utf8), s.EvalBytes, 3);
                double o2 = WittenBellByteModel.Evaluate(items.Select(e => e.Utf8), s.EvalBytes, 2);
                points.Add((bpb, ncdMean, mvMean, o3, o2, k));
                string shares = string.Join(" ", modes.Select(m => $"{m} {items.Count(e => e.Domain == m) / (double)items.Count:0.00}"));
                table.Row(s.Name, name, k, bpb, shares, ncdMean, mvMean, o3, o2);
            }
            foreach (var (label, subset) in new[] { ("all sizes", points), ("K = 1000", points.Where(p => p.K == 1000).ToList()), ("K = 300", points.Where(p => p.K == 300).ToList()) })
            {
                fits.Add($"{s.Name}, {label} ({subset.Count} datasets): R² of bits/byte on — Ncd alignment (faithful) " +
                    $"{RSquared(subset.Select(p => p.Ncd), subset.Select(p => p.Bpb)):0.000}, MultiViewXent mean " +
                    $"{RSquared(subset.Select(p => p.Mv), subset.Select(p => p.Bpb)):0.000}, target bits/byte under the dataset's order-3 model " +
                    $"{RSquared(subset.Select(p => p.O3), subset.Select(p => p.Bpb)):0.000}, order 2 {RSquared(subset.Select(p => p.O2), subset.Select(p => p.Bpb)):0.000}.");
            }
        }
        foreach (string fit in fits) table.Note(fit);
        table.Note("Balanced = Get-ZipFitScore -Coverage | Select-ZipFitTop -Balanced (modes found without labels, K shared among them in the target's proportions; within a mode, coverage weights from the pool sample and the method's score as a gate). " +
            "Label oracle: the first examples of each target domain in pool order, in the target's proportions. python-code splits its 200 targets " +
            "alternately into 100 to select with and 100 held out; mixed-target uses target-select.jsonl / target-eval.jsonl.");
        return table;
    }

    private static double[] Score(IScoringMethod method, IEnumerable<byte[]> items) =>
        ExampleScoring.Score(method, items.Select((b, i) => new ScoringInput<int>(b, i)), 2).Select(r => r.Score).ToArray();

    /// <summary>What Select-ZipFitTop -Balanced does with Get-ZipFitScore -Coverage's output.</summary>
    private static IEnumerable<int> Balanced(CoverageModel coverage, CoverageAssessment[] assessed, double[] scores, int k)
    {
        var selector = new BalancedSelector<int>(k);
        for (int i = 0; i < assessed.Length; i++)
            selector.Add(coverage.Groups[assessed[i].Group], coverage.GroupShares[assessed[i].Group], coverage.Key(assessed[i], scores[i]), i);
        return selector.Result().Select(r => r.Item);
    }

    private static IEnumerable<int> TopBy(double[] keys, int k) =>
        Enumerable.Range(0, keys.Length).OrderByDescending(i => double.IsNaN(keys[i]) ? double.NegativeInfinity : keys[i]).ThenBy(i => i).Take(k);

    /// <summary>R² of the least-squares line of y on x.</summary>
    internal static double RSquared(IEnumerable<double> xs, IEnumerable<double> ys)
    {
        var x = xs.ToArray();
        var y = ys.ToArray();
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy * sxy / (sxx * syy);
    }
}
