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

/// <summary>Score constants shared by the methods.</summary>
public static class ScoreConstants
{
    /// <summary>Score of an example a method refuses to rank (empty input, DSIR minimum length). Sorts last.</summary>
    public const double Excluded = double.NegativeInfinity;
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

internal interface IBucketSink
{
    void Add(int bucket);
}

/// <summary>
/// Word-punct tokeniser + n-gram bucket hashing over UTF-8, allocation-free after warm-up (scratch buffers grow
/// only for tokens longer than any seen before). Not thread-safe: one per thread.
/// </summary>
public sealed class DsirFeaturizer
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    private readonly int _buckets;
    private readonly bool _bigrams;
    private readonly DsirHash _hash;
    private byte[] _cur = new byte[256];
    private byte[] _prev = new byte[256];
    private byte[] _joined = new byte[513];
    private readonly byte[] _digest = new byte[32];

    public DsirFeaturizer(DsirOptions options)
    {
        _buckets = options.NumBuckets;
        _bigrams = options.NGrams >= 2;
        _hash = options.Hash;
    }

    /// <summary>Collects the bucket ids of every n-gram in order (unigram of token i, then bigram (i−1,i)). For tests and tools.</summary>
    public List<int> Buckets(ReadOnlySpan<byte> utf8)
    {
        var list = new List<int>();
        var sink = new ListSink(list);
        Run(utf8, ref sink);
        return list;
    }

    /// <summary>The word-punct tokens of the lowercased text (for tests and tools; allocates).</summary>
    public static List<string> Tokenize(string text)
    {
        var result = new List<string>();
        var bytes = Encoding.UTF8.GetBytes(text);
        var f = new DsirFeaturizer(DsirOptions.Default);
        var sink = new TokenSink(result, f);
        f.Run(bytes, ref sink);
        return result;
    }

    /// <summary>Bucket of a single n-gram string (bigram = "w1 w2"), for tests.</summary>
    public static int BucketOf(string ngram, int buckets, DsirHash hash)
    {
        var b = Encoding.UTF8.GetBytes(ngram);
        return hash == DsirHash.Sha256 ? Sha256Bucket(b, buckets, new byte[32]) : FnvBucket(Fnv(FnvOffset, b), buckets);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal (int Tokens, int Ngrams) Run<TSink>(ReadOnlySpan<byte> s, ref TSink sink) where TSink : struct, IBucketSink
    {
        int tokens = 0, ngrams = 0;
        int curLen = 0, prevLen = 0;
        int curClass = 0; // 0 none, 1 word, 2 punct
        ulong prevFnv = 0; // un-finalised FNV state of the previous token (for bigrams)
        int i = 0;
        while (true)
        {
            int cls;
            int consumed;
            Rune r;
            if (i >= s.Length) { cls = 0; consumed = 0; r = default; }
            else
            {
                byte b = s[i];
                if (b < 0x80)
                {
                    consumed = 1;
                    cls = AsciiClass[b];
                    if (cls == 1 && (uint)(b - 'A') <= 'Z' - 'A') b = (byte)(b + 32);
                    r = new Rune(b);
                }
                else
                {
                    Rune.DecodeFromUtf8(s[i..], out r, out consumed);
                    if (consumed <= 0) consumed = 1;
                    cls = ClassOf(r);
                    if (cls == 1) r = Rune.ToLowerInvariant(r);
                }
            }

            if (cls != curClass && curClass != 0)
            {
                // emit the finished token
                tokens++;
                var cur = _cur.AsSpan(0, curLen);
                if (typeof(TSink) == typeof(TokenSink)) Unsafe.As<TSink, TokenSink>(ref sink).Emit(cur);
                if (_hash == DsirHash.Fnv1a64)
                {
                    ulong u = Fnv(FnvOffset, cur);
                    sink.Add(FnvBucket(u, _buckets)); ngrams++;
                    if (_bigrams && tokens > 1)
                    {
                        ulong v = Fnv((prevFnv ^ (byte)' ') * FnvPrime, cur);
                        sink.Add(FnvBucket(v, _buckets)); ngrams++;
                    }
                    prevFnv = u;
                }
                else
                {
                    sink.Add(Sha256Bucket(cur, _buckets, _digest)); ngrams++;
                    if (_bigrams && tokens > 1)
                    {
                        int jl = prevLen + 1 + curLen;
                        Scratch.Ensure(ref _joined, jl);
                        _prev.AsSpan(0, prevLen).CopyTo(_joined);
                        _joined[prevLen] = (byte)' ';
                        cur.CopyTo(_joined.AsSpan(prevLen + 1));
                        sink.Add(Sha256Bucket(_joined.AsSpan(0, jl), _buckets, _digest)); ngrams++;
                    }
                    if (_bigrams)
                    {
                        (_prev, _cur) = (_cur, _prev);
                        prevLen = curLen;
                    }
                }
                curLen = 0;
            }
            if (i >= s.Length) break;
            curClass = cls;
            if (cls != 0)
            {
                if (_cur.Length - curLen < 4) Array.Resize(ref _cur, _cur.Length * 2);
                if (r.Value < 0x80) _cur[curLen++] = (byte)r.Value;
                else curLen += r.EncodeToUtf8(_cur.AsSpan(curLen));
            }
            i += consumed;
        }
        return (tokens, ngrams);
    }

    // 0 = whitespace, 1 = word (\w), 2 = other (punctuation, symbols, controls)
    private static readonly byte[] AsciiClass = BuildAsciiClass();

    private static byte[] BuildAsciiClass()
    {
        var t = new byte[128];
        for (int c = 0; c < 128; c++)
        {
            bool word = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_';
            // Python str.isspace(): \t \n \v \f \r, 0x1C-0x1F, space
            bool space = c is >= 0x09 and <= 0x0D or >= 0x1C and <= 0x20;
            t[c] = (byte)(word ? 1 : space ? 0 : 2);
        }
        return t;
    }

    private static int ClassOf(Rune r)
    {
        // Python: \w = str.isalnum() or '_' (letters L*, numbers N*); \s = str.isspace().
        switch (Rune.GetUnicodeCategory(r))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
                return 1;
            default:
                return Rune.IsWhiteSpace(r) ? 0 : 2;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fnv(ulong h, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) h = (h ^ b) * FnvPrime;
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FnvBucket(ulong h, int buckets)
    {
        // murmur3 fmix64 so that all bits matter before the modulo
        h ^= h >> 33; h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return (int)(h % (ulong)buckets);
    }

    private static int Sha256Bucket(ReadOnlySpan<byte> data, int buckets, byte[] digest)
    {
        SHA256.HashData(data, digest);
        // int(hexdigest, 16) % buckets: big-endian 256-bit integer modulo
        ulong r = 0;
        foreach (byte b in digest) r = ((r << 8) | b) % (ulong)buckets;
        return (int)r;
    }

    private struct ListSink : IBucketSink
    {
        private readonly List<int> _list;
        public ListSink(List<int> list) => _list = list;
        public void Add(int bucket) => _list.Add(bucket);
    }

    private struct TokenSink : IBucketSink
    {
        private readonly List<string> _tokens;
        public TokenSink(List<string> tokens, DsirFeaturizer _) => _tokens = tokens;
        public void Add(int bucket) { }
        public void Emit(ReadOnlySpan<byte> token) => _tokens.Add(Encoding.UTF8.GetString(token));
    }
}
