using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace ZipFit.Core.Selection.Coverage;

/// <summary>Settings of <see cref="CoverageModel"/>; the defaults are the measured ones (docs/methods.md, Targets with several modes).</summary>
public sealed record CoverageOptions
{
    /// <summary>Clusters of the pool sample per clustering.</summary>
    public int Clusters { get; init; } = 50;

    /// <summary>Independent clusterings (seeds) averaged, which steadies the weights of small target modes.</summary>
    public int Runs { get; init; } = 5;

    /// <summary>How much the method's own score (standardised on the sample) counts beside the coverage weight. 0 by
    /// default: measured on a four-mode target, any weight on the score concentrated each mode's picks and trained
    /// worse at K = 1000 (docs/methods.md, Targets with several modes).</summary>
    public double ScoreWeight { get; init; } = 0;

    /// <summary>Within its mode, an example whose score is more than this many (robust) standard deviations below the
    /// pool sample's median comes after the others: the method's score works as a precision gate, and the coverage
    /// weight alone orders what passes.</summary>
    public double ScoreGate { get; init; } = -0.5;

    /// <summary>Coarse clusters of the pool sample's syntax skeletons, in which the target's modes are looked for.</summary>
    public int ModeClusters { get; init; } = 12;

    /// <summary>A coarse cluster holding at least this share of the target is one of its modes; the targets in smaller
    /// ones join the nearest mode, so near-equal modes merge and a single-mode target stays one mode.</summary>
    public double MinModeShare { get; init; } = 0.15;

    public static CoverageOptions Default { get; } = new();

    internal void Validate()
    {
        if (Clusters is < 2 or > 1000) throw new ArgumentOutOfRangeException(nameof(Clusters), Clusters, "Clusters must be 2-1000.");
        if (Runs is < 1 or > 20) throw new ArgumentOutOfRangeException(nameof(Runs), Runs, "Runs must be 1-20.");
        if (!(ScoreWeight >= 0) || double.IsInfinity(ScoreWeight)) throw new ArgumentOutOfRangeException(nameof(ScoreWeight));
        if (double.IsNaN(ScoreGate)) throw new ArgumentOutOfRangeException(nameof(ScoreGate));
        if (ModeClusters is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(ModeClusters), ModeClusters, "ModeClusters must be 1-1000.");
        if (!(MinModeShare is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(MinModeShare), MinModeShare, "MinModeShare must be in (0, 1].");
    }
}

/// <summary>How one pool example stands against the target's modes.</summary>
/// <param name="Group">Index of the target mode (group) it is matched to.</param>
/// <param name="LogWeight">ln of the importance weight of that mode at the example: the mode's share of the
/// example's pool clusters over the pool's share, averaged over the clusterings.</param>
/// <param name="Gumbel">Gumbel noise derived from the example's bytes: adding it to a log-weight and keeping the
/// top K draws K examples without replacement in proportion to their weights, the same on every machine and shard.</param>
public readonly record struct CoverageAssessment(int Group, double LogWeight, double Gumbel);

/// <summary>
/// Selection that covers the whole target. The pool sample is clustered (several seeded spherical k-means runs on
/// hashed byte-gram vectors); each target example falls in one cluster per run. An example's weight for a target
/// mode is how much more often the mode's targets fall in its cluster than the pool does, averaged over the runs:
/// the importance weight p_target(x)/p_pool(x) at the resolution of the clusters. Keeping the top K of
/// ln(weight) + β·z(score) + Gumbel(x) samples the pool in the target's proportions, mode by mode and within a
/// mode, instead of piling onto the few pool examples nearest to the given targets (measured: that starves modes
/// and generalises worse to unseen target examples than random picks from the right domain). The target's modes are
/// the user's groups or, without them, found by <see cref="FindModes"/>; Select-ZipFitTop -Balanced gives each mode
/// its share of K and keeps the best keys within it.
/// </summary>
public sealed class CoverageModel
{
    private const double WeightFloor = 1e-9;
    private const int MinModeTargets = 3;
    private readonly ByteGramFeatures _features;
    private readonly KMeansClustering[] _runsClusterings;
    private readonly int _width;
    private readonly int _clusters;
    private readonly int _runs;
    private readonly double[][] _ratio;        // [group][run * clusters + c]
    private double _median;
    private double _scale = 1;

    private CoverageModel(CoverageOptions options, ByteGramFeatures features, KMeansClustering[] clusterings, int clusters, double[][] ratio,
        IReadOnlyList<string> groups, IReadOnlyList<double> shares, IReadOnlyList<string> targetModes, string sampleFingerprint)
    {
        Options = options;
        _features = features;
        _runsClusterings = clusterings;
        _clusters = clusters;
        _runs = options.Runs;
        _width = clusters * options.Runs;
        _ratio = ratio;
        Groups = groups;
        TargetModes = targetModes;
        GroupShares = shares;
        Identity = string.Create(CultureInfo.InvariantCulture,
            $"coverage(clusters={clusters},runs={options.Runs},beta={options.ScoreWeight:R},gate={options.ScoreGate:R},groups={groups.Count},bg:{sampleFingerprint[..16]})");
    }

