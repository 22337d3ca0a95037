using System.Diagnostics;
using ZipFit.Core.Data;
using ZipFit.Core.Scoring;
using ZipFit.Core.Scoring.Methods;

namespace ZipFit.Bench;

/// <summary>
/// The stages of the scale path measured apart, in-process, on one thread each: reading and parsing a pool file,
/// and scoring with MultiViewXent and with each of its views. Explains bench/scale.ps1's totals.
/// </summary>
internal static class ScaleSplit
{
    public static Table Run(BenchData data, string pool, int limit)
    {
        var table = new Table($"Stages of the scale path, one thread, {Path.GetFileName(pool)}", "stage", "records", "seconds", "µs per record", "MB/s", "bytes allocated per record");
        var watch = Stopwatch.StartNew();
        Restart(watch);
        long count = 0, bytes = 0;
        var records = new List<byte[]>();
        foreach (var item in DatasetReader.Read(pool))
        {
            if (item.Record is { } r)
            {
                count++;
                bytes += r.Utf8.Length;
                if (records.Count < limit)
                {
                    records.Add(r.Utf8);
                }
            }
        }
        Row(table, "read + parse, keeping the records scored below", count, watch.Elapsed.TotalSeconds, bytes);
        Restart(watch);
        long raw = 0;
        using (var stream = DatasetReader.OpenDecompressed(pool, DatasetFileKind.TryFromPath(pool, out var kind) ? kind.Compression : DatasetCompression.None))
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                raw += n;
            }
        }
        Row(table, "decompress only", count, watch.Elapsed.TotalSeconds, raw);
        if (!pool.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            ProbeParse(table, pool, count); // JSONL's stages: lines, UTF-8 check, JSON tokens
        }
        Restart(watch);
        long again = 0;
        foreach (var item in DatasetReader.Read(pool))
        {
            again += item.Record is null ? 0 : 1;
        }
        Row(table, "read + parse, second pass", again, watch.Elapsed.TotalSeconds, bytes);
        var target = data.Target();
        var sample = records.Take(MethodCatalog.DefaultBackgroundSize).ToList();
        Restart(watch);
        using var method = MultiViewXentMethod.Prepare(target, sample);
        Row(table, "prepare MultiViewXent (2,000 sample)", 0, watch.Elapsed.TotalSeconds, 0);
        var textBytes = records.Sum(r => (long)r.Length);
        Time(table, "score MultiViewXent", method, records, textBytes);
        Time(table, "  byte view (cm-mix order 2)", MixtureXentMethod.Prepare(target, sample, MixtureXentOptions.Default), records, textBytes);
        Time(table, "  skeleton view (order 4)", MixtureXentMethod.Prepare(target, sample, MixtureXentOptions.Default with { View = MixtureView.Skeleton, ScoreOrder = 4 }), records, textBytes);
        Time(table, "  word view (dsir)", DsirMethod.Prepare(target, sample, new DsirOptions { TargetLaplace = 1, BackgroundLaplace = 1, PerNgram = true }), records, textBytes);
        Restart(watch);
        int sum = 0;
        byte[] skel = new byte[1 << 16];
        foreach (var r in records)
        {
            sum += SyntaxSkeleton.Map(r, skel);
        }
        Row(table, "  SyntaxSkeleton.Map", records.Count, watch.Elapsed.TotalSeconds, textBytes);
        return table;
    }

    private static void ProbeParse(Table table, string pool, long count)
    {
        DatasetFileKind.TryFromPath(pool, out var kind);
        for (int level = 0; level < 4; level++)
        {
            var watch = Stopwatch.StartNew();
            Restart(watch);
            using var stream = DatasetReader.OpenDecompressed(pool, kind.Compression);
            var lines = new ByteLineReader(stream);
            long sink = 0;
            while (lines.Next(out var line) == LineKind.Line)
            {
                var span = line.Span;
                if (level >= 1) sink += System.Text.Unicode.Utf8.IsValid(span) ? 1 : 0;
                if (level >= 2)
                {
                    var reader = new System.Text.Json.Utf8JsonReader(span);
                    while (reader.Read()) sink++;
                }
                if (level >= 3) sink += lines.Detach().Length;
            }
            Row(table, level switch { 0 => "  lines", 1 => "  + utf8 check", 2 => "  + json tokens", _ => "  + keep the line" }, count, watch.Elapsed.TotalSeconds, 0);
        }
    }

    private static void Time(Table table, string name, IScoringMethod method, List<byte[]> records, long bytes)
    {
        using var scorer = method.CreateScorer();
        foreach (var r in records.Take(2000))
        {
            scorer.Score(r);
        }
        double best = double.MaxValue, sum = 0;
        for (int round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            Restart(watch);
            foreach (var r in records)
            {
                sum += scorer.Score(r);
            }
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        Row(table, name + " (best of 3)", records.Count, best, bytes);
    }

    private static void Row(Table table, string stage, long count, double seconds, long bytes) =>
        table.Row(stage, count.ToString("N0"), seconds.ToString("F2"), count > 0 ? (seconds * 1e6 / count).ToString("F1") : "",
            bytes > 0 ? (bytes / 1e6 / seconds).ToString("F0") : "", count > 0 ? ((GC.GetAllocatedBytesForCurrentThread() - s_allocated) / count).ToString("N0") : "");

    // Allocation since the last Restart, on this thread (every stage runs on one thread).
    private static long s_allocated;

    private static void Restart(Stopwatch watch)
    {
        s_allocated = GC.GetAllocatedBytesForCurrentThread();
        watch.Restart();
    }
}

