using System.Text;
using Microsoft.Data.Sqlite;
using ZipFit.Core.Cache;
using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;

namespace ZipFit.Core.Tests;

public sealed class CacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zipfit-cache-").FullName;
    private readonly List<byte[]> _pool = Fixtures.Read(Fixtures.SourcePath).Select(s => Encoding.UTF8.GetBytes(s.Text)).ToList();
    private readonly List<byte[]> _targets = Fixtures.TargetBytes().Take(30).ToList();

    private string CachePath => Path.Combine(_dir, "cache.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static List<double> Uncached(IScoringMethod method, IEnumerable<byte[]> pool) =>
        ExampleScoring.Score(method, pool.Select((b, i) => new ScoringInput<int>(b, i)), 2).Select(r => r.Score).ToList();

    private (List<double> Scores, ScoringStats Stats) Cached(IScoringMethod method, TargetSet target, IEnumerable<byte[]> pool, int threads = 2)
    {
        using var cache = ScoreCache.Open(CachePath);
        using var pipeline = CachedScoring.Create<int>(method, target.Fingerprint, cache, threads);
        var scores = new List<double>();
        int i = 0;
        foreach (var bytes in pool)
        {
            pipeline.Add(bytes, i++);
            while (pipeline.TryTake(out double s, out _))
            {
                scores.Add(s);
            }
        }
        scores.AddRange(pipeline.Complete().Select(r => r.Score));
        return (scores, pipeline.Stats);
    }

    [Fact]
    public void ScoresAreIdenticalWithAndWithoutTheCacheAndAWarmRunComputesNothing()
    {
        var target = new TargetSet(_targets);
        var method = NcdMethod.Prepare(target, CompressorSpec.Default);
        var expected = Uncached(method, _pool);

        var (cold, coldStats) = Cached(method, target, _pool);
        Assert.Equal(expected, cold);
        Assert.Equal(_pool.Count * _targets.Count, coldStats.PairsComputed);

        var (warm, warmStats) = Cached(method, target, _pool, threads: 1);
        Assert.Equal(expected, warm);
        Assert.Equal(_pool.Count, warmStats.CachedScores);
        Assert.Equal(0, warmStats.PairsComputed);
    }

    [Fact]
    public void AGrownPoolComputesOnlyTheNewExamples()
    {
        var target = new TargetSet(_targets);
        var method = NcdMethod.Prepare(target, CompressorSpec.Default);
        int first = _pool.Count * 3 / 4;
        Cached(method, target, _pool.Take(first));
        var (all, stats) = Cached(method, target, _pool);
        Assert.Equal(Uncached(method, _pool), all);
        Assert.Equal(first, stats.CachedScores);
        Assert.Equal((_pool.Count - first) * _targets.Count, stats.PairsComputed);
    }

    [Fact]
    public void AnEditedTargetSetRecomputesOnlyThePairsOfChangedExamples()
    {
        var before = new TargetSet(_targets.Take(27));
        Cached(NcdMethod.Prepare(before, CompressorSpec.Default), before, _pool);

        // Three examples added, one removed, the rest reordered: only the three new ones are compressed.
        var edited = _targets.Skip(1).Reverse().ToList();
        var after = new TargetSet(edited);
        var method = NcdMethod.Prepare(after, CompressorSpec.Default);
        var (scores, stats) = Cached(method, after, _pool);
        Assert.Equal(Uncached(method, _pool), scores);
        Assert.Equal(_pool.Count * 3, stats.PairsComputed);
        Assert.Equal(_pool.Count * 26, stats.PairsReused);
    }

    [Fact]
    public void AFirstRunOfAnONMethodStagesItsScoresAndMergesThemAtTheEnd()
    {
        var target = new TargetSet(_targets);
        var method = MethodCatalog.Prepare(ScoringMethodName.Dsir, target, CompressorSpec.Default, _pool);
        var expected = Uncached(method, _pool);
        var (cold, coldStats) = Cached(method, target, _pool);
        Assert.Equal(expected, cold);
        Assert.Equal(0, coldStats.CachedScores);
        using (var cache = ScoreCache.Open(CachePath))
        {
            Assert.Equal(_pool.Count, cache.GetInfo().ScoreRows);
            Assert.Equal(0, StagedRows(cache));
        }
        var (warm, warmStats) = Cached(method, target, _pool, threads: 1);
        Assert.Equal(expected, warm);
        Assert.Equal(_pool.Count, warmStats.CachedScores);
    }

    [Theory]
    [InlineData(1)] // fewer results than a batch: the only write is at the end
    [InlineData(40)]
    public void ACacheFailingUnderAFirstONRunWarnsOnTheCallersThreadAndScoringGoesOn(int rounds)
    {
        var target = new TargetSet(_targets);
        var method = MethodCatalog.Prepare(ScoringMethodName.Dsir, target, CompressorSpec.Default, _pool);
        var pool = Enumerable.Range(0, rounds).SelectMany(round => _pool.Select(b => b.Concat(Encoding.UTF8.GetBytes($"\n# {round}")).ToArray())).ToList();
        var warnings = new List<(string Text, int Thread)>();
        var scores = new List<double>();
        using (var cache = ScoreCache.Open(CachePath))
        using (var pipeline = CachedScoring.Create<int>(method, target.Fingerprint, cache, 2,
            warn: w => warnings.Add((w, Environment.CurrentManagedThreadId))))
        {
            // Another connection takes the staging table away, so the thread writing this new scope's scores fails.
            using (var other = new SqliteConnection($"Data Source={CachePath};Pooling=False"))
            {
                other.Open();
                using var drop = other.CreateCommand();
                drop.CommandText = "DROP TABLE staged_score_runs";
                drop.ExecuteNonQuery();
            }
            for (int i = 0; i < pool.Count; i++)
            {
                pipeline.Add(pool[i], i);
                while (pipeline.TryTake(out double s, out _)) scores.Add(s);
            }
            scores.AddRange(pipeline.Complete().Select(r => r.Score));
        }
        Assert.Equal(Uncached(method, pool), scores);
        var warning = Assert.Single(warnings);
        Assert.Contains("staged_score_runs", warning.Text);
        Assert.Equal(Environment.CurrentManagedThreadId, warning.Thread);
    }

    [Fact]
    public void ScoresStagedByAStoppedRunAreMergedWhenTheCacheIsNextOpened()
    {
        var target = new TargetSet(_targets);
        var pool = Enumerable.Range(0, 10).SelectMany(round => _pool.Select(b => b.Concat(Encoding.UTF8.GetBytes($"\n# {round}")).ToArray())).ToList();
        var method = MethodCatalog.Prepare(ScoringMethodName.Dsir, target, CompressorSpec.Default, _pool);
        using (var cache = ScoreCache.Open(CachePath))
        using (var pipeline = CachedScoring.Create<int>(method, target.Fingerprint, cache, 2))
        {
            for (int i = 0; i < pool.Count; i++)
            {
                pipeline.Add(pool[i], i);
            }
            // Stopped: results are taken (so written) but Complete never runs, so nothing is merged. The pipeline
            // submits full batches of 64 only, so the last partial batch is never scored.
            int taken = 0;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (taken < pool.Count / 64 * 64 - 1 && DateTime.UtcNow < deadline)
            {
                taken += pipeline.TryTake(out _, out _) ? 1 : 0;
            }
            Thread.Sleep(1100); // past the one-second write interval, so the next result flushes the writes
            Assert.True(pipeline.TryTake(out _, out _));
        }
        using (var raw = new SqliteConnection($"Data Source={CachePath};Pooling=False"))
        {
            raw.Open();
            using var count = raw.CreateCommand();
            count.CommandText = "SELECT count(*) FROM staged_score_runs";
            Assert.True((long)count.ExecuteScalar()! > 0, "the stopped run should have staged some scores");
        }
        using (var cache = ScoreCache.Open(CachePath))
        {
            Assert.Equal(0, StagedRows(cache));
            Assert.True(cache.GetInfo().ScoreRows > 0);
        }
        var (scores, stats) = Cached(method, target, pool);
        Assert.Equal(Uncached(method, pool), scores);
        Assert.Equal(pool.Count / 64 * 64, stats.CachedScores);
    }

    [Fact]
    public void LengthsAndPairLengthsAreStagedAndMergedWhenTheCacheIsNextOpened()
    {
        var target = new TargetSet(_targets);
        var hash = ContentKey.Of(_pool[0], ContentKeyHash.XxHash128);
        int[] pairs = Enumerable.Range(100, _targets.Count).ToArray();
        long compressor, targetId, scope;
        using (var cache = ScoreCache.Open(CachePath))
        {
            compressor = cache.CompressorId("gzip-test");
            targetId = cache.TargetId(target, "gzip-test");
            scope = cache.ScopeId("ncd/gzip-test", target.Fingerprint, "gzip-test", out _);
            cache.Stage([new ScoreCache.Entry(hash, compressor, 77, targetId, pairs, scope, 0.25)]);
            // Staged rows are not in the tables until a merge (a stopped run never gets to it).
            Assert.Empty(cache.LookupPairs(targetId, [hash]));
            Assert.Equal(3, StagedRows(cache));
        }
        using (var cache = ScoreCache.Open(CachePath))
        {
            Assert.Equal(0, StagedRows(cache));
            Assert.Equal(77, cache.LookupLengths(compressor, [hash])[hash]);
            Assert.Equal(pairs, cache.LookupPairs(targetId, [hash])[hash]);
            Assert.Equal(0.25, cache.LookupScores(scope, [hash])[hash]);
        }
    }

    [Fact]
    public void AClearWhileARunHasStagedRowsKeepsItsScopeTargetAndCompressor()
    {
        var target = new TargetSet(_targets);
        using var cache = ScoreCache.Open(CachePath);
        var hash = cache.KeyOf(_pool[1]);
        long compressor = cache.CompressorId("gzip-test");
        long targetId = cache.TargetId(target, "gzip-test");
        long scope = cache.ScopeId("ncd/gzip-test", target.Fingerprint, "gzip-test", out _);
        cache.Stage([new ScoreCache.Entry(hash, compressor, 5, targetId, Enumerable.Repeat(9, _targets.Count).ToArray(), scope, 0.5)]);
        cache.Clear(); // another process clearing the cache while this run is going
        cache.MergeStaged();
        Assert.Equal(scope, cache.ScopeId("ncd/gzip-test", target.Fingerprint, "gzip-test", out bool created));
        Assert.False(created);
        Assert.Equal(targetId, cache.TargetId(target, "gzip-test"));
        Assert.Equal(compressor, cache.CompressorId("gzip-test"));
        Assert.Equal(0.5, cache.LookupScores(scope, [hash])[hash]);
    }

    [Fact]
    public void AFirstExactRunLeavesNothingStaged()
    {
        var target = new TargetSet(_targets);
        Cached(NcdMethod.Prepare(target, CompressorSpec.Default), target, _pool);
        using var cache = ScoreCache.Open(CachePath);
        Assert.Equal(0, StagedRows(cache));
        var info = cache.GetInfo();
        Assert.Equal(_pool.Count, info.ScoreRows);
        Assert.Equal(_pool.Count, info.LengthRows);
        Assert.Equal(_pool.Count, info.PairRows);
    }

    [Fact]
    public void ExamplesInFlightStayBoundedWhateverThePoolSize()
    {
        // Fed the way the cmdlet feeds it (take what is ready after each add), an exact run over a pool many times the
        // in-flight window never holds more than a lookup batch and the window at once.
        var target = new TargetSet(_targets.Take(5));
        var method = NcdMethod.Prepare(target, CompressorSpec.Default);
        var pool = Enumerable.Range(0, 40).SelectMany(round => _pool.Select(b => b.Concat(Encoding.UTF8.GetBytes($"\n# {round}")).ToArray())).ToList();
        using var cache = ScoreCache.Open(CachePath);
        using var pipeline = CachedScoring.Create<int>(method, target.Fingerprint, cache, 2);
        int added = 0, taken = 0, mostInFlight = 0;
        foreach (var bytes in pool)
        {
            pipeline.Add(bytes, added++);
            while (pipeline.TryTake(out _, out _))
            {
                taken++;
            }
            mostInFlight = Math.Max(mostInFlight, added - taken);
        }
        taken += pipeline.Complete().Count();
        Assert.Equal(pool.Count, taken);
        Assert.True(mostInFlight is >= 1 and <= 256 + 64, $"{mostInFlight} of {pool.Count} examples were in flight at once");
    }

    private static long StagedRows(ScoreCache cache) => cache.StagedRowCount;

    [Fact]
    public void OtherMethodsCacheTheirScores()
    {
        var target = new TargetSet(_targets);
        var zstd = NcdMethod.Prepare(target, CompressorSpec.Parse("zstd", 3));
        var gzip = NcdMethod.Prepare(target, CompressorSpec.Default);
        Cached(gzip, target, _pool);
        var (scores, stats) = Cached(zstd, target, _pool);
        Assert.Equal(0, stats.CachedScores);
        Assert.Equal(Uncached(zstd, _pool), scores);
        using var cache = ScoreCache.Open(CachePath);
        var info = cache.GetInfo();
        Assert.Equal(2 * _pool.Count, info.ScoreRows);
        Assert.Equal(2, info.Compressors.Count);
        Assert.Contains(info.Compressors, c => c.StartsWith("zstd-3/", StringComparison.Ordinal));
    }

    [Fact]
    public void AFileThatIsNotACacheIsRefusedAndLeftUntouched()
    {
        File.WriteAllText(CachePath, "my precious notes, not a database");
        var ex = Assert.Throws<NotACacheException>(() => ScoreCache.Open(CachePath));
        Assert.Contains("not an SQLite database", ex.Message);
        Assert.Equal("my precious notes, not a database", File.ReadAllText(CachePath));
    }

    [Fact]
    public void AnotherApplicationsDatabaseIsRefusedAndLeftUntouched()
    {
        using (var connection = new SqliteConnection($"Data Source={CachePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO accounts(name) VALUES ('x');";
            command.ExecuteNonQuery();
        }
        byte[] before = File.ReadAllBytes(CachePath);
        Assert.Throws<NotACacheException>(() => ScoreCache.Open(CachePath));
        Assert.Equal(before, File.ReadAllBytes(CachePath));
    }

    [Fact]
    public void ADamagedCacheIsMovedAsideAndRebuilt()
    {
        var target = new TargetSet(_targets.Take(5));
        Cached(NcdMethod.Prepare(target, CompressorSpec.Default), target, _pool);
        SqliteConnection.ClearAllPools();
        // Overwrite the middle of the file (past the header and schema page) with garbage.
        byte[] bytes = File.ReadAllBytes(CachePath);
        Assert.True(bytes.Length > 3 * 4096);
        new Random(3).NextBytes(bytes.AsSpan(2 * 4096, bytes.Length - 3 * 4096));
        File.WriteAllBytes(CachePath, bytes);

        string? warning = null;
        using (var cache = ScoreCache.Open(CachePath, w => warning = w))
        {
            Assert.Equal(0, cache.GetInfo().ScoreRows);
        }
        Assert.NotNull(warning);
        Assert.Contains("moved to", warning);
        Assert.Single(Directory.GetFiles(_dir, "cache.db.damaged-*"), f => !f.EndsWith("-wal") && !f.EndsWith("-shm"));
    }

    [Fact]
    public void ClearRemovesOneCompressorOrEverything()
    {
        var target = new TargetSet(_targets.Take(5));
        Cached(NcdMethod.Prepare(target, CompressorSpec.Default), target, _pool);
        Cached(NcdMethod.Prepare(target, CompressorSpec.Parse("lz4", 0)), target, _pool);
        using var cache = ScoreCache.Open(CachePath);
        cache.Clear("lz4");
        var info = cache.GetInfo();
        Assert.Equal(_pool.Count, info.ScoreRows);
        Assert.Equal(_pool.Count, info.LengthRows);
        cache.Clear(null, DateTimeOffset.UtcNow.AddDays(-1));
        Assert.Equal(_pool.Count, cache.GetInfo().ScoreRows);
        cache.Clear();
        info = cache.GetInfo();
        Assert.Equal(0, info.ScoreRows + info.PairRows + info.LengthRows + info.TargetRows);
    }

    [Theory]
    [InlineData("zstd-1", "zstd-1/zstdsharp-0.8.8", true)]
    [InlineData("zstd-1", "zstd-10/zstdsharp-0.8.8", false)]
    [InlineData("zstd", "zstd-10/zstdsharp-0.8.8", true)]
    [InlineData("gzip", "gzip-9/managed-zlib-1.2.13", true)]
    [InlineData("gzip-9", "gzip-9/zlib-1.2.13", true)]
    [InlineData("gzip-9/zlib-1.2.13", "gzip-9/managed-zlib-1.2.13", false)]
    [InlineData("*managed*", "gzip-9/managed-zlib-1.2.13", true)]
    [InlineData("lz4", "lz4_x", false)]
    public void CompressorPatternsMatchWhatTheySay(string pattern, string identity, bool matches)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT $i LIKE $p ESCAPE '\\'";
        command.Parameters.AddWithValue("$i", identity);
        command.Parameters.AddWithValue("$p", ScoreCache.PatternToLike(pattern));
        Assert.Equal(matches ? 1L : 0L, (long)command.ExecuteScalar()!);
    }

    [Fact]
    public void AVersion1CacheIsMigratedAndKeepsItsScores()
    {
        var target = new TargetSet(_targets);
        var method = NcdMethod.Prepare(target, CompressorSpec.Default);
        Cached(method, target, _pool);
        using (var connection = new SqliteConnection($"Data Source={CachePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE staged_scores; DROP TABLE staged_lengths; DROP TABLE staged_pairs; DROP TABLE staged_score_runs; DROP TABLE score_blocks; " +
                "UPDATE meta SET value = '1' WHERE key = 'schema_version'";
            command.ExecuteNonQuery();
        }
        using (var cache = ScoreCache.Open(CachePath))
        {
            Assert.Equal(0, cache.StagedRowCount);
        }
        using (var connection = new SqliteConnection($"Data Source={CachePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT value FROM meta WHERE key = 'schema_version'";
            Assert.Equal(ScoreCache.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), command.ExecuteScalar());
        }
        var (_, stats) = Cached(method, target, _pool);
        Assert.Equal(_pool.Count, stats.CachedScores);
    }

    [Fact]
    public void ANewCacheIsKeyedByXxh3AndAVersion3CacheKeepsItsSha256Keys()
    {
        var target = new TargetSet(_targets);
        var method = NcdMethod.Prepare(target, CompressorSpec.Default);
        using (var cache = ScoreCache.Open(CachePath))
        {
            Assert.Equal(ContentKeyHash.XxHash128, cache.KeyHash);
        }
        var (scores, _) = Cached(method, target, _pool);
        // What a version 3 cache holds: no content_hash in meta, rows keyed by the SHA-256 prefix. One score is planted
        // under its SHA-256 key, another under its XXH3 key: only the first may be found.
        using (var connection = new SqliteConnection($"Data Source={CachePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM meta WHERE key = 'content_hash'; UPDATE meta SET value = '3' WHERE key = 'schema_version'; " +
                "DROP TABLE staged_score_runs; DROP TABLE score_blocks; " +
                "DELETE FROM scores; DELETE FROM pairs; DELETE FROM lengths; " +
                "INSERT INTO scores(hash, scope_id, score, created) SELECT $sha, id, 0.125, 0 FROM scopes; " +
                "INSERT INTO scores(hash, scope_id, score, created) SELECT $xxh, id, 0.375, 0 FROM scopes;";
            command.Parameters.AddWithValue("$sha", System.Security.Cryptography.SHA256.HashData(_pool[0])[..16]);
            command.Parameters.AddWithValue("$xxh", ContentKey.Of(_pool[1], ContentKeyHash.XxHash128).ToArray());
            command.ExecuteNonQuery();
        }
        using (var cache = ScoreCache.Open(CachePath))
        {
            Assert.Equal(ContentKeyHash.Sha256Prefix, cache.KeyHash);
        }
        var (again, stats) = Cached(method, target, _pool);
        Assert.Equal(1, stats.CachedScores);
        Assert.Equal(0.125, again[0]);
        Assert.Equal(scores.Skip(1), again.Skip(1));
        using (var cache = ScoreCache.Open(CachePath))
        {
            Assert.Equal(ContentKeyHash.Sha256Prefix, cache.KeyHash); // rows added by the run above are keyed alike
            // Every example but the first (whose score was found) was compressed again, and its length stored.
            var sha = _pool.Skip(1).Select(x => ContentKey.Of(x, ContentKeyHash.Sha256Prefix)).Distinct().ToList();
            Assert.Equal(sha.Count, cache.LookupLengths(cache.CompressorId(CompressorSpec.Default.Identity), sha).Count);
        }
    }

    [Fact]
    public void ConcurrentOpensOfANewOrOlderCacheMigrateItOnce()
    {
        for (int round = 0; round < 10; round++)
        {
            string path = Path.Combine(_dir, $"race-{round}.db");
            if (round % 2 == 1)
            {
                using (ScoreCache.Open(path)) { }
                using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "DROP TABLE staged_scores; DROP TABLE staged_lengths; DROP TABLE staged_pairs; DROP TABLE staged_score_runs; DROP TABLE score_blocks; " +
                "UPDATE meta SET value = '1' WHERE key = 'schema_version'";
                command.ExecuteNonQuery();
            }
            Parallel.For(0, 6, new ParallelOptions { MaxDegreeOfParallelism = 6 }, _ =>
            {
                using var cache = ScoreCache.Open(path);
                Assert.Equal(0, cache.StagedRowCount);
            });
        }
    }

    [Fact]
    public void ANewerSchemaIsRefused()
    {
        using (ScoreCache.Open(CachePath)) { }
        using (var connection = new SqliteConnection($"Data Source={CachePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value = '99' WHERE key = 'schema_version'";
            command.ExecuteNonQuery();
        }
        Assert.Throws<CacheVersionException>(() => ScoreCache.Open(CachePath));
    }
}

public class ContentHashTests
{
    [Theory]
    // Expected values from xxh128sum (xxHash 0.8.1, Debian's xxhash package).
    [InlineData("", "99aa06d3014798d86001c324468d497f")]
    [InlineData("abc", "06b05ab6733a618578af5f94892f3950")]
    public void ContentKeysOfXxh3AreXxh128sums(string text, string expected)
    {
        var key = ContentKey.Of(System.Text.Encoding.UTF8.GetBytes(text), ContentKeyHash.XxHash128);
        Assert.Equal(expected, key.ToString());
        Assert.Equal(expected, Convert.ToHexString(key.ToArray()).ToLowerInvariant());
        Assert.Equal(key, ContentKey.FromBytes(key.ToArray()));
    }

    [Fact]
    public void ContentKeysOfLongerInputsAreXxh128sums()
    {
        // printf of bytes(range(256))*10 | xxh128sum; bytes((i*7)%251 for i in range(200)) | xxh128sum
        Assert.Equal("d7d3aba3d305d2c3ce94c58d4049e3e5",
            ContentKey.Of(Enumerable.Range(0, 2560).Select(i => (byte)i).ToArray(), ContentKeyHash.XxHash128).ToString());
        Assert.Equal("5451071ed36ad47079ad90815b45bbd9",
            ContentKey.Of(Enumerable.Range(0, 200).Select(i => (byte)(i * 7 % 251)).ToArray(), ContentKeyHash.XxHash128).ToString());
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223", ContentKey.Of("abc"u8, ContentKeyHash.Sha256Prefix).ToString());
        var seen = new HashSet<ContentKey>();
        for (int i = 0; i < 1000; i++) Assert.True(seen.Add(ContentKey.Of(BitConverter.GetBytes(i), ContentKeyHash.XxHash128)));
    }

    [Fact]
    public void IsTheFirst16BytesOfSha256InLowercaseHex()
    {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223 b00361a396177a9cb410ff61f20015ad
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223", ZipFit.Core.Scoring.ContentHash.Of("abc"u8.ToArray()));
        var random = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 500)];
            random.NextBytes(bytes);
            Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes), 0, 16).ToLowerInvariant(),
                ZipFit.Core.Scoring.ContentHash.Of(bytes));
        }
    }
}