    public CoverageOptions Options { get; }

    public string Identity { get; }

    /// <summary>The target's modes: the user's group names, or the modes found in the target ("mode 1", "mode 2", …,
    /// largest first; "target" when it has one).</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>The mode of each target example, in the target's order (the user's groups or the modes found).</summary>
    public IReadOnlyList<string> TargetModes { get; }

    /// <summary>Each mode's share of the target set (sums to 1).</summary>
    public IReadOnlyList<double> GroupShares { get; }

    /// <summary>True once <see cref="Calibrate"/> has placed the method's scores on the sample's scale.</summary>
    public bool Calibrated { get; private set; }

    /// <param name="sample">A sample of the pool (the O(N) methods' background sample).</param>
    /// <param name="target">The target examples.</param>
    /// <param name="targetGroups">A mode name per target example, or null to find the modes (<see cref="FindModes"/>).</param>
    public static CoverageModel Prepare(IReadOnlyList<byte[]> sample, IReadOnlyList<byte[]> target, IReadOnlyList<string>? targetGroups = null,
        CoverageOptions? options = null)
    {
        options ??= CoverageOptions.Default;
        options.Validate();
        if (sample.Count == 0) throw new ArgumentException("The pool sample is empty.", nameof(sample));
        if (target.Count == 0) throw new ArgumentException("The target set is empty.", nameof(target));
        if (targetGroups is not null && targetGroups.Count != target.Count)
            throw new ArgumentException("Give one group per target example.", nameof(targetGroups));

        targetGroups ??= FindModes(sample, target, options);
        var groupNames = targetGroups.Distinct(StringComparer.Ordinal).ToList();
        var groupOf = targetGroups.Select(g => groupNames.IndexOf(g)).ToArray();
        var groupSizes = new int[groupNames.Count];
        foreach (int g in groupOf) groupSizes[g]++;

        var features = ByteGramFeatures.FitIdf(sample);
        var scratch = features.CreateScratch();
        var samplePoints = sample.Select(x => Sparse(features, x, scratch)).ToList();
        var targetPoints = target.Select(x => Sparse(features, x, scratch)).ToList();

        int clusters = Math.Min(options.Clusters, sample.Count);
        int width = clusters * options.Runs;
        var ratio = groupNames.Select(_ => new double[width]).ToArray();
        var runs = Enumerable.Range(0, options.Runs)
            .AsParallel().AsOrdered()
            .Select(run => KMeansClustering.Fit(samplePoints, clusters, seed: 7919 * (run + 1)))
            .ToArray();
        var similarity = new float[clusters + Vector<float>.Count];
        for (int run = 0; run < options.Runs; run++)
        {
            var clustering = runs[run];
            var sampleCounts = new int[clusters];
            foreach (var p in samplePoints) sampleCounts[clustering.Nearest(p.Dims, p.Values, p.Dims.Length, similarity)]++;
            var targetCounts = new int[groupNames.Count, clusters];
            for (int t = 0; t < targetPoints.Count; t++)
                targetCounts[groupOf[t], clustering.Nearest(targetPoints[t].Dims, targetPoints[t].Values, targetPoints[t].Dims.Length, similarity)]++;
            for (int c = 0; c < clusters; c++)
            {
                double poolShare = (sampleCounts[c] + 1.0) / (sample.Count + clusters);
                for (int g = 0; g < groupNames.Count; g++)
                    ratio[g][run * clusters + c] = targetCounts[g, c] / (double)groupSizes[g] / poolShare;
            }
        }
        var shares = groupSizes.Select(n => n / (double)target.Count).ToList();
        var fingerprint = new Scoring.TargetSet(sample).Fingerprint;
        return new CoverageModel(options, features, runs, clusters, ratio, groupNames, shares, targetGroups, fingerprint);
    }

