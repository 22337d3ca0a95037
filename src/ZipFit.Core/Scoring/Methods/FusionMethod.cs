using System.Globalization;

namespace ZipFit.Core.Scoring.Methods;

/// <summary>
/// Score fusion of several prepared methods: each member score is standardised with its median and median absolute
/// deviation over the background sample (computed once at preparation), and the fused score is the weighted sum.
/// An example excluded by any member (−∞) is excluded. Deterministic, no allocation per example beyond the members'.
/// </summary>
internal sealed class FusionMethod : IBatchScoringMethod, IDisposable
{
    private readonly IScoringMethod[] _members;
    private readonly double[] _weights, _center, _scale;

    private FusionMethod(IScoringMethod[] members, double[] w, double[] center, double[] scale)
    {
        _members = members; _weights = w; _center = center; _scale = scale;
        Identity = "fusion(standardise=sample-median-mad," + string.Join(",", members.Select((m, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{w[i]:R}*{m.Identity}"))) + ")";
    }

    public string Identity { get; }

    /// <summary>
    /// Examples a scorer takes at once. Each member's tables (megabytes for the context models) are evicted by the
    /// others' when members alternate example by example; one member over a batch, then the next, keeps more of them
    /// cached. Larger batches helped more alone but hold more records in flight, which the collector then promotes:
    /// at 1,024 the whole path was slower. Measured in docs/scale.md.
    /// </summary>
    public int BatchSize => 256;

    public static FusionMethod Prepare(IReadOnlyList<byte[]> sample, IReadOnlyList<(IScoringMethod Method, double Weight)> members)
    {
        if (members.Count == 0) throw new ArgumentException("no members", nameof(members));
        if (sample.Count == 0) throw new ArgumentException("empty sample", nameof(sample));
        var ms = members.Select(m => m.Method).ToArray();
        var w = members.Select(m => m.Weight).ToArray();
        var center = new double[ms.Length];
        var scale = new double[ms.Length];
        for (int j = 0; j < ms.Length; j++)
        {
            using var sc = ms[j].CreateScorer();
            var s = sample.Select(x => sc.Score(x)).Where(double.IsFinite).ToArray();
            if (s.Length == 0) { center[j] = 0; scale[j] = 1; continue; }
            Array.Sort(s);
            double med = Median(s);
            var dev = s.Select(v => Math.Abs(v - med)).ToArray();
            Array.Sort(dev);
            double mad = Median(dev);
            center[j] = med;
            scale[j] = mad > 0 ? mad : 1;
        }
        return new FusionMethod(ms, w, center, scale);
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);

    public IExampleScorer CreateScorer() => new Scorer(this);

    /// <summary>Member <paramref name="j"/>'s weighted, standardised share of the fused score.</summary>
    private double Term(int j, double score) => _weights[j] * (score - _center[j]) / _scale[j];

    public void Dispose()
    {
        foreach (var m in _members) (m as IDisposable)?.Dispose();
    }

    private sealed class Scorer : IBatchExampleScorer
    {
        private readonly FusionMethod _f;
        private readonly IExampleScorer[] _s;
        public Scorer(FusionMethod f) { _f = f; _s = f._members.Select(m => m.CreateScorer()).ToArray(); }

        /// <summary>Member by member over the batch; per example the terms are added in the order <see cref="Score"/>
        /// adds them, so the sums are the same bits. An example a member excludes is excluded (the members after it
        /// still score it, unlike in <see cref="Score"/>, which does not change its result).</summary>
        public void ScoreBatch(ReadOnlySpan<ReadOnlyMemory<byte>> examples, Span<double> scores)
        {
            scores.Clear();
            for (int j = 0; j < _s.Length; j++)
            {
                var member = _s[j];
                for (int i = 0; i < examples.Length; i++)
                {
                    double v = member.Score(examples[i].Span);
                    // once excluded (−∞), an example stays so: −∞ plus a finite term is −∞
                    scores[i] = double.IsFinite(v) ? scores[i] + _f.Term(j, v) : ScoreConstants.Excluded;
                }
            }
        }

        public double Score(ReadOnlySpan<byte> x)
        {
            double t = 0;
            for (int j = 0; j < _s.Length; j++)
            {
                double v = _s[j].Score(x);
                if (!double.IsFinite(v)) return ScoreConstants.Excluded;
                t += _f.Term(j, v);
            }
            return t;
        }

        public void Dispose() { foreach (var s in _s) s.Dispose(); }
    }
}
