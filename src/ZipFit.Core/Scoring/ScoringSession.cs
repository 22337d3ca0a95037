using ZipFit.Core.Cache;
using ZipFit.Core.Compression;

namespace ZipFit.Core.Scoring;

/// <summary>What a scoring run uses: the method, the target, the compressor, the threads, the cache.</summary>
public sealed record ScoringSessionOptions(ScoringMethodName Method, TargetSet Target, CompressorSpec Compressor, int Threads)
{
    /// <summary>For the methods that compare with the pool: how many leading examples form its sample.</summary>
    public int BackgroundSize { get; init; } = MethodCatalog.DefaultBackgroundSize;

    /// <summary>
    /// A background sample given up front (for instance the same sample for every shard of a pool); the
    /// stream is then scored from its first example and <see cref="BackgroundSize"/> is not used.
    /// </summary>
    public IReadOnlyList<byte[]>? Background { get; init; }

    public ScoreCache? Cache { get; init; }

    /// <summary>Told about cache problems (from the caller's thread).</summary>
    public Action<string>? Warn { get; init; }

    public CancellationToken Cancellation { get; init; }

    /// <summary>Called (on the caller's thread) once the method is prepared, with the background sample size (0 if none).</summary>
    public Action<IScoringMethod, int>? Prepared { get; init; }
}

/// <summary>
/// A scoring run over a stream. Methods that compare with the pool hold back its first examples as
/// their background sample, prepare on them, then score them like the rest, so the output is still
/// every example in input order; given a sample up front, they start at once. Prepares the method,
/// picks the cached or plain pipeline, feeds it.
/// </summary>
public sealed class ScoringSession<TTag> : IScoringPipeline<TTag>
{
    private readonly ScoringSessionOptions _options;
    private readonly List<(ReadOnlyMemory<byte> Utf8, TTag Tag)> _held = [];
    private IScoringPipeline<TTag>? _pipeline;

    public ScoringSession(ScoringSessionOptions options)
    {
        _options = options;
        if (options.Background is { Count: 0 })
        {
            throw new ArgumentException("The background sample is empty.", nameof(options));
        }
        if (!MethodCatalog.NeedsBackground(options.Method) || options.Background is not null)
        {
            Start();
        }
    }

    /// <summary>The prepared method; null while the background sample is still being gathered.</summary>
    public IScoringMethod? Method { get; private set; }

    /// <summary>How many target members the closest cached target set shares with this one (0 if none, or no cache).</summary>
    public int SharedWithClosestTarget => (_pipeline as CachedScoringPipeline<TTag>)?.SharedWithClosestTarget ?? 0;

    public ScoringStats Stats => _pipeline?.Stats ?? new ScoringStats();

    public void Add(ReadOnlyMemory<byte> utf8, TTag tag)
    {
        if (_pipeline is null)
        {
            _held.Add((utf8, tag));
            if (_held.Count >= _options.BackgroundSize)
            {
                Start();
            }
            return;
        }
        _pipeline.Add(utf8, tag);
    }

    public bool TryTake(out double score, out TTag tag)
    {
        if (_pipeline is null)
        {
            (score, tag) = (default, default!);
            return false;
        }
        return _pipeline.TryTake(out score, out tag);
    }

    public IEnumerable<(double Score, TTag Tag)> Complete()
    {
        if (_pipeline is null)
        {
            if (_held.Count == 0)
            {
                return [];
            }
            Start();
        }
        return _pipeline!.Complete();
    }

    private void Start()
    {
        var background = !MethodCatalog.NeedsBackground(_options.Method) ? null
            : _options.Background ?? _held.Select(h => h.Utf8.ToArray()).ToList();
        Method = MethodCatalog.Prepare(_options.Method, _options.Target, _options.Compressor, background);
        _pipeline = _options.Cache is { } cache
            ? new CachedScoringPipeline<TTag>(Method, _options.Target.Fingerprint, cache, _options.Threads, _options.Cancellation, _options.Warn)
            : new ParallelScoringPipeline<TTag>(Method, _options.Threads, _options.Cancellation);
        _options.Prepared?.Invoke(Method, background?.Count ?? 0);
        foreach (var (utf8, tag) in _held)
        {
            _pipeline.Add(utf8, tag);
        }
        _held.Clear();
    }

    public void Dispose() => _pipeline?.Dispose();
}
