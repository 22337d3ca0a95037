using System.Text;
using System.Text.Json;
using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;
using ZipFit.Core.Selection;
using ZipFit.Core.Selection.Coverage;

namespace ZipFit.Core.Tests;

public class QuotaAllocationTests
{
    [Fact]
    public void Equal_shares_round_by_largest_remainder_earlier_mode_first() =>
        Assert.Equal([4, 3, 3], QuotaAllocation.Allocate([1.0, 1.0, 1.0], 10));

    [Fact]
    public void Proportional_shares_are_exact_when_they_divide()
    {
        Assert.Equal([75, 75, 75, 75], QuotaAllocation.Allocate([0.25, 0.25, 0.25, 0.25], 300));
        Assert.Equal([500, 300, 200], QuotaAllocation.Allocate([5, 3, 2], 1000));
    }

    [Fact]
    public void A_tiny_mode_gets_what_its_remainder_earns()
    {
        Assert.Equal([10, 0], QuotaAllocation.Allocate([0.97, 0.03], 10));
        Assert.Equal([97, 3], QuotaAllocation.Allocate([0.97, 0.03], 100));
    }

    [Fact]
    public void K_smaller_than_the_number_of_modes_goes_to_the_largest_shares()
    {
        Assert.Equal([1, 1, 0, 0], QuotaAllocation.Allocate([1.0, 1.0, 1.0, 1.0], 2));
        Assert.Equal([0, 1, 0], QuotaAllocation.Allocate([0.2, 0.5, 0.3], 1));
    }

    [Fact]
    public void A_mode_that_runs_short_hands_its_remainder_to_the_others_in_proportion()
    {
        Assert.Equal([2, 8], QuotaAllocation.Allocate([0.5, 0.5], 10, [2, 100]));
        Assert.Equal([1, 6, 3], QuotaAllocation.Allocate([1, 2, 1], 10, [1, 100, 100]));
        Assert.Equal([2, 3], QuotaAllocation.Allocate([0.5, 0.5], 10, [2, 3]));
    }

    [Fact]
    public void Zero_shares_get_nothing_and_totals_always_add_up()
    {
        var rng = new Random(1);
        for (int trial = 0; trial < 500; trial++)
        {
            int modes = rng.Next(1, 8);
            var shares = Enumerable.Range(0, modes).Select(_ => rng.Next(4) == 0 ? 0.0 : rng.NextDouble()).ToArray();
            var available = Enumerable.Range(0, modes).Select(_ => rng.Next(0, 50)).ToArray();
            int total = rng.Next(0, 120);
            var quota = QuotaAllocation.Allocate(shares, total, available);
            long reachable = Enumerable.Range(0, modes).Where(i => shares[i] > 0).Sum(i => (long)available[i]);
            Assert.Equal(Math.Min(total, reachable), quota.Sum());
            for (int i = 0; i < modes; i++)
            {
                Assert.InRange(quota[i], 0, available[i]);
                if (shares[i] == 0) Assert.Equal(0, quota[i]);
            }
        }
    }

    [Fact]
    public void Bad_shares_are_refused()
    {
        Assert.Throws<ArgumentException>(() => QuotaAllocation.Allocate([double.NaN], 3));
        Assert.Throws<ArgumentException>(() => QuotaAllocation.Allocate([-1.0, 1.0], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuotaAllocation.Allocate([1.0], -1));
    }
}

public class BalancedSelectorTests
{
    [Fact]
    public void Takes_each_modes_quota_from_its_own_best_and_orders_by_key()
    {
        var selector = new BalancedSelector<string>(4);
        // Mode m0 has much larger keys: a plain top-4 would take only m0.
        foreach (var (mode, key, name) in new[] { ("m0", 10.0, "a"), ("m0", 9.0, "b"), ("m0", 8.0, "c"), ("m1", 1.0, "x"), ("m1", 3.0, "y"), ("m1", 2.0, "z") })
            selector.Add(mode, 0.5, key, name);
        var result = selector.Result();
        Assert.Equal(["a", "b", "y", "z"], result.Select(r => r.Item));
        Assert.Equal(["m0", "m0", "m1", "m1"], result.Select(r => r.Mode));
    }

    [Fact]
    public void Equal_keys_keep_input_order_and_a_short_mode_leaves_its_quota()
    {
        var selector = new BalancedSelector<int>(5);
        for (int i = 0; i < 6; i++) selector.Add("a", 0.5, 1.0, i);
        selector.Add("b", 0.5, 5.0, 100);
        var result = selector.Result();
        Assert.Equal([100, 0, 1, 2, 3], result.Select(r => r.Item));
    }

    [Fact]
    public void Keeps_at_most_K_per_mode_however_long_the_stream()
    {
        var selector = new BalancedSelector<int>(10);
        var rng = new Random(3);
        for (int i = 0; i < 200_000; i++) selector.Add($"m{rng.Next(4)}", 0.25, rng.NextDouble(), i);
        Assert.InRange(selector.Retained, 1, 40);
        Assert.Equal(10, selector.Result().Count);
    }
}

public class CoverageModelTests
{
    private static string Dir => Path.Combine(AppContext.BaseDirectory, "fixtures", "mixed-target");

