namespace ZipFit.Core.Scoring;

/// <summary>
/// Scores a stream of examples pushed one at a time and hands results back in input order on the
/// caller's thread (a cmdlet's pipeline thread). Implementations run the work on their own threads.
/// </summary>
public interface IScoringPipeline<TTag> : IDisposable
{
    void Add(ReadOnlyMemory<byte> utf8, TTag tag);

    /// <summary>The next result in input order, if ready, without blocking.</summary>
    bool TryTake(out double score, out TTag tag);

    /// <summary>Finishes the stream and yields every remaining result in input order.</summary>
    IEnumerable<(double Score, TTag Tag)> Complete();

    ScoringStats Stats { get; }
}

/// <summary>Counters of a scoring run.</summary>
public sealed class ScoringStats
{
    private long _examples, _cachedScores, _pairsReused, _pairsComputed;
    private readonly List<IWorkClock> _clocks = [];

    public long Examples => Volatile.Read(ref _examples);
    public long CachedScores => Volatile.Read(ref _cachedScores);
    public long PairsReused => Volatile.Read(ref _pairsReused);
    public long PairsComputed => Volatile.Read(ref _pairsComputed);

    /// <summary>Summed over the scoring threads (and the coverage assessors, when on): time spent working.</summary>
    public TimeSpan ScorersBusy => _clocks.Aggregate(TimeSpan.Zero, (sum, c) => sum + c.Busy);

    /// <summary>Time the feeding thread spent blocked on the scoring threads.</summary>
    public TimeSpan WaitedForScorers => _clocks.Aggregate(TimeSpan.Zero, (sum, c) => sum + c.Waited);

    internal void Track(IWorkClock clock) => _clocks.Add(clock);

    internal void AddExample() => Interlocked.Increment(ref _examples);
    internal void AddCachedScore() => Interlocked.Increment(ref _cachedScores);
    internal void AddPairs(long reused, long computed)
    {
        Interlocked.Add(ref _pairsReused, reused);
        Interlocked.Add(ref _pairsComputed, computed);
    }

    public override string ToString() =>
        $"{Examples} examples, {CachedScores} scores from the cache, {PairsReused} pair lengths reused, {PairsComputed} computed";
}

/// <summary>The uncached pipeline: every example is scored by the method on the worker threads.</summary>
public sealed class ParallelScoringPipeline<TTag> : IScoringPipeline<TTag>
{
    private readonly OrderedParallelMap<ScoringInput<TTag>, (double Score, TTag Tag)> _map;

    public ParallelScoringPipeline(IScoringMethod method, int threads, CancellationToken cancellationToken = default)
    {
        _map = ExampleScoring.CreateScorer<TTag>(method, threads, cancellationToken);
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
        bool ok = _map.TryTake(out var result, out _);
        (score, tag) = result;
        return ok;
    }

    public IEnumerable<(double Score, TTag Tag)> Complete() => _map.Complete().Select(r => r.Result);

    public void Dispose() => _map.Dispose();
}
