using System.Text;
using Microsoft.Data.Sqlite;
using ZipFit.Core.Cache;
using ZipFit.Core.Scoring;
using ZipFit.Core.Scoring.Methods;

namespace ZipFit.Core.Tests.Methods;

/// <summary>
/// MultiViewXent scores a batch view by view (each view's tables stay cached); every score must be the one the
/// example gets alone, bit for bit, excluded examples included, through the scorer and through both pipelines.
/// </summary>
public sealed class BatchScoringTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zipfit-batch-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static List<byte[]> Pool()
    {
        // Over two of the pipelines' batches: the fixture's texts, each also with a numbered line added.
        var texts = Fixtures.Read(Fixtures.SourcePath).Select(s => s.Text).ToList();
        var pool = Enumerable.Range(0, 2600).Select(i => Encoding.UTF8.GetBytes(i < texts.Count ? texts[i] : $"{texts[i % texts.Count]}\n# {i}")).ToList();
        var random = new Random(11);
        // Examples some views exclude (empty; no word tokens for the word view) among the real ones, and repeats.
        for (int i = 0; i < 60; i++)
        {
            byte[] odd = (i % 4) switch
            {
                0 => [],
                1 => Encoding.UTF8.GetBytes("   \n\t  "),
                2 => Enumerable.Range(0, random.Next(1, 300)).Select(_ => (byte)random.Next(256)).ToArray(),
                _ => pool[random.Next(pool.Count)],
            };
            pool.Insert(random.Next(pool.Count), odd);
        }
        return pool;
    }

    private static MultiViewXentMethod Prepare(List<byte[]> pool) =>
        MultiViewXentMethod.Prepare(Fixtures.TargetBytes(), pool.Where(p => p.Length > 0).Take(300).ToList());

    private static List<double> OneByOne(IScoringMethod method, List<byte[]> pool)
    {
        using var scorer = method.CreateScorer();
        return pool.Select(p => scorer.Score(p)).ToList();
    }

    private static void AssertSameBits(List<double> expected, List<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                $"example {i}: {expected[i]:R} alone, {actual[i]:R} in a batch");
        }
    }

    [Fact]
    public void BatchesOfAnySizeGiveEachExampleItsOwnScore()
    {
        var pool = Pool();
        using var method = Prepare(pool);
        var expected = OneByOne(method, pool);
        Assert.Contains(expected, double.IsNegativeInfinity);
        Assert.True(expected.Count(double.IsFinite) > 2600, $"{expected.Count(double.IsFinite)} finite of {expected.Count}");
        Assert.True(((IBatchScoringMethod)method).BatchSize > 64);
        using var scorer = (IBatchExampleScorer)method.CreateScorer();
        foreach (int size in new[] { 1, 7, 256, pool.Count })
        {
            var scores = new double[pool.Count];
            for (int start = 0; start < pool.Count; start += size)
            {
                int n = Math.Min(size, pool.Count - start);
                var batch = pool.Skip(start).Take(n).Select(p => (ReadOnlyMemory<byte>)p).ToArray();
                scorer.ScoreBatch(batch, scores.AsSpan(start, n));
            }
            AssertSameBits(expected, scores.ToList());
        }
    }

    [Fact]
    public void ThePipelinesScoreInBatchesWithTheSameResults()
    {
        var pool = Pool();
        using var method = Prepare(pool);
        var expected = OneByOne(method, pool);
        var uncached = ExampleScoring.Score(method, pool.Select((b, i) => new ScoringInput<int>(b, i)), 2).Select(r => r.Score).ToList();
        AssertSameBits(expected, uncached);

        // A first cached run over half the pool, then the whole pool: batches mixing cached and computed scores.
        string path = Path.Combine(_dir, "cache.db");
        var target = new TargetSet(Fixtures.TargetBytes());
        var half = Cached(method, target, path, pool.Where((_, i) => i % 2 == 0).ToList());
        AssertSameBits(expected.Where((_, i) => i % 2 == 0).ToList(), half.Scores);
        var whole = Cached(method, target, path, pool);
        AssertSameBits(expected, whole.Scores);
        Assert.True(whole.Cached > 0 && whole.Cached < pool.Count, $"{whole.Cached} of {pool.Count} from the cache");
    }

    private static (List<double> Scores, long Cached) Cached(IScoringMethod method, TargetSet target, string path, List<byte[]> pool)
    {
        using var cache = ScoreCache.Open(path);
        using var pipeline = CachedScoring.Create<int>(method, target.Fingerprint, cache, 2);
        var scores = new List<double>();
        for (int i = 0; i < pool.Count; i++)
        {
            pipeline.Add(pool[i], i);
            while (pipeline.TryTake(out double s, out _)) scores.Add(s);
        }
        scores.AddRange(pipeline.Complete().Select(r => r.Score));
        return (scores, pipeline.Stats.CachedScores);
    }
}
