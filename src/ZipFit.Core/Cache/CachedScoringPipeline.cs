using Microsoft.Data.Sqlite;
using ZipFit.Core.Scoring;

namespace ZipFit.Core.Cache;

/// <summary>
/// Scoring through the cache. On the caller's thread, examples are hashed and looked up in
/// batches: a stored score is used as is; for the faithful NCD method, stored C(x) and C(x+y) —
/// for this target set, or for the closest earlier target set, mapped by member — are handed to
/// the workers, which compress only what is missing. Results are written back one transaction per
/// batch, at least every second. If the cache fails mid-run (disk full, say), the run goes on without it after a warning.
/// Results are staged (appended) and merged into their tables in key order when the run ends, or when the cache is
/// next opened if the run is stopped: inserted one by one at random keys, every commit rewrote most of a large
/// table's pages. A new scope of an O(N) method, with nothing to look up, goes through <see cref="FirstRunPipeline{TTag}"/>
/// instead (<see cref="CachedScoring.Create"/> chooses).
/// </summary>
public sealed class CachedScoringPipeline<TTag> : IScoringPipeline<TTag>
{
    private const int LookupBatch = 256;
    private const int WriteBatch = 1024;
    private static readonly TimeSpan WriteInterval = TimeSpan.FromSeconds(1);

    private readonly ScoreCache _cache;
    private readonly IPairLengthMethod? _lengthMethod;
    private readonly Action<string>? _warn;
    private readonly OrderedParallelMap<Item, Result> _map;
    private readonly List<Item> _pending = new(LookupBatch);
    private List<ScoreCache.Entry> _writes = new(WriteBatch);
    private readonly long _scopeId;
    private readonly long _compressorId;
    private readonly long _targetId;
    private readonly (long TargetId, int[] Positions, int Shared)? _closest;
    private readonly System.Diagnostics.Stopwatch _sinceFlush = System.Diagnostics.Stopwatch.StartNew();
    private bool _cacheFailed;

    internal CachedScoringPipeline(IScoringMethod method, long scopeId, ScoreCache cache, int threads,
        CancellationToken cancellationToken = default, Action<string>? warn = null)
    {
        _cache = cache;
        _warn = warn;
        _lengthMethod = method as IPairLengthMethod;
        string? compressor = _lengthMethod?.Compressor.Identity;
        _scopeId = scopeId;
        if (_lengthMethod is not null)
        {
            _compressorId = cache.CompressorId(compressor!);
            _targetId = cache.TargetId(_lengthMethod.Target, compressor!);
            _closest = cache.ClosestTarget(_lengthMethod.Target, compressor!);
        }
        _map = new OrderedParallelMap<Item, Result>(() => new Worker(method, this), threads,
            ExampleScoring.DefaultBatchSize(method), cancellationToken, ExampleScoring.BatchesPerThread(method));
        Stats.Track(_map);
    }

    public ScoringStats Stats { get; } = new();

    /// <summary>How many target members the closest earlier target set shares with this one (0 if none).</summary>
    public int SharedWithClosestTarget => _closest?.Shared ?? 0;

    public void Add(ReadOnlyMemory<byte> utf8, TTag tag)
    {
        Stats.AddExample();
        _pending.Add(new Item { Utf8 = utf8, Tag = tag });
        if (_pending.Count >= LookupBatch)
        {
            Dispatch();
        }
    }

    public bool TryTake(out double score, out TTag tag)
    {
        if (_map.TryTake(out var result, out _))
        {
            Record(result);
            (score, tag) = (result.Score, result.Tag);
            return true;
        }
        (score, tag) = (default, default!);
        return false;
    }

    public IEnumerable<(double Score, TTag Tag)> Complete()
    {
        Dispatch();
        foreach (var (result, _) in _map.Complete())
        {
            Record(result);
            yield return (result.Score, result.Tag);
        }
        Flush();
        Guard(() => _cache.MergeStaged());
    }

    private void Dispatch()
    {
        if (_pending.Count == 0)
        {
            return;
        }
        var hashes = new List<ContentKey>(_pending.Count);
        foreach (var item in _pending)
        {
            item.Hash = _cache.KeyOf(item.Utf8.Span);
            hashes.Add(item.Hash);
        }
        Guard(() =>
        {
            var scores = _cache.LookupScores(_scopeId, hashes);
            var misses = _pending.Where(i => !scores.ContainsKey(i.Hash)).ToList();
            foreach (var item in _pending)
            {
                if (scores.TryGetValue(item.Hash, out double s))
                {
                    item.KnownScore = s;
                }
            }
            if (_lengthMethod is null || misses.Count == 0)
            {
                return;
            }
            var missHashes = misses.Select(i => i.Hash).ToList();
            var lengths = _cache.LookupLengths(_compressorId, missHashes);
            var pairs = _cache.LookupPairs(_targetId, missHashes);
            var prior = _closest is { } closest
                ? _cache.LookupPairs(closest.TargetId, missHashes.Where(h => !pairs.ContainsKey(h)).ToList())
                : [];
            foreach (var item in misses)
            {
                item.Cx = lengths.TryGetValue(item.Hash, out int cx) ? cx : null;
                if (pairs.TryGetValue(item.Hash, out var p) && p.Length == _lengthMethod.Target.Count)
                {
                    item.Pairs = p;
                }
                else if (prior.TryGetValue(item.Hash, out var q))
                {
                    item.Pairs = MapPrior(q, _closest!.Value.Positions);
                }
            }
        });
        foreach (var item in _pending)
        {
            _map.Add(item);
        }
        _pending.Clear();
    }

