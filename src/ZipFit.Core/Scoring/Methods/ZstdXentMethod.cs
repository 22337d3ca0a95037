using System.Globalization;

namespace ZipFit.Core.Scoring.Methods;

/// <summary>What the target-dictionary compressed size is compared with.</summary>
public enum ZstdXentBaseline
{
    /// <summary>Same compressor with a dictionary built the same way from the background sample (compression analogue of DSIR's p_target/p_pool).</summary>
    Background = 0,

    /// <summary>Same compressor with no dictionary ("how much does the target help").</summary>
    NoDictionary = 1,
}

/// <summary>How the two compressed sizes are combined.</summary>
public enum ZstdXentNormalization
{
    /// <summary>(C_base(x) − C_target(x)) / |x|: bytes saved per input byte.</summary>
    PerByte = 0,

    /// <summary>ln(C_base(x) / C_target(x)).</summary>
    LogRatio = 1,

    /// <summary>C_base(x) − C_target(x): total bytes saved (favours long examples, like DSIR's summed log-weight).</summary>
    Difference = 2,
}

public sealed record ZstdXentOptions
{
    /// <summary>zstd level used to compile both dictionaries.</summary>
    public int Level { get; init; } = 3;

    /// <summary>Maximum size of each dictionary (target and background are built to the same budget).</summary>
    public int DictBytes { get; init; } = 112 * 1024;

    /// <summary>Size budget of the background dictionary; 0 = same as <see cref="DictBytes"/>.</summary>
    public int BackgroundDictBytes { get; init; }

    internal int EffectiveBackgroundDictBytes => BackgroundDictBytes > 0 ? BackgroundDictBytes : DictBytes;

    public ZstdDictKind TargetDict { get; init; } = ZstdDictKind.Raw;
    public ZstdDictKind BackgroundDict { get; init; } = ZstdDictKind.Raw;
    public ZstdXentBaseline Baseline { get; init; } = ZstdXentBaseline.Background;
    public ZstdXentNormalization Normalization { get; init; } = ZstdXentNormalization.PerByte;

    /// <summary>Whitespace folding applied to target, background and scored examples.</summary>
    internal WhitespaceFolding Folding { get; init; } = WhitespaceFolding.None;

    public static ZstdXentOptions Default { get; } = new();

    internal void Validate()
    {
        if (Level is < -7 or > 22) throw new ArgumentOutOfRangeException(nameof(Level));
        if (DictBytes is < 1024 or > 64 * 1024 * 1024) throw new ArgumentOutOfRangeException(nameof(DictBytes));
    }

    internal static string KindName(ZstdDictKind k) => k switch
    {
        ZstdDictKind.Raw => "raw",
        ZstdDictKind.Trained => "trained",
        ZstdDictKind.RawWithEntropy => "raw+ent",
        _ => k.ToString(),
    };
}

/// <summary>
/// Compression cross-entropy difference: the example is compressed once with a zstd dictionary made from the
/// target set and once with one made (the same way, same size) from a background sample of the pool;
/// score = (C_bg(x) − C_target(x)) / |x| by default — bytes saved per input byte, a compression analogue of
/// DSIR's log p_target(x) − log p_pool(x), normalised by length so that neither short nor long texts are favoured
/// by construction. O(|x|) per example after one preparation; both dictionaries are compiled once and shared
/// read-only by all threads.
/// </summary>
public sealed class ZstdXentMethod : IScoringMethod, IDisposable
{
    private readonly ZstdDictionary _target;
    private readonly ZstdDictionary? _background;

    private ZstdXentMethod(ZstdXentOptions options, ZstdDictionary target, ZstdDictionary? background, int targetCount, int backgroundCount)
    {
        Options = options;
        _target = target;
        _background = background;
        string bg = options.Baseline == ZstdXentBaseline.Background
            ? $"{ZstdXentOptions.KindName(options.BackgroundDict)}-{options.EffectiveBackgroundDictBytes / 1024}k,bg={backgroundCount}"
            : "none";
        string norm = options.Normalization switch
        {
            ZstdXentNormalization.PerByte => "per-byte",
            ZstdXentNormalization.LogRatio => "log-ratio",
            _ => "diff",
        };
        Identity = string.Create(CultureInfo.InvariantCulture,
            $"zstd-xent(level={options.Level},dict={ZstdXentOptions.KindName(options.TargetDict)}-{options.DictBytes / 1024}k,bgdict={bg},norm={norm},ws={WhitespaceFolder.Name(options.Folding)})");
        TargetDictBytes = target.SizeBytes;
        BackgroundDictBytes = background?.SizeBytes ?? 0;
        TargetCount = targetCount;
    }

