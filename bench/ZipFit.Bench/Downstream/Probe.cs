using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;
using ZipFit.Core.Selection;
using ZipFit.Core.Selection.Coverage;
namespace ZipFit.Bench.Downstream;
internal static class Probe
{
    public static Table Run(BenchData data)
    {
        var t = new Table("probe", "scenario", "what", "K", "bpb", "mix");
        var mixed = Scenario.MixedTarget(Path.Combine(data.Dir, "..", "mixed-target"));
        var py = Scenario.PythonCode(data);
        foreach (var s in new[] { mixed, py })
        {
            var bg = s.Pool.Take(2000).Select(e => e.Utf8).ToList();
            var target = s.Select.Select(e => e.Utf8).ToList();
            var method = MethodCatalog.Prepare(ScoringMethodName.MultiViewXent, new TargetSet(target), CompressorSpec.Default, bg);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var cov = CoverageModel.Prepare(bg, target, Environment.GetEnvironmentVariable("GROUPS") == "1" ? s.Select.Select(e => e.Domain).ToList() : null, CoverageOptions.Default with { ScoreWeight = double.Parse(Environment.GetEnvironmentVariable("BETA") ?? "0.3"), Runs = int.Parse(Environment.GetEnvironmentVariable("RUNS") ?? "5") });
            double prep = sw.Elapsed.TotalSeconds;
            using (var scorer = method.CreateScorer()) cov.Calibrate(bg.Take(500).Select(b => scorer.Score(b)).ToList());
            var scores = ExampleScoring.Score(method, s.Pool.Select((r, i) => new ScoringInput<int>(r.Utf8, i)), 2).Select(r => r.Score).ToArray();
            var a = cov.CreateAssessor();
            sw.Restart();
            var assess = s.Pool.Select(e => a.Assess(e.Utf8)).ToArray();
            double per = sw.Elapsed.TotalMilliseconds * 1000 / s.Pool.Count;
            Console.WriteLine($"{s.Name}: coverage prep {prep:F2} s, assess {per:F1} µs/example");
            foreach (int k in new[] { 300, 1000 })
            {
                var top = Enumerable.Range(0, s.Pool.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k).Select(i => s.Pool[i]).ToList();
                t.Row(s.Name, "top", k, DownstreamBench.Bpb(s, top), Mix(s, top));
                var sel = new BalancedSelector<int>(k, cov.GroupShares);
                for (int i = 0; i < s.Pool.Count; i++) sel.Add(assess[i].Group, cov.Key(assess[i], scores[i]), i);
                var bal = sel.Result().Select(r => s.Pool[r.Item]).ToList();
                t.Row(s.Name, "balanced", k, DownstreamBench.Bpb(s, bal), Mix(s, bal));
            }
        }
        return t;
    }

    static string Mix(Scenario s, List<LabelledExample> sel) => string.Join(" ", s.Select.Select(e => e.Domain).Distinct().Order().Select(m => $"{m}:{sel.Count(e => e.Domain == m) / (double)sel.Count:F2}"));
}
