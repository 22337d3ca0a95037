using System.Diagnostics;
using ZipFit.Core.Cache;
using ZipFit.Core.Data;
using ZipFit.Core.Scoring;

namespace ZipFit.Bench;

/// <summary>
/// The cache's work on a first run of an O(N) method, measured apart on one thread: hashing each record, staging its
/// score, and the merge at the end. Explains the difference between bench/scale.ps1 with and without -NoCache.
/// </summary>
internal static class CacheWriteBench
{
    public static Table Run(string pool, int records, string outDir)
    {
        var texts = new List<byte[]>();
        foreach (var item in DatasetReader.Read(pool))
        {
            if (item.Record is { } r) texts.Add(r.Utf8);
            if (texts.Count == records) break;
        }
        long bytes = texts.Sum(t => (long)t.Length);
        var table = new Table($"The cache's writes on a first run, one thread, {texts.Count:N0} records of {Path.GetFileName(pool)} ({bytes / texts.Count:N0} bytes each)",
            "step", "seconds", "µs per record", "bytes allocated per record");
        var watch = new Stopwatch();
        void Step(string name, Action action)
        {
            GC.Collect();
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            watch.Restart();
            action();
            double s = watch.Elapsed.TotalSeconds;
            table.Row(name, s, s * 1e6 / texts.Count, (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)texts.Count);
        }
        var hashes = new ContentKey[texts.Count];
        // A first pass over a few thousand, so that what is timed runs compiled at its final tier.
        for (int i = 0; i < Math.Min(texts.Count, 5000); i++)
        {
            ContentHash.Of(texts[i]);
            ContentKey.Of(texts[i], ContentKeyHash.Sha256Prefix);
            ContentKey.Of(texts[i], ContentKeyHash.XxHash128);
        }
        Step("ContentHash.Of: SHA-256 prefix as hex text (the key before schema 4)", () =>
        {
            for (int i = 0; i < texts.Count; i++) ContentHash.Of(texts[i]);
        });
        Step("ContentKey.Of, SHA-256 prefix (caches made before schema 4)", () =>
        {
            for (int i = 0; i < texts.Count; i++) hashes[i] = ContentKey.Of(texts[i], ContentKeyHash.Sha256Prefix);
        });
        Step("ContentKey.Of, XXH3-128 (new caches)", () =>
        {
            for (int i = 0; i < texts.Count; i++) hashes[i] = ContentKey.Of(texts[i], ContentKeyHash.XxHash128);
        });
        string dir = Path.Combine(outDir, "cache-write");
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.CreateDirectory(dir);
        using (var cache = ScoreCache.Open(Path.Combine(dir, "cache.db")))
        {
            long scope = cache.ScopeId("bench-method", "bench-target", null, out _);
            var batch = new List<ScoreCache.Entry>(1024);
            Step("Stage, batches of 1,024 (the pipeline's)", () =>
            {
                for (int i = 0; i < hashes.Length; i++)
                {
                    batch.Add(new ScoreCache.Entry(hashes[i], null, null, null, null, scope, i * 1e-6));
                    if (batch.Count == 1024 || i == hashes.Length - 1)
                    {
                        cache.Stage(batch);
                        batch.Clear();
                    }
                }
            });
            Step("MergeStaged", () => cache.MergeStaged());
            Step("LookupScores, batches of 256 (a warm run's)", () => Lookup(cache, scope, hashes));
        }
        using (var cache = ScoreCache.Open(Path.Combine(dir, "runs.db")))
        {
            long scope = cache.ScopeId("bench-method", "bench-target", null, out _);
            var run = new KeyedScore[1 << 16];
            var runs = hashes.Select((h, i) => new KeyedScore(h, i * 1e-6)).Chunk(1 << 16).ToArray();
            Step("Sort, runs of 65,536 (a first O(N) run's, since schema 5)", () =>
            {
                var scratch = new KeyedScore[1 << 16];
                var buckets = new int[(1 << 16) + 1];
                foreach (var run in runs) KeyedScore.SortByKey(run, scratch, buckets);
            });
            Step("StageRun", () =>
            {
                foreach (var run in runs) cache.StageRun(scope, run);
            });
            Step("MergeStaged: the runs into blocks", () => cache.MergeStaged());
            Step("LookupScores in blocks, batches of 256", () => Lookup(cache, scope, hashes));
        }
        table.Note($"Cache files {new FileInfo(Path.Combine(dir, "cache.db")).Length / 1e6:F1} MB (rows) and {new FileInfo(Path.Combine(dir, "runs.db")).Length / 1e6:F1} MB (blocks); `zipfit-bench cache-write --pool {pool} --records {records}`.");
        return table;
    }

    private static void Lookup(ScoreCache cache, long scope, ContentKey[] hashes)
    {
        for (int i = 0; i < hashes.Length; i += 256)
        {
            var batch = hashes.AsSpan(i, Math.Min(256, hashes.Length - i)).ToArray();
            var found = cache.LookupScores(scope, batch);
            if (batch.Any(h => !found.ContainsKey(h)))
            {
                throw new InvalidOperationException($"a stored score was not found in the batch at {i}");
            }
        }
    }
}
