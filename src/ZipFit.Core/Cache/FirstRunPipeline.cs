using ZipFit.Core.Scoring;

namespace ZipFit.Core.Cache;

/// <summary>Scoring through the cache: the pipeline for a method and target set, by what the cache already holds.</summary>
public static class CachedScoring
{
    /// <summary>
    /// A new scope (method and target set) of an O(N) method has nothing to look up, so its examples are scored as
    /// without the cache, each hashed by the worker that scores it, and the scores are written by a thread of their
    /// own (<see cref="FirstRunPipeline{TTag}"/>). Anything else goes through <see cref="CachedScoringPipeline{TTag}"/>.
    /// </summary>
    public static IScoringPipeline<TTag> Create<TTag>(IScoringMethod method, string targetFingerprint, ScoreCache cache, int threads,
        CancellationToken cancellationToken = default, Action<string>? warn = null)
    {
        var lengthMethod = method as IPairLengthMethod;
        long scope = cache.ScopeId(method.Identity, targetFingerprint, lengthMethod?.Compressor.Identity, out bool newScope);
        return newScope && lengthMethod is null
            ? new FirstRunPipeline<TTag>(method, cache, scope, threads, cancellationToken, warn)
            : new CachedScoringPipeline<TTag>(method, scope, cache, threads, cancellationToken, warn);
    }
}

/// <summary>
/// The first run of an O(N) method on a target set. The scoring is the uncached pipeline's, with one more step per
/// example on its worker: the text's key. Going through <see cref="CachedScoringPipeline{TTag}"/>'s lookup machinery
/// (an object per example, wider results) cost more than the cache's writes: with no writes at all, a
/// million-example run was still 7–11 % slower than without the cache. Scores go to a <see cref="BackgroundStager"/>
/// in batches, at least every second.
/// </summary>
internal sealed class FirstRunPipeline<TTag> : IScoringPipeline<TTag>
{
    private const int WriteBatch = 1024;
    private static readonly TimeSpan WriteInterval = TimeSpan.FromSeconds(1);

    private readonly OrderedParallelMap<ScoringInput<TTag>, KeyedResult> _map;
    private readonly BackgroundStager _stager;
    private readonly Action<string>? _warn;
    private readonly System.Diagnostics.Stopwatch _sinceFlush = System.Diagnostics.Stopwatch.StartNew();
    private KeyedScore[] _writes;
    private int _pending;

    internal FirstRunPipeline(IScoringMethod method, ScoreCache cache, long scopeId, int threads, CancellationToken cancellationToken,
        Action<string>? warn)
    {
        _warn = warn;
        _stager = new BackgroundStager(cache, scopeId);
        _writes = _stager.Rent(WriteBatch);
        var keyHash = cache.KeyHash;
        _map = new OrderedParallelMap<ScoringInput<TTag>, KeyedResult>(() => new Worker(method.CreateScorer(), keyHash), threads,
            ExampleScoring.DefaultBatchSize(method), cancellationToken, ExampleScoring.BatchesPerThread(method));
        Stats.Track(_map);
    }

    public ScoringStats Stats { get; } = new();

    public void Add(ReadOnlyMemory<byte> utf8, TTag tag)
    {
        Stats.AddExample();
        _map.Add(new ScoringInput<TTag>(utf8, tag));
    }

    public bool TryTake(out double score, out TTag tag)
    {
        WarnFromStager();
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
        foreach (var (result, _) in _map.Complete())
        {
            Record(result);
            yield return (result.Score, result.Tag);
        }
        Flush();
        // The merge runs on after the last result; Dispose waits for it.
        _stager.Complete();
        WarnFromStager();
    }

    private void Record(in KeyedResult result)
    {
        if (double.IsFinite(result.Score))
        {
            _writes[_pending++] = new KeyedScore(result.Key, result.Score);
        }
        // At least every second, so a killed run loses at most a second of work.
        if (_pending == _writes.Length || _sinceFlush.Elapsed >= WriteInterval)
        {
            Flush();
        }
    }

    private void Flush()
    {
        if (_pending > 0)
        {
            _stager.Add(_writes, _pending);
            _writes = _stager.Rent(WriteBatch);
            _pending = 0;
        }
        _sinceFlush.Restart();
    }

    private void WarnFromStager()
    {
        while (_stager.TryTakeWarning(out string warning))
        {
            _warn?.Invoke(warning);
        }
    }

    public void Dispose()
    {
        _map.Dispose();
        _stager.Dispose();
    }

    private readonly record struct KeyedResult(double Score, TTag Tag, ContentKey Key);

    private sealed class Worker(IExampleScorer scorer, ContentKeyHash keyHash) : IBatchMapWorker<ScoringInput<TTag>, KeyedResult>
    {
        private readonly ExampleBatch _batch = new();

        public KeyedResult Map(ScoringInput<TTag> item) =>
            new(scorer.Score(item.Utf8.Span), item.Tag, ContentKey.Of(item.Utf8.Span, keyHash));

        public void MapBatch(ReadOnlySpan<ScoringInput<TTag>> items, Span<KeyedResult> outputs)
        {
            if (scorer is not IBatchExampleScorer batched)
            {
                for (int i = 0; i < items.Length; i++) outputs[i] = Map(items[i]);
                return;
            }
            var examples = _batch.Examples(items.Length);
            for (int i = 0; i < items.Length; i++) examples[i] = items[i].Utf8;
            var scores = _batch.Score(batched, items.Length);
            for (int i = 0; i < items.Length; i++)
            {
                outputs[i] = new KeyedResult(scores[i], items[i].Tag, ContentKey.Of(items[i].Utf8.Span, keyHash));
            }
        }

        public void Dispose() => scorer.Dispose();
    }
}