    private static List<(byte[] Utf8, string Domain)> Read(string file) =>
        File.ReadLines(Path.Combine(Dir, file)).Select(l =>
        {
            using var d = JsonDocument.Parse(l);
            return (Encoding.UTF8.GetBytes(d.RootElement.GetProperty("text").GetString()!), d.RootElement.GetProperty("domain").GetString()!);
        }).ToList();

    /// <summary>The four-language fixture: its pool, its target, and the pool sample most tests prepare on (first 300).</summary>
    private static (List<(byte[] Utf8, string Domain)> Pool, List<(byte[] Utf8, string Domain)> Target, List<byte[]> Sample) FourLanguages()
    {
        var pool = Read("pool.jsonl");
        return (pool, Read("target.jsonl"), pool.Take(300).Select(p => p.Utf8).ToList());
    }

    [Fact]
    public void The_same_data_gives_the_same_clusters_and_assessments()
    {
        var (pool, target, sample) = FourLanguages();
        var a = CoverageModel.Prepare(sample, target.Select(t => t.Utf8).ToList());
        var b = CoverageModel.Prepare(sample, target.Select(t => t.Utf8).ToList());
        var sa = a.CreateAssessor();
        var sb = b.CreateAssessor();
        foreach (var (utf8, _) in pool)
        {
            Assert.Equal(sa.Assess(utf8), sb.Assess(utf8));
        }
        Assert.Equal(a.Identity, b.Identity);
        Assert.Equal(CoverageModel.Gumbel("abc"u8), CoverageModel.Gumbel("abc"u8));
        Assert.NotEqual(CoverageModel.Gumbel("abc"u8), CoverageModel.Gumbel("abd"u8));
    }

    [Fact]
    public void The_modes_of_a_four_language_target_are_found_without_labels()
    {
        var (pool, target, sample) = FourLanguages();
        var modes = CoverageModel.FindModes(sample, target.Select(t => t.Utf8).ToList());
        Assert.Equal(modes, CoverageModel.FindModes(sample, target.Select(t => t.Utf8).ToList()));
        var found = modes.Zip(target, (m, t) => (Mode: m, t.Domain)).GroupBy(p => p.Mode).ToList();
        Assert.InRange(found.Count, 3, 6);
        // Each mode is mostly one language, and each language is mostly in modes of its own.
        int agreeing = found.Sum(g => g.GroupBy(p => p.Domain).Max(d => d.Count()));
        Assert.True(agreeing >= target.Count * 0.8, $"{agreeing} of {target.Count} targets sit in a mode of their own language");
        Assert.True(found.Select(g => g.GroupBy(p => p.Domain).MaxBy(d => d.Count())!.Key).Distinct().Count() >= 3);
        Assert.Equal(found.Select(g => g.Key).Order(StringComparer.Ordinal), found.Select(g => g.Key).Order(StringComparer.Ordinal).Distinct());
    }

