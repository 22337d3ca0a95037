using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace ZipFit.Core.Scoring.Methods;

/// <summary>How DSIR n-grams are mapped to buckets.</summary>
public enum DsirHash
{
    /// <summary>FNV-1a 64 over the UTF-8 bytes of the n-gram (bigram = "w1 w2"), avalanche-mixed, mod buckets. Fast; default.</summary>
    Fnv1a64 = 0,

    /// <summary>DSIR's own bucket function: int(sha256(ngram).hexdigest(), 16) % buckets. Bit-compatible buckets, ~5x slower.</summary>
    Sha256 = 1,
}

/// <summary>Options of the hashed n-gram DSIR importance estimator (Xie et al. 2023).</summary>
public sealed record DsirOptions
{
    /// <summary>Number of hash buckets (DSIR: 10,000).</summary>
    public int NumBuckets { get; init; } = 10_000;

    /// <summary>1 = unigrams, 2 = unigrams + bigrams (DSIR: 2).</summary>
    public int NGrams { get; init; } = 2;

    /// <summary>Examples with fewer word-punct tokens get <see cref="ScoreConstants.Excluded"/>. DSIR's default is 100; 0 disables.</summary>
    public int MinExampleTokens { get; init; }

    /// <summary>Pseudo-count added to every target bucket before normalising (DSIR's target_laplace_smoothing, default 0).</summary>
    public double TargetLaplace { get; init; }

    /// <summary>Pseudo-count added to every background bucket before normalising (DSIR: 0).</summary>
    public double BackgroundLaplace { get; init; }

    /// <summary>Added to both probabilities inside the log (DSIR: 1e-8).</summary>
    public double ProbabilityEpsilon { get; init; } = 1e-8;

    public DsirHash Hash { get; init; } = DsirHash.Fnv1a64;

    /// <summary>Divide the summed log-weight by the number of n-grams (not DSIR; off by default).</summary>
    public bool PerNgram { get; init; }

    /// <summary>DSIR as published: lowercase, unigrams+bigrams, 10k buckets, eps 1e-8, no Laplace, no minimum length, FNV buckets.</summary>
    public static DsirOptions Default { get; } = new();

    internal void Validate()
    {
        if (NumBuckets < 2) throw new ArgumentOutOfRangeException(nameof(NumBuckets));
        if (NGrams is < 1 or > 2) throw new ArgumentOutOfRangeException(nameof(NGrams), "only 1 or 2 supported");
        if (MinExampleTokens < 0) throw new ArgumentOutOfRangeException(nameof(MinExampleTokens));
        if (TargetLaplace < 0 || BackgroundLaplace < 0) throw new ArgumentOutOfRangeException(nameof(TargetLaplace));
        if (!(ProbabilityEpsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(ProbabilityEpsilon));
        if (ProbabilityEpsilon == 0 && TargetLaplace == 0)
            throw new ArgumentException("with no Laplace smoothing ProbabilityEpsilon must be > 0 (log 0)");
    }
}

/// <summary>
/// DSIR hashed n-gram importance weights: score(x) = Σ_ngram∈x [log p_target(b(ngram)) − log p_background(b(ngram))],
/// the log importance weight of Xie et al. 2023. Tokenisation: lowercase, then the word-punct regex \w+|[^\w\s]+
/// (Python/Unicode semantics), unigrams and space-joined bigrams hashed into buckets.
/// </summary>
public sealed class DsirMethod : IScoringMethod
{
    private readonly double[] _logDiff;

    private DsirMethod(DsirOptions options, double[] logDiff, int backgroundCount)
    {
        Options = options;
        _logDiff = logDiff;
        BackgroundCount = backgroundCount;
        Identity = string.Create(CultureInfo.InvariantCulture,
            $"dsir(buckets={options.NumBuckets},ngrams={options.NGrams},hash={HashName(options.Hash)},minTokens={options.MinExampleTokens}," +
            $"tgtLaplace={options.TargetLaplace:R},bgLaplace={options.BackgroundLaplace:R},eps={options.ProbabilityEpsilon:R}," +
            $"norm={(options.PerNgram ? "per-ngram" : "sum")},bg={backgroundCount})");
    }

    public DsirOptions Options { get; }
    public int BackgroundCount { get; }
    public string Identity { get; }

    /// <summary>log p_target − log p_background per bucket (copy).</summary>
    public double[] GetLogDiff() => (double[])_logDiff.Clone();

    public static DsirMethod Prepare(IReadOnlyList<byte[]> target, IReadOnlyList<byte[]> background, DsirOptions? options = null)
    {
        options ??= DsirOptions.Default;
        options.Validate();
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(background);
        if (target.Count == 0) throw new ArgumentException("empty target set", nameof(target));
        if (background.Count == 0) throw new ArgumentException("empty background set", nameof(background));

        int nb = options.NumBuckets;
        var featurizer = new DsirFeaturizer(options);
        var tCounts = new long[nb];
        var bCounts = new long[nb];
        foreach (var t in target)
        {
            var sink = new CountSink(tCounts);
            featurizer.Run(t, ref sink);
        }
        foreach (var b in background)
        {
            var sink = new CountSink(bCounts);
            featurizer.Run(b, ref sink);
        }

        var logDiff = new double[nb];
        double tTotal = 0, bTotal = 0;
        for (int i = 0; i < nb; i++) { tTotal += tCounts[i]; bTotal += bCounts[i]; }
        tTotal += options.TargetLaplace * nb;
        bTotal += options.BackgroundLaplace * nb;
        if (tTotal <= 0) throw new ArgumentException("target set has no tokens", nameof(target));
        if (bTotal <= 0) throw new ArgumentException("background set has no tokens", nameof(background));
        double eps = options.ProbabilityEpsilon;
        for (int i = 0; i < nb; i++)
        {
            double pt = (tCounts[i] + options.TargetLaplace) / tTotal;
            double pb = (bCounts[i] + options.BackgroundLaplace) / bTotal;
            logDiff[i] = Math.Log(pt + eps) - Math.Log(pb + eps);
        }
        return new DsirMethod(options, logDiff, background.Count);
    }

    public IExampleScorer CreateScorer() => new Scorer(this);

    private static string HashName(DsirHash h) => h switch
    {
        DsirHash.Fnv1a64 => "fnv1a64",
        DsirHash.Sha256 => "sha256",
        _ => h.ToString(),
    };

    private struct CountSink : IBucketSink
    {
        private readonly long[] _counts;
        public CountSink(long[] counts) => _counts = counts;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int bucket) => _counts[bucket]++;
    }

    private struct ScoreSink : IBucketSink
    {
        private readonly double[] _logDiff;
        public double Sum;
        public ScoreSink(double[] logDiff) { _logDiff = logDiff; Sum = 0; }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int bucket) => Sum += _logDiff[bucket];
    }

    private sealed class Scorer : IExampleScorer
    {
        private readonly DsirMethod _m;
        private readonly DsirFeaturizer _f;

        public Scorer(DsirMethod m) { _m = m; _f = new DsirFeaturizer(m.Options); }

        public double Score(ReadOnlySpan<byte> utf8)
        {
            var sink = new ScoreSink(_m._logDiff);
            var (tokens, ngrams) = _f.Run(utf8, ref sink);
            if (tokens == 0 || tokens < _m.Options.MinExampleTokens) return ScoreConstants.Excluded;
            return _m.Options.PerNgram ? sink.Sum / ngrams : sink.Sum;
        }

        public void Dispose() { }
    }
}
