using Microsoft.Data.Sqlite;
using ZipFit.Core.Cache;

namespace ZipFit.Core.Tests;

/// <summary>Scores of a first O(N) run: sorted runs staged, merged into blocks, and found again (ScoreCache.Blocks.cs).</summary>
public sealed class ScoreBlockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zipfit-blocks-").FullName;

    private string CachePath => Path.Combine(_dir, "cache.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static ContentKey RandomKey(Random random)
    {
        Span<byte> bytes = stackalloc byte[ContentKey.Size];
        random.NextBytes(bytes);
        return ContentKey.FromBytes(bytes);
    }

    /// <summary>Runs of random sizes over random keys, some keys in several runs and some twice in one run.</summary>
    private static List<KeyedScore[]> RandomRuns(Random random, int runs, Dictionary<ContentKey, double> expected)
    {
        var keys = new List<ContentKey>();
        var result = new List<KeyedScore[]>();
        var scratch = new KeyedScore[5000];
        var buckets = new int[5001];
        for (int r = 0; r < runs; r++)
        {
            // One long run crosses the merge's read window; the others are short, as a slow method's are.
            int size = r == 0 ? 3000 : random.Next(1, 120);
            var run = new KeyedScore[size];
            for (int i = 0; i < size; i++)
            {
                ContentKey key = keys.Count > 0 && random.Next(4) == 0 ? keys[random.Next(keys.Count)] : RandomKey(random);
                if (!expected.TryGetValue(key, out double score))
                {
                    score = random.NextDouble();
                    expected[key] = score;
                    keys.Add(key);
                }
                run[i] = new KeyedScore(key, score);
            }
            KeyedScore.SortByKey(run, scratch, buckets);
            result.Add(run);
        }
        return result;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(ScoreCache.MergeFanIn + 30)] // more runs than one pass merges
    public void EveryStagedScoreIsFoundAfterTheMergeAndNothingElse(int runCount)
    {
        var random = new Random(runCount);
        var expected = new Dictionary<ContentKey, double>();
        using var cache = ScoreCache.Open(CachePath);
        long scope = cache.ScopeId("blocks-test", "target", null, out _);
        foreach (var run in RandomRuns(random, runCount, expected))
        {
            cache.StageRun(scope, run);
        }
        Assert.True(cache.StagedRowCount >= expected.Count);
        cache.MergeStaged();
        Assert.Equal(0, cache.StagedRowCount);
        Assert.Equal(expected.Count, cache.GetInfo().ScoreRows);
        var absent = Enumerable.Range(0, 500).Select(_ => RandomKey(random)).ToList();
        var keys = expected.Keys.Concat(absent).ToList();
        for (int start = 0; start < keys.Count; start += 256)
        {
            var batch = keys.Skip(start).Take(256).ToList();
            var found = cache.LookupScores(scope, batch);
            foreach (var key in batch)
            {
                if (expected.TryGetValue(key, out double score))
                {
                    Assert.Equal(score, found[key]);
                }
                else
                {
                    Assert.False(found.ContainsKey(key));
                }
            }
        }
        // The blocks are in key order and full but for the last.
        using var raw = new SqliteConnection($"Data Source={CachePath};Pooling=False");
        raw.Open();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT first_hash, length(entries) FROM score_blocks ORDER BY first_hash";
        using var reader = command.ExecuteReader();
        var sizes = new List<long>();
        while (reader.Read())
        {
            sizes.Add(reader.GetInt64(1) / ScoreCache.EntrySize);
        }
        Assert.All(sizes.SkipLast(1), s => Assert.Equal(ScoreCache.BlockEntries, s));
        Assert.Equal(expected.Count, sizes.Sum());
    }

    [Fact]
    public void EachMergeOfAScopeAddsAGenerationAndLookupsSearchThemAll()
    {
        // Another process opening the cache merges a running first run's runs so far; the rest come later.
        var random = new Random(5);
        var first = new Dictionary<ContentKey, double>();
        var second = new Dictionary<ContentKey, double>();
        using var cache = ScoreCache.Open(CachePath);
        long scope = cache.ScopeId("blocks-test", "target", null, out _);
        long other = cache.ScopeId("blocks-test", "other target", null, out _);
        foreach (var run in RandomRuns(random, 5, first)) cache.StageRun(scope, run);
        cache.MergeStaged();
        // A lookup in between: the connection's count of the scope's generations must follow the next merge.
        Assert.Equal(first.Count, cache.LookupScores(scope, first.Keys.ToList()).Count);
        foreach (var run in RandomRuns(random, 5, second)) cache.StageRun(scope, run);
        cache.StageRun(other, [new KeyedScore(first.Keys.First(), 42.0)]);
        cache.MergeStaged();
        var all = first.Concat(second).ToList();
        var found = cache.LookupScores(scope, all.Select(p => p.Key).ToList());
        Assert.Equal(all.Count, found.Count);
        Assert.All(all, p => Assert.Equal(p.Value, found[p.Key]));
        Assert.Equal(42.0, Assert.Single(cache.LookupScores(other, all.Select(p => p.Key).ToList())).Value);
        using var raw = new SqliteConnection($"Data Source={CachePath};Pooling=False");
        raw.Open();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT group_concat(DISTINCT generation) FROM score_blocks WHERE scope_id = $s";
        command.Parameters.AddWithValue("$s", scope);
        Assert.Equal("0,1", command.ExecuteScalar());
    }

    [Fact]
    public void ClearingRemovesBlocksAndCountsTheirScores()
    {
        var random = new Random(9);
        var expected = new Dictionary<ContentKey, double>();
        using var cache = ScoreCache.Open(CachePath);
        long scope = cache.ScopeId("blocks-test", "target", null, out _);
        foreach (var run in RandomRuns(random, 4, expected)) cache.StageRun(scope, run);
        cache.MergeStaged();
        Assert.Equal(0, cache.Clear(olderThan: DateTimeOffset.UtcNow.AddDays(-1)));
        Assert.Equal(expected.Count, cache.GetInfo().ScoreRows);
        Assert.Equal(expected.Count + 1, cache.Clear()); // and the scope, which nothing refers to any more
        Assert.Equal(0, cache.GetInfo().ScoreRows);
        Assert.Empty(cache.LookupScores(scope, expected.Keys.ToList()));
        Assert.Empty(cache.GetInfo().Methods);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(70_000)]
    public void SortByKeyOrdersKeysAsTheirBytesDo(int count)
    {
        var random = new Random(count);
        var keys = new List<ContentKey>();
        for (int i = 0; i < count; i++)
        {
            int kind = random.Next(10);
            if (kind == 0 && keys.Count > 0)
            {
                keys.Add(keys[random.Next(keys.Count)]); // the same text again
            }
            else if (kind == 1)
            {
                // Many keys sharing their leading bytes, so one bucket gets more than a handful.
                var bytes = new byte[ContentKey.Size];
                random.NextBytes(bytes.AsSpan(6));
                keys.Add(ContentKey.FromBytes(bytes));
            }
            else
            {
                keys.Add(RandomKey(random));
            }
        }
        var entries = keys.Select((k, i) => new KeyedScore(k, i)).ToArray();
        KeyedScore.SortByKey(entries, new KeyedScore[count], new int[count + 1]);
        var expected = keys.Select(k => k.ToArray()).OrderBy(b => b, ByteOrder.Instance).ToList();
        Assert.Equal(expected.Select(Convert.ToHexString), entries.Select(e => Convert.ToHexString(e.Key.ToArray())));
        // Every entry keeps its score.
        Assert.All(entries, e => Assert.Equal(keys[(int)e.Score], e.Key));
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? a, byte[]? b) => a.AsSpan().SequenceCompareTo(b);
    }
}