    [Fact]
    public void The_score_gates_the_key_without_weighting_it()
    {
        var pool = Read("pool.jsonl");
        var target = Read("target.jsonl");
        var model = CoverageModel.Prepare(pool.Take(300).Select(p => p.Utf8).ToList(), target.Select(t => t.Utf8).ToList());
        var a = model.CreateAssessor().Assess(pool[0].Utf8);
        Assert.Equal(a.LogWeight + a.Gumbel, model.Key(a, -50.0));     // not calibrated yet: no gate
        model.Calibrate([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);          // median 5, robust SD 1.4826 * 3
        Assert.Equal(a.LogWeight + a.Gumbel, model.Key(a, 5.0));
        Assert.Equal(a.LogWeight + a.Gumbel, model.Key(a, 50.0));      // above the gate the score does not count
        Assert.Equal(a.LogWeight + a.Gumbel, model.Key(a, 5 - 0.49 * 1.4826 * 3));
        Assert.Equal(a.LogWeight + a.Gumbel - CoverageModel.GatePenalty, model.Key(a, 5 - 0.51 * 1.4826 * 3));
        Assert.Equal(a.LogWeight + a.Gumbel - CoverageModel.GatePenalty, model.Key(a, double.NaN));
    }

    [Fact]
    public void A_single_language_target_is_one_mode()
    {
        var pool = Read("pool.jsonl");
        var python = Read("target.jsonl").Where(t => t.Domain == "python").Concat(pool.Where(p => p.Domain == "python").Take(30)).ToList();
        var modes = CoverageModel.FindModes(pool.Take(300).Select(p => p.Utf8).ToList(), python.Select(t => t.Utf8).ToList());
        Assert.All(modes, m => Assert.Equal("target", m));
    }

    [Fact]
    public void Small_clusters_of_the_target_join_a_mode_and_every_target_gets_one()
    {
        var (pool, target, sample) = FourLanguages();
        // A raised floor leaves fewer modes; every target example still has one of them.
        var strict = CoverageModel.FindModes(sample, target.Select(t => t.Utf8).ToList(), new CoverageOptions { MinModeShare = 0.3 });
        var loose = CoverageModel.FindModes(sample, target.Select(t => t.Utf8).ToList());
        Assert.True(strict.Distinct().Count() < loose.Distinct().Count());
        Assert.Equal(target.Count, strict.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => CoverageModel.FindModes(sample, [target[0].Utf8], new CoverageOptions { MinModeShare = 0 }));
    }

    [Fact]
    public void Groups_given_by_the_user_are_the_modes_with_their_shares()
    {
        var pool = Read("pool.jsonl");
        var target = Read("target.jsonl");
        var model = CoverageModel.Prepare(pool.Take(300).Select(p => p.Utf8).ToList(), target.Select(t => t.Utf8).ToList(),
            target.Select(t => t.Domain).ToList());
        Assert.Equal(["python", "rust", "latex", "perl"], model.Groups);
        Assert.All(model.GroupShares, s => Assert.Equal(0.25, s, 12));
        // Most pool examples of a target domain are matched to that domain's mode.
        var assessor = model.CreateAssessor();
        foreach (string domain in model.Groups)
        {
            var members = pool.Where(p => p.Domain == domain).ToList();
            int matched = members.Count(p => model.Groups[assessor.Assess(p.Utf8).Group] == domain);
            Assert.True(matched >= members.Count * 0.5, $"{domain}: {matched} of {members.Count} matched");
        }
    }

    [Fact]
    public void Balanced_selection_covers_every_mode_where_top_K_starves_some()
    {
        var (pool, target, sample) = FourLanguages();
        var targetSet = new TargetSet(target.Select(t => t.Utf8));
        var method = MethodCatalog.Prepare(ScoringMethodName.MultiViewXent, targetSet, CompressorSpec.Default, sample);
        var coverage = CoverageModel.Prepare(sample, targetSet.Examples);
        using var scorer = method.CreateScorer();
        coverage.Calibrate(sample.Select(s => scorer.Score(s)).ToList());
        var assessor = coverage.CreateAssessor();
        var selector = new BalancedSelector<int>(80);
        for (int i = 0; i < pool.Count; i++)
        {
            var a = assessor.Assess(pool[i].Utf8);
            selector.Add(coverage.Groups[a.Group], coverage.GroupShares[a.Group], coverage.Key(a, scorer.Score(pool[i].Utf8)), i);
        }
        var picked = selector.Result().Select(r => pool[r.Item].Domain).ToList();
        foreach (string domain in new[] { "python", "rust", "latex", "perl" })
        {
            Assert.True(picked.Count(d => d == domain) >= 8, $"{domain}: {picked.Count(d => d == domain)} of 80");
        }
    }

    [Fact]
    public void A_session_with_coverage_hands_back_each_examples_own_assessment_in_order()
    {
        var pool = Read("pool.jsonl");
        var target = new TargetSet(Read("target.jsonl").Select(t => t.Utf8));
        using var session = new ScoringSession<int>(new ScoringSessionOptions(ScoringMethodName.Dsir, target, CompressorSpec.Default, 2)
        {
            BackgroundSize = 200,
            Coverage = true,
        });
        var results = new List<SessionResult<int>>();
        for (int i = 0; i < pool.Count; i++)
        {
            session.Add(pool[i].Utf8, i);
            while (session.TryTake(out var r)) results.Add(r);
        }
        results.AddRange(session.CompleteWithCoverage());
        Assert.Equal(Enumerable.Range(0, pool.Count), results.Select(r => r.Tag));
        var assessor = session.Coverage!.CreateAssessor();
        foreach (var r in results)
        {
            Assert.Equal(assessor.Assess(pool[r.Tag].Utf8), r.Coverage);
            Assert.Equal(session.Coverage.Key(r.Coverage!.Value, r.Score), r.CoverageKey);
        }
    }

    [Fact]
    public void The_faithful_method_takes_a_sample_for_coverage_and_keeps_its_exact_scores()
    {
        var pool = Read("pool.jsonl").Take(60).ToList();
        var target = new TargetSet(Read("target.jsonl").Take(8).Select(t => t.Utf8));
        using var plain = new ScoringSession<int>(new ScoringSessionOptions(ScoringMethodName.Ncd, target, CompressorSpec.Default, 2));
        using var covered = new ScoringSession<int>(new ScoringSessionOptions(ScoringMethodName.Ncd, target, CompressorSpec.Default, 2)
        {
            BackgroundSize = 20,
            Coverage = true,
        });
        for (int i = 0; i < pool.Count; i++)
        {
            plain.Add(pool[i].Utf8, i);
            covered.Add(pool[i].Utf8, i);
        }
        var a = plain.Complete().ToList();
        var b = covered.CompleteWithCoverage().ToList();
        Assert.Equal(a.Select(r => r.Score), b.Select(r => r.Score));
        Assert.All(b, r => Assert.NotNull(r.Coverage));
    }
}
