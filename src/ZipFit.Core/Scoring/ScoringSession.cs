using ZipFit.Core.Cache;
using ZipFit.Core.Compression;
using ZipFit.Core.Selection.Coverage;

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

    /// <summary>
    /// Also assess every example against the target's modes (<see cref="CoverageModel"/>), for balanced selection.
    /// It needs a sample of the pool: the background sample, which the faithful method then takes too.
    /// </summary>
    public bool Coverage { get; init; }

    /// <summary>A mode name per target example (null: one mode); implies <see cref="Coverage"/>.</summary>
    public IReadOnlyList<string>? TargetGroups { get; init; }

    public CoverageOptions CoverageOptions { get; init; } = CoverageOptions.Default;

    internal bool WantsCoverage => Coverage || TargetGroups is not null;

    internal bool NeedsSample => MethodCatalog.NeedsBackground(Method) || WantsCoverage;
}

/// <summary>A scored example: its score, its tag and, when coverage is on, how it stands against the target's modes.</summary>
public readonly record struct SessionResult<TTag>(double Score, TTag Tag, CoverageAssessment? Coverage, double CoverageKey);

/// <summary>
/// A scoring run over a stream. Methods that compare with the pool hold back its first examples as
/// their background sample, prepare on them, then score them like the rest, so the output is still
/// every example in input order; given a sample up front, they start at once. Prepares the method,
/// picks the cached or plain pipeline, feeds it.
/// </summary>
public sealed class ScoringSession<TTag> : IScoringPipeline<TTag>
{
    private readonly ScoringSessionOptions _options;
    private const int CalibrationSize = 500;
    private readonly List<(ReadOnlyMemory<byte> Utf8, TTag Tag)> _held = [];
    private readonly Queue<CoverageAssessment> _assessed = new();
    private IScoringPipeline<TTag>? _pipeline;
    private OrderedParallelMap<ReadOnlyMemory<byte>, CoverageAssessment>? _assessor;

    public ScoringSession(ScoringSessionOptions options)
    {
        _options = options;
        if (options.Background is { Count: 0 })
        {
            throw new ArgumentException("The background sample is empty.", nameof(options));
        }
        if (options.TargetGroups is not null && options.TargetGroups.Count != options.Target.Count)
        {
            throw new ArgumentException("Give one group per target example.", nameof(options));
        }
        if (!options.NeedsSample || options.Background is not null)
        {
            Start();
        }
    }

    /// <summary>The coverage model, when coverage is on and the session has started.</summary>
    public CoverageModel? Coverage { get; private set; }

    /// <summary>The prepared method; null while the background sample is still being gathered.</summary>
    public IScoringMethod? Method { get; private set; }

    /// <summary>How many target members the closest cached target set shares with this one (0 if none, or no cache).</summary>
    public int SharedWithClosestTarget => (_pipeline as CachedScoringPipeline<TTag>)?.SharedWithClosestTarget ?? 0;

    public ScoringStats Stats => _pipeline?.Stats ?? _emptyStats;

    private readonly ScoringStats _emptyStats = new();

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
        if (_assessor is not null)
        {
            _assessor.Add(utf8);
            DrainAssessments();
        }
    }

    public bool TryTake(out double score, out TTag tag)
    {
        bool taken = TryTake(out var result);
        (score, tag) = (result.Score, result.Tag);
        return taken;
    }

    /// <summary>The next result in input order, with its coverage assessment when coverage is on.</summary>
    public bool TryTake(out SessionResult<TTag> result)
    {
        result = default;
        if (_pipeline is null)
        {
            return false;
        }
        if (_assessor is not null)
        {
            DrainAssessments();
            if (_assessed.Count == 0)
            {
                return false;
            }
        }
        if (!_pipeline.TryTake(out double score, out var tag))
        {
            return false;
        }
        result = WithCoverage(score, tag, _assessor is null ? null : _assessed.Dequeue());
        return true;
    }

    private void DrainAssessments()
    {
        while (_assessor!.TryTake(out var assessment, out _))
        {
            _assessed.Enqueue(assessment);
        }
    }

    private SessionResult<TTag> WithCoverage(double score, TTag tag, CoverageAssessment? assessment) =>
        new(score, tag, assessment, assessment is { } a ? Coverage!.Key(a, score) : double.NaN);

    public IEnumerable<(double Score, TTag Tag)> Complete() => CompleteWithCoverage().Select(r => (r.Score, r.Tag));

    /// <summary>Finishes the stream: every remaining result in input order, with coverage when it is on.</summary>
    public IEnumerable<SessionResult<TTag>> CompleteWithCoverage()
    {
        if (_pipeline is null)
        {
            if (_held.Count == 0)
            {
                yield break;
            }
            Start();
        }
        if (_assessor is null)
        {
            foreach (var (score, tag) in _pipeline!.Complete())
            {
                yield return WithCoverage(score, tag, null);
            }
            yield break;
        }
        using var assessments = _assessed.Concat(_assessor.Complete().Select(r => r.Result)).GetEnumerator();
        foreach (var (score, tag) in _pipeline!.Complete())
        {
            assessments.MoveNext();
            yield return WithCoverage(score, tag, assessments.Current);
        }
    }

    private void Start()
    {
        var background = !_options.NeedsSample ? null
            : _options.Background ?? _held.Select(h => h.Utf8.ToArray()).ToList();
        Method = MethodCatalog.Prepare(_options.Method, _options.Target, _options.Compressor,
            MethodCatalog.NeedsBackground(_options.Method) ? background : null);
        if (_options.WantsCoverage && background is { Count: > 0 })
        {
            Coverage = CoverageModel.Prepare(background, _options.Target.Examples, _options.TargetGroups, _options.CoverageOptions);
            using (var scorer = Method.CreateScorer())
            {
                Coverage.Calibrate(background.Take(CalibrationSize).Select(b => scorer.Score(b)).ToList());
            }
            var model = Coverage;
            _assessor = new OrderedParallelMap<ReadOnlyMemory<byte>, CoverageAssessment>(
                () => new AssessWorker(model.CreateAssessor()), _options.Threads, 64, _options.Cancellation);
        }
        _pipeline = _options.Cache is { } cache
            ? CachedScoring.Create<TTag>(Method, _options.Target.Fingerprint, cache, _options.Threads, _options.Cancellation, _options.Warn)
            : new ParallelScoringPipeline<TTag>(Method, _options.Threads, _options.Cancellation);
        if (_assessor is not null)
        {
            _pipeline.Stats.Track(_assessor);
        }
        _options.Prepared?.Invoke(Method, background?.Count ?? 0);
        foreach (var (utf8, tag) in _held)
        {
            _pipeline.Add(utf8, tag);
            if (_assessor is not null)
            {
                _assessor.Add(utf8);
                DrainAssessments();
            }
        }
        _held.Clear();
    }

    public void Dispose()
    {
        _pipeline?.Dispose();
        _assessor?.Dispose();
    }

    private sealed class AssessWorker(CoverageModel.CoverageAssessor assessor) : IMapWorker<ReadOnlyMemory<byte>, CoverageAssessment>
    {
        public CoverageAssessment Map(ReadOnlyMemory<byte> item) => assessor.Assess(item.Span);

        public void Dispose() { }
    }
}