    public ZstdXentOptions Options { get; }
    public string Identity { get; }
    public int TargetDictBytes { get; }
    public int BackgroundDictBytes { get; }
    public int TargetCount { get; }

    /// <param name="target">The target examples (UTF-8).</param>
    /// <param name="background">A deterministic sample of the pool (e.g. its first 2,000 examples). Ignored with <see cref="ZstdXentBaseline.NoDictionary"/>.</param>
    public static ZstdXentMethod Prepare(IReadOnlyList<byte[]> target, IReadOnlyList<byte[]> background, ZstdXentOptions? options = null)
    {
        options ??= ZstdXentOptions.Default;
        options.Validate();
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(background);
        if (target.Count == 0) throw new ArgumentException("empty target set", nameof(target));

        target = WhitespaceFolder.FoldAll(target, options.Folding);
        background = WhitespaceFolder.FoldAll(background, options.Folding);
        var tBytes = BuildDictionary(target, options.DictBytes, options.TargetDict, options.Level, "target");
        var tDict = ZstdDictionary.Compile(tBytes, options.Level, options.TargetDict);
        ZstdDictionary? bDict = null;
        if (options.Baseline == ZstdXentBaseline.Background)
        {
            if (background.Count == 0) throw new ArgumentException("empty background set", nameof(background));
            var bBytes = BuildDictionary(background, options.EffectiveBackgroundDictBytes, options.BackgroundDict, options.Level, "background");
            bDict = ZstdDictionary.Compile(bBytes, options.Level, options.BackgroundDict);
        }
        return new ZstdXentMethod(options, tDict, bDict, target.Count, background.Count);
    }

    /// <summary>
    /// zstd trains a dictionary (ZDICT fastCover) on three quarters of the examples and needs at least five of them there,
    /// so fewer than this many non-empty examples cannot train one.
    /// </summary>
    public const int FewestExamplesToTrain = 7;

    private static byte[] BuildDictionary(IReadOnlyList<byte[]> examples, int maxBytes, ZstdDictKind kind, int level, string set)
    {
        if (kind != ZstdDictKind.Trained)
        {
            return ZstdDictionary.Build(examples, maxBytes, kind, level);
        }
        int usable = examples.Count(e => e.Length > 0);
        string Message(string why) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"ZstdXent trains a zstd dictionary from the {set} examples, and {usable} non-empty {(usable == 1 ? "example is" : "examples are")} too few {why}. Give at least {FewestExamplesToTrain} {set} examples, or use another method (MultiViewXent, Dsir, Ncd).");
        if (usable < FewestExamplesToTrain)
        {
            throw new TooFewExamplesException(Message("(zstd needs at least 7)"), set);
        }
        try
        {
            return ZstdDictionary.Build(examples, maxBytes, kind, level);
        }
        catch (ZstdSharp.ZstdException ex)
        {
            throw new TooFewExamplesException(Message($"for zstd to train on ({ex.Message})"), set, ex);
        }
    }

    public IExampleScorer CreateScorer() => new Scorer(this);

    /// <summary>Frees the native dictionaries once every scorer created from this method is disposed.</summary>
    public void Dispose()
    {
        _target.Dispose();
        _background?.Dispose();
    }

    private sealed class Scorer : IExampleScorer
    {
        private readonly ZstdXentMethod _m;
        private readonly ZstdDictCompressor _c = new();
        private byte[] _buf = new byte[16 * 1024];

        public Scorer(ZstdXentMethod m)
        {
            _m = m;
            _c.Retain(m._target);
            if (m._background != null) _c.Retain(m._background);
        }

        public double Score(ReadOnlySpan<byte> input)
        {
            ReadOnlySpan<byte> utf8 = WhitespaceFolder.FoldInto(input, _m.Options.Folding, ref _buf);
            if (utf8.Length == 0) return ScoreConstants.Excluded;
            double ct = _c.CompressedSize(utf8, _m._target);
            double cb = _m._background != null ? _c.CompressedSize(utf8, _m._background) : _c.CompressedSize(utf8, _m.Options.Level);
            return _m.Options.Normalization switch
            {
                ZstdXentNormalization.PerByte => (cb - ct) / utf8.Length,
                ZstdXentNormalization.LogRatio => Math.Log(cb / ct),
                _ => cb - ct,
            };
        }

        public void Dispose() => _c.Dispose();
    }
}