    private static int[] MapPrior(int[] prior, int[] positions)
    {
        var mapped = new int[positions.Length];
        for (int i = 0; i < positions.Length; i++)
        {
            int p = positions[i];
            mapped[i] = p >= 0 && p < prior.Length ? prior[p] : -1;
        }
        return mapped;
    }

    private void Record(Result result)
    {
        if (result.Known)
        {
            Stats.AddCachedScore();
            return;
        }
        Stats.AddPairs(result.PairsReused, result.PairsComputed);
        _writes.Add(new ScoreCache.Entry(result.Hash, _lengthMethod is null ? null : _compressorId, result.Cx,
            _lengthMethod is null ? null : _targetId, result.Pairs, _scopeId, result.Score));
        // Commit at least every second, so a killed run loses at most a second of work.
        if (_writes.Count >= WriteBatch || _sinceFlush.Elapsed >= WriteInterval)
        {
            Flush();
        }
    }

    private void Flush()
    {
        if (_writes.Count == 0)
        {
            return;
        }
        Guard(() => _cache.Stage(_writes));
        _writes.Clear();
        _sinceFlush.Restart();
    }

    private void Guard(Action action)
    {
        if (_cacheFailed)
        {
            return;
        }
        try
        {
            action();
        }
        catch (SqliteException ex)
        {
            _cacheFailed = true;
            _warn?.Invoke($"The cache '{_cache.Path}' failed ({ex.Message}); scoring goes on without it.");
        }
    }

    public void Dispose()
    {
        _map.Dispose();
    }

    private sealed class Item
    {
        public ReadOnlyMemory<byte> Utf8;
        public TTag Tag = default!;
        public ContentKey Hash;
        public double? KnownScore;
        public int? Cx;
        public int[]? Pairs;
    }

    private readonly record struct Result(TTag Tag, double Score, bool Known, ContentKey Hash, int? Cx, int[]? Pairs, int PairsReused, int PairsComputed);

    private sealed class Worker(IScoringMethod method, CachedScoringPipeline<TTag> owner) : IBatchMapWorker<Item, Result>
    {
        private readonly IPairLengthScorer? _lengthScorer = owner._lengthMethod?.CreatePairLengthScorer();
        private readonly IExampleScorer? _scorer = owner._lengthMethod is null ? method.CreateScorer() : null;
        private readonly ExampleBatch _batch = new();
        private int[] _unknown = [];

        public void MapBatch(ReadOnlySpan<Item> items, Span<Result> outputs)
        {
            if (_scorer is not IBatchExampleScorer batched)
            {
                for (int i = 0; i < items.Length; i++) outputs[i] = Map(items[i]);
                return;
            }
            // Scores already known come from the cache; the others are scored together.
            if (_unknown.Length < items.Length) _unknown = new int[items.Length];
            int n = 0;
            for (int i = 0; i < items.Length; i++)
            {
                var item = items[i];
                if (item.KnownScore is { } known) outputs[i] = new Result(item.Tag, known, true, item.Hash, null, null, 0, 0);
                else _unknown[n++] = i;
            }
            var examples = _batch.Examples(n);
            for (int k = 0; k < n; k++) examples[k] = items[_unknown[k]].Utf8;
            var scores = _batch.Score(batched, n);
            for (int k = 0; k < n; k++)
            {
                var item = items[_unknown[k]];
                outputs[_unknown[k]] = new Result(item.Tag, scores[k], false, item.Hash, null, null, 0, 0);
            }
        }

        public Result Map(Item item)
        {
            if (item.KnownScore is { } known)
            {
                return new Result(item.Tag, known, true, item.Hash, null, null, 0, 0);
            }
            if (_lengthScorer is null)
            {
                return new Result(item.Tag, _scorer!.Score(item.Utf8.Span), false, item.Hash, null, null, 0, 0);
            }
            var x = item.Utf8.Span;
            int cx = item.Cx ?? _lengthScorer.CompressedLength(x);
            int[] pairs = item.Pairs ?? CreateMissing(owner._lengthMethod!.Target.Count);
            int computed = _lengthScorer.ComputeMissingPairLengths(x, pairs);
            double score = owner._lengthMethod!.Score(cx, pairs);
            return new Result(item.Tag, score, false, item.Hash, cx, pairs, pairs.Length - computed, computed);
        }

        private static int[] CreateMissing(int n)
        {
            var a = new int[n];
            a.AsSpan().Fill(-1);
            return a;
        }

        public void Dispose()
        {
            _lengthScorer?.Dispose();
            _scorer?.Dispose();
        }
    }
}