    /// <summary>
    /// The target's modes, without labels: the pool sample's syntax skeletons are clustered coarsely (what kind of
    /// text: language, markup, layout), each target example falls in one cluster, and every cluster holding at least
    /// <see cref="CoverageOptions.MinModeShare"/> of the target is a mode. Targets in smaller clusters join the
    /// nearest mode. Returns a mode name per target example.
    /// </summary>
    public static IReadOnlyList<string> FindModes(IReadOnlyList<byte[]> sample, IReadOnlyList<byte[]> target, CoverageOptions? options = null)
    {
        options ??= CoverageOptions.Default;
        options.Validate();
        if (sample.Count == 0 || target.Count == 0) return target.Select(_ => "target").ToArray();
        var features = ByteGramFeatures.FitIdf(sample, GramView.Skeleton);
        var scratch = features.CreateScratch();
        var samplePoints = sample.Select(x => Sparse(features, x, scratch)).ToList();
        var targetPoints = target.Select(x => Sparse(features, x, scratch)).ToList();
        // The tightest of a few seeded clusterings: one seed alone sometimes puts two languages in one cluster.
        var coarse = Enumerable.Range(1, 5).AsParallel().AsOrdered()
            .Select(seed => KMeansClustering.Fit(samplePoints, Math.Min(options.ModeClusters, sample.Count), seed: 104729 * seed))
            .Select(c => (Clustering: c, Inertia: c.Inertia(samplePoints)))
            .ToArray()
            .MinBy(c => c.Inertia).Clustering;
        var similarity = new float[coarse.Stride + Vector<float>.Count];
        var cluster = targetPoints.Select(p => coarse.Nearest(p.Dims, p.Values, p.Dims.Length, similarity)).ToArray();
        var counts = new int[coarse.K];
        foreach (int c in cluster) counts[c]++;
        var modes = Enumerable.Range(0, coarse.K)
            .Where(c => counts[c] >= Math.Max(options.MinModeShare * target.Count, MinModeTargets))
            .OrderByDescending(c => counts[c]).ThenBy(c => c)
            .ToArray();
        if (modes.Length <= 1) return target.Select(_ => "target").ToArray();
        var names = new string[target.Count];
        for (int t = 0; t < target.Count; t++)
        {
            int c = Array.IndexOf(modes, cluster[t]) >= 0
                ? cluster[t]
                : coarse.NearestAmong(modes, targetPoints[t].Dims, targetPoints[t].Values, targetPoints[t].Dims.Length, similarity);
            names[t] = string.Create(CultureInfo.InvariantCulture, $"mode {Array.IndexOf(modes, c) + 1}");
        }
        return names;
    }

    /// <summary>Places the method's scores on the sample's scale (median and MAD of the sample's scores).</summary>
    public void Calibrate(IReadOnlyCollection<double> sampleScores)
    {
        var finite = sampleScores.Where(double.IsFinite).Order().ToArray();
        if (finite.Length == 0) return;
        _median = Median(finite);
        var deviations = finite.Select(s => Math.Abs(s - _median)).Order().ToArray();
        double mad = 1.4826 * Median(deviations);
        _scale = mad > 0 ? mad : 1;
        Calibrated = true;
    }

    /// <summary>
    /// The selection key: larger is kept first. An example the method scores below <see cref="CoverageOptions.ScoreGate"/>
    /// (or with a NaN score) is lowered by <see cref="GatePenalty"/>, so it comes after every example of its mode
    /// that passes; a mode with too few that pass still fills its share.
    /// </summary>
    public double Key(CoverageAssessment assessment, double score)
    {
        double z = double.IsFinite(score) ? (score - _median) / _scale : double.NegativeInfinity;
        double key = assessment.LogWeight + assessment.Gumbel;
        if (Options.ScoreWeight > 0) key += Options.ScoreWeight * Math.Max(z, -1e6);
        return Calibrated && !(z >= Options.ScoreGate) ? key - GatePenalty : key;
    }

    /// <summary>How far a gated example's key is lowered: far beyond any log-weight and Gumbel draw.</summary>
    public const double GatePenalty = 100;

    public CoverageAssessor CreateAssessor() => new(this);

    /// <summary>Assesses examples for one thread (its own scratch buffers).</summary>
    public sealed class CoverageAssessor
    {
        private readonly CoverageModel _model;
        private readonly ByteGramFeatures.Scratch _scratch;
        private readonly float[] _similarity;

        internal CoverageAssessor(CoverageModel model)
        {
            _model = model;
            _scratch = model._features.CreateScratch();
            _similarity = new float[model._clusters + Vector<float>.Count];
        }

        public CoverageAssessment Assess(ReadOnlySpan<byte> utf8)
        {
            var m = _model;
            int n = m._features.Featurize(utf8, _scratch);
            Span<int> nearest = stackalloc int[m._runs];
            for (int run = 0; run < m._runs; run++)
                nearest[run] = run * m._clusters + m._runsClusterings[run].Nearest(_scratch.Dims, _scratch.Values, n, _similarity);
            int bestGroup = 0;
            double bestWeight = -1, bestWeighted = -1;
            for (int g = 0; g < m._ratio.Length; g++)
            {
                double w = 0;
                foreach (int c in nearest) w += m._ratio[g][c];
                w /= m._runs;
                double weighted = w * m.GroupShares[g];
                if (weighted > bestWeighted) { bestWeighted = weighted; bestWeight = w; bestGroup = g; }
            }
            return new CoverageAssessment(bestGroup, Math.Log(Math.Max(bestWeight, WeightFloor)), Gumbel(utf8));
        }
    }

    /// <summary>Standard Gumbel noise from a 64-bit FNV-1a hash of the bytes (deterministic everywhere).</summary>
    internal static double Gumbel(ReadOnlySpan<byte> utf8)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in utf8) { h ^= b; h *= 1099511628211UL; }
        h ^= h >> 33; h *= 0xff51afd7ed558ccdUL; h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53UL; h ^= h >> 33;
        double u = ((h >> 11) + 0.5) / (1UL << 53);
        return -Math.Log(-Math.Log(u));
    }

    private static (int[] Dims, float[] Values) Sparse(ByteGramFeatures features, byte[] x, ByteGramFeatures.Scratch scratch)
    {
        int n = features.Featurize(x, scratch);
        return (scratch.Dims[..n], scratch.Values[..n]);
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
