using ZipFit.Core.Compression;

namespace ZipFit.Core.Scoring;

/// <summary>
/// Faithful ZIP-FIT: align(x) = mean over target y of 1 − NCD(x,y), with C the compressed
/// length of the UTF-8 bytes and x+y the plain concatenation, source first.
/// </summary>
public sealed class NcdMethod : IPairLengthMethod
{
    private readonly TargetSet _target;
    private readonly int[] _targetLengths;
    private readonly int _maxTargetBytes;

    // The targets prepared as suffixes when the compressor resumes from a shared prefix (null otherwise).
    private readonly SuffixPlan[]? _suffixPlans;

    private NcdMethod(TargetSet target, CompressorSpec compressor, int[] targetLengths, SuffixPlan[]? suffixPlans)
    {
        _target = target;
        _suffixPlans = suffixPlans;
        Compressor = compressor;
        _targetLengths = targetLengths;
        _maxTargetBytes = target.Examples.Max(e => e.Length);
        Identity = $"ncd/{compressor.Identity}";
    }

    /// <summary>
    /// Suffix plans take about 16 bytes per target byte; above this many target bytes (128 MB of plans)
    /// pairs resume from x alone, which is exact too, just slower.
    /// </summary>
    internal static long MaxPlannedTargetBytes { get; set; } = 8L << 20;

    /// <summary>Compresses each target example once; every pair then reuses those lengths.</summary>
    public static NcdMethod Prepare(TargetSet target, CompressorSpec compressor)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(compressor);
        using var c = compressor.Create();
        var lengths = target.Examples.Select(e => c.CompressedLength(e)).ToArray();
        long targetBytes = target.Examples.Sum(e => (long)e.Length);
        var plans = c is IPrefixLengthCompressor prefixed && targetBytes <= MaxPlannedTargetBytes
            ? target.Examples.Select(e => prefixed.PrepareSuffix(e)).ToArray()
            : null;
        return new NcdMethod(target, compressor, lengths, plans);
    }

    public string Identity { get; }

    public CompressorSpec Compressor { get; }

    public TargetSet Target => _target;

    public IReadOnlyList<int> TargetLengths => _targetLengths;

    public double Score(int compressedLength, ReadOnlySpan<int> pairLengths) => Ncd.Alignment(compressedLength, _targetLengths, pairLengths);

    public IExampleScorer CreateScorer() => new Scorer(this);

    public IPairLengthScorer CreatePairLengthScorer() => new Scorer(this);

    /// <summary>A thread's scorer; also exposes the raw lengths so a cache can store and reuse them.</summary>
    private sealed class Scorer : IPairLengthScorer
    {
        private readonly NcdMethod _method;
        private readonly ILengthCompressor _compressor;
        private readonly int[] _pairLengths;
        private byte[] _pair = [];

        internal Scorer(NcdMethod method)
        {
            _method = method;
            _compressor = method.Compressor.Create();
            _pairLengths = new int[method._targetLengths.Length];
        }

        public double Score(ReadOnlySpan<byte> utf8)
        {
            int cx = CompressedLength(utf8);
            _pairLengths.AsSpan().Fill(-1);
            ComputeMissingPairLengths(utf8, _pairLengths);
            return _method.Score(cx, _pairLengths);
        }

        public int CompressedLength(ReadOnlySpan<byte> utf8) => _compressor.CompressedLength(utf8);

        public int ComputeMissingPairLengths(ReadOnlySpan<byte> x, Span<int> pairLengths)
        {
            int needed = x.Length + _method._maxTargetBytes;
            if (_pair.Length < needed)
            {
                _pair = new byte[needed];
            }
            var targets = _method._target.Examples;
            var prefixed = _compressor as IPrefixLengthCompressor;
            var plans = _method._suffixPlans;
            int computed = 0;
            for (int i = 0; i < pairLengths.Length; i++)
            {
                if (pairLengths[i] >= 0)
                {
                    continue;
                }
                if (prefixed is not null)
                {
                    // Every pair of this example starts with x: process it once.
                    if (computed == 0)
                    {
                        prefixed.SetPrefix(x);
                    }
                    pairLengths[i] = plans is null ? prefixed.CompressedLengthWithSuffix(targets[i]) : prefixed.CompressedLengthWithSuffix(plans[i]);
                }
                else
                {
                    pairLengths[i] = _compressor.CompressedLength(x, targets[i], _pair);
                }
                computed++;
            }
            return computed;
        }

        public void Dispose() => _compressor.Dispose();
    }
}