/// <summary>
/// Two loops of one stage timed against each other in one process, alternated round by round on the same records
/// (this shared host's speed drifts by tens of percent within minutes, so separate runs cannot be compared): each
/// row is a round's µs a record for either loop, the last row the best of each. Round 0 warms up and is not shown.
/// </summary>
internal static class AlternatedPaths
{
    public static Table Run(string title, string first, string second, int rounds, int records, Action<int> runPath)
    {
        var table = new Table(title, "round", first + " µs/record", second + " µs/record", "ratio");
        var best = new[] { double.MaxValue, double.MaxValue };
        for (int round = 0; round <= rounds; round++)
        {
            var times = new double[2];
            for (int path = 0; path < 2; path++)
            {
                var watch = Stopwatch.StartNew();
                runPath(path);
                times[path] = watch.Elapsed.TotalSeconds * 1e6 / records;
                if (round > 0) best[path] = Math.Min(best[path], times[path]);
            }
            if (round > 0) table.Row(round.ToString(), times[0].ToString("F2"), times[1].ToString("F2"), (times[0] / times[1]).ToString("F2"));
        }
        table.Row("best", best[0].ToString("F2"), best[1].ToString("F2"), (best[0] / best[1]).ToString("F2"));
        return table;
    }

    public static List<byte[]> Records(string pool, int limit, Func<byte[], bool>? keep = null)
    {
        var records = new List<byte[]>();
        foreach (var item in DatasetReader.Read(pool))
        {
            if (item.Record is { } r && (keep is null || keep(r.Utf8))) records.Add(r.Utf8);
            if (records.Count == limit) break;
        }
        return records;
    }
}

/// <summary>DSIR's featurizer on ASCII text: the per-byte loop against the chunked ASCII path.</summary>
internal static class DsirPaths
{
    public static Table Run(string pool, int limit, int rounds)
    {
        var records = AlternatedPaths.Records(pool, limit, r => System.Text.Ascii.IsValid(r));
        var featurizer = new DsirFeaturizer(new DsirOptions { TargetLaplace = 1, BackgroundLaplace = 1, PerNgram = true });
        var weights = new double[10_000];
        for (int i = 0; i < weights.Length; i++) weights[i] = Math.Sin(i);
        double sum = 0;
        var table = AlternatedPaths.Run($"DSIR featurizer (FNV, unigrams + bigrams), {records.Count:N0} ASCII records of {Path.GetFileName(pool)}, one thread, alternated",
            "per-byte loop", "ASCII path", rounds, records.Count, path =>
            {
                featurizer.AsciiPath = path == 1;
                foreach (var r in records)
                {
                    var sink = new SumSink(weights);
                    featurizer.Run(r, ref sink);
                    sum += sink.Sum;
                }
            });
        GC.KeepAlive(sum);
        return table;
    }

    // As DSIR's scorer sums: one weight per bucket, in order.
    private struct SumSink(double[] weights) : IBucketSink
    {
        public double Sum;
        public void Add(int bucket) => Sum += weights[bucket];
    }
}

/// <summary>The skeleton view's order-4 sums, through the accumulator's memory against in registers.</summary>
internal static class SkeletonPaths
{
    public static Table Run(BenchData data, string pool, int limit, int rounds)
    {
        var records = AlternatedPaths.Records(pool, limit);
        var method = MixtureXentMethod.Prepare(data.Target(), records.Take(MethodCatalog.DefaultBackgroundSize).ToList(),
            MixtureXentOptions.Default with { View = MixtureView.Skeleton, ScoreOrder = 4 });
        var skeletons = records.Select(SyntaxSkeleton.Map).ToList();
        var acc = new float[method.RowWidth];
        double check = 0;
        var table = AlternatedPaths.Run($"Skeleton view (order 4) sums, {skeletons.Count:N0} records of {Path.GetFileName(pool)}, one thread, alternated",
            "memory accumulator", "registers", rounds, skeletons.Count, path =>
            {
                foreach (var s in skeletons)
                {
                    Array.Clear(acc);
                    if (path == 0) method.AccumulateHigherOrderRows(s, acc); else method.AccumulateHigherOrderTwoVectorRows(s, acc);
                    check += acc[0];
                }
            });
        GC.KeepAlive(check);
        return table;
    }
}

/// <summary>The byte view's order-2 sums with trigrams found through the hash table against the context index.</summary>
internal static class ByteViewPaths
{
    public static Table Run(BenchData data, string pool, int limit, int rounds)
    {
        var records = AlternatedPaths.Records(pool, limit);
        var method = MixtureXentMethod.Prepare(data.Target(), records.Take(MethodCatalog.DefaultBackgroundSize).ToList(), MixtureXentOptions.Default);
        var acc = new float[method.RowWidth];
        double check = 0;
        var table = AlternatedPaths.Run($"Byte view (order 2) sums, {records.Count:N0} records of {Path.GetFileName(pool)}, one thread, alternated",
            "hash table", "context index", rounds, records.Count, path =>
            {
                foreach (var r in records)
                {
                    if (path == 0) MixtureXentMethod.Scorer.AccumulateTwoVectorRowsByHash(method, r, acc);
                    else MixtureXentMethod.Scorer.AccumulateTwoVectorRows(method, r, acc);
                    check += acc[0];
                }
            });
        GC.KeepAlive(check);
        return table;
    }
}
