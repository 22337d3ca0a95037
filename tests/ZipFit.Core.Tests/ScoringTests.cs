using System.Text;
using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;

namespace ZipFit.Core.Tests;

public class ScoringTests
{
    [Theory]
    [InlineData(9, GzipEngine.Managed)]
    [InlineData(6, GzipEngine.Managed)]
    [InlineData(9, GzipEngine.System)]
    [InlineData(6, GzipEngine.System)]
    public void ScoresMatchThePythonReferenceTo1e12(int level, GzipEngine engine)
    {
        var expected = Fixtures.Scores(level);
        var method = NcdMethod.Prepare(new TargetSet(Fixtures.TargetBytes()), new CompressorSpec(CompressorKind.Gzip, level, engine));
        Assert.Contains(engine == GzipEngine.System ? "/zlib-" : "/managed-zlib-", method.Identity);
        var sources = Fixtures.Read(Fixtures.SourcePath);
        var inputs = sources.Select(s => new ScoringInput<string>(Encoding.UTF8.GetBytes(s.Text), s.Id));
        int n = 0;
        foreach (var (score, id) in ExampleScoring.Score(method, inputs, threads: 2))
        {
            Assert.True(Math.Abs(expected[id] - score) <= 1e-12, $"{id}: {score:R} vs {expected[id]:R}");
            n++;
        }
        Assert.Equal(expected.Count, n);
    }

    [Fact]
    public void TargetSetsTooLargeForSuffixPlans_ScoreTheSame()
    {
        var targets = new TargetSet(Fixtures.TargetBytes());
        var spec = new CompressorSpec(CompressorKind.Gzip, 9, GzipEngine.Managed);
        var sources = Fixtures.Read(Fixtures.SourcePath).Take(30).Select(s => new ScoringInput<string>(Encoding.UTF8.GetBytes(s.Text), s.Id)).ToList();
        var planned = ExampleScoring.Score(NcdMethod.Prepare(targets, spec), sources, threads: 2).ToList();
        long saved = NcdMethod.MaxPlannedTargetBytes;
        try
        {
            NcdMethod.MaxPlannedTargetBytes = 0;
            var unplanned = ExampleScoring.Score(NcdMethod.Prepare(targets, spec), sources, threads: 2).ToList();
            Assert.Equal(planned, unplanned);
        }
        finally
        {
            NcdMethod.MaxPlannedTargetBytes = saved;
        }
    }

    [Fact]
    public void NcdIdentities()
    {
        Assert.Equal(0.0, Ncd.Distance(100, 100, 100));
        Assert.Equal(1.0, Ncd.Distance(100, 100, 200));
        Assert.Equal(0.5, Ncd.Distance(50, 100, 100));
        Assert.Equal(Ncd.Distance(30, 70, 90), Ncd.Distance(70, 30, 90));
        Assert.Equal(1.0 - Ncd.Distance(40, 80, 100), Ncd.Similarity(40, 80, 100));
        Assert.Equal(0.0, Ncd.Distance(0, 0, 0));
    }

    [Fact]
    public void AlignmentIsTheMeanOfSimilarities()
    {
        int cx = 100;
        int[] cy = [80, 120, 100];
        int[] cxy = [150, 190, 100];
        double expected = ((1 - 70.0 / 100) + (1 - 90.0 / 120) + (1 - 0.0 / 100)) / 3;
        Assert.Equal(expected, Ncd.Alignment(cx, cy, cxy), 15);
        Assert.Throws<ArgumentException>(() => Ncd.Alignment(cx, cy, cxy.AsSpan(0, 2)));
    }

    [Fact]
    public void IdenticalTextScoresHigherThanUnrelatedText()
    {
        string code = "def add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n    return a + b\n";
        var method = NcdMethod.Prepare(new TargetSet(new[] { code }), CompressorSpec.Default);
        using var scorer = method.CreateScorer();
        double same = scorer.Score(Encoding.UTF8.GetBytes(code));
        double other = scorer.Score(Encoding.UTF8.GetBytes("Le chat est sur la table, et il dort paisiblement au soleil."));
        Assert.True(same > other, $"{same} <= {other}");
    }

    [Theory]
    [InlineData("zstd", 3)]
    [InlineData("brotli", 4)]
    [InlineData("lz4", 0)]
    [InlineData("gzip", 1)]
    public void ResultsAreTheSameForOneAndManyThreadsInInputOrder(string compressor, int level)
    {
        var method = NcdMethod.Prepare(new TargetSet(Fixtures.TargetBytes().Take(20)), CompressorSpec.Parse(compressor, level));
        var sources = Fixtures.Read(Fixtures.SourcePath);
        var inputs = sources.Select((s, i) => new ScoringInput<int>(Encoding.UTF8.GetBytes(s.Text), i)).ToList();
        var one = ExampleScoring.Score(method, inputs, 1).ToList();
        var four = ExampleScoring.Score(method, inputs, 4).ToList();
        var three = ExampleScoring.Score(NcdMethod.Prepare(new TargetSet(Fixtures.TargetBytes().Take(20)), CompressorSpec.Parse(compressor, level)),
            inputs, 3).ToList();
        Assert.Equal(Enumerable.Range(0, inputs.Count), one.Select(r => r.Tag));
        Assert.Equal(one, four);
        Assert.Equal(one, three);
    }

    [Fact]
    public void EmptyTargetSetIsRejected() =>
        Assert.Throws<ArgumentException>(() => new TargetSet(Array.Empty<byte[]>()));

    [Fact]
    public void FingerprintDependsOnContentAndOrder()
    {
        var a = new TargetSet(new[] { "one", "two" });
        Assert.Equal(a.Fingerprint, new TargetSet(new[] { "one", "two" }).Fingerprint);
        Assert.NotEqual(a.Fingerprint, new TargetSet(new[] { "two", "one" }).Fingerprint);
        Assert.NotEqual(a.Fingerprint, new TargetSet(new[] { "one", "three" }).Fingerprint);
    }

    [Fact]
    public void CompensatedSumIsExactWhereNaiveSummationIsNot()
    {
        var sum = new CompensatedSum();
        double naive = 0;
        foreach (double v in new[] { 1e16, 1.0, -1e16, 1.0 })
        {
            sum.Add(v);
            naive += v;
        }
        Assert.Equal(2.0, sum.Value);
        Assert.NotEqual(2.0, naive);
    }
}
