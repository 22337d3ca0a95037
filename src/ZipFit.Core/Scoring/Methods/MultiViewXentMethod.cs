using System.Globalization;

namespace ZipFit.Core.Scoring.Methods;

public sealed record MultiViewXentOptions
{
    /// <summary>The byte-view cm-mix (its k-means/EM partition of the sample is reused by the skeleton view).</summary>
    public MixtureXentOptions Mix { get; init; } = MixtureXentOptions.Default;

    /// <summary>Weight of the syntax-skeleton view (cm-mix on <see cref="SyntaxSkeleton"/> text); 0 = off.</summary>
    public double SkeletonWeight { get; init; } = 1.0;

    /// <summary>The skeleton view reuses the byte view's final partition of the sample (cheaper) instead of clustering
    /// the skeletons itself (own k-means + EM; default, measured slightly better).</summary>
    internal bool SharedPartition { get; init; }

    /// <summary>Order of the skeleton view's scoring models (<see cref="MixtureXentOptions.ScoreOrder"/>): its alphabet is
    /// small enough for order 4 to be cheap, and order 4 raised R-precision in eight of the nine domains of the
    /// generalisation benchmark (equal in the ninth) at the same python precision.</summary>
    public int SkeletonScoreOrder { get; init; } = 4;

    /// <summary>Hard-EM iterations of the skeleton view started from the shared partition.</summary>
    internal int SkeletonEm { get; init; }

    /// <summary>Weight of the word view (DSIR, add-one both sides, per-n-gram mean); 0 = off.</summary>
    public double WordWeight { get; init; } = 0.15;

    public static MultiViewXentOptions Default { get; } = new();

    internal void Validate()
    {
        Mix.Validate();
        if (!(SkeletonWeight >= 0) || !(WordWeight >= 0) || double.IsInfinity(SkeletonWeight) || double.IsInfinity(WordWeight))
            throw new ArgumentOutOfRangeException(nameof(SkeletonWeight));
        if (SkeletonEm is < 0 or > 10) throw new ArgumentOutOfRangeException(nameof(SkeletonEm));
        if (SkeletonScoreOrder is < 2 or > 4) throw new ArgumentOutOfRangeException(nameof(SkeletonScoreOrder));
    }
}

/// <summary>
/// "cm-mix-mv": cm-mix evidence from more than one view of the same example, fused after robust standardisation
/// (median / MAD of each view's score over the background sample):
/// the byte view (cm-mix as is), the syntax-skeleton view (the same target-vs-best-component code-length test on text
/// whose word runs are collapsed to one class symbol, so that punctuation, comment markers, brackets and layout
/// decide), and optionally DSIR's word view. Views are label-free and language-independent. Deterministic; the scorer
/// reuses its buffers (no allocation per example once warmed up).
/// </summary>
/// <remarks>
/// One method, one name: users pick it as <c>-Method MultiViewXent</c> (<see cref="ScoringMethodName.MultiViewXent"/>) and
/// this class carries that name. Its identity keeps the prefix "cm-mix-mv" on purpose: identities are cache keys (a
/// renamed identity would orphan every cached score) and appear in outputs and tests.
/// </remarks>
public sealed class MultiViewXentMethod : IBatchScoringMethod, IDisposable
{
    private readonly FusionMethod _fusion;

    private MultiViewXentMethod(MultiViewXentOptions o, FusionMethod f, MixtureXentMethod bytes)
    {
        Options = o;
        _fusion = f;
        ByteView = bytes;
        Identity = string.Create(CultureInfo.InvariantCulture,
            $"cm-mix-mv(skelW={o.SkeletonWeight:R},skelPartition={(o.SharedPartition ? "shared" : "own")},skelEm={o.SkeletonEm},wordW={o.WordWeight:R},{f.Identity})");
    }

    public MultiViewXentOptions Options { get; }
    public string Identity { get; }
    /// <summary>The byte-view cm-mix (diagnostics).</summary>
    public MixtureXentMethod ByteView { get; }

    public static MultiViewXentMethod Prepare(IReadOnlyList<byte[]> target, IReadOnlyList<byte[]> sample, MultiViewXentOptions? options = null)
    {
        options ??= MultiViewXentOptions.Default;
        options.Validate();
        var skelOpts = options.Mix with { View = MixtureView.Skeleton, ScoreOrder = options.SkeletonScoreOrder };
        // The views are independent unless they share a partition: prepare the skeleton view on another thread meanwhile.
        var ownSkeleton = options.SkeletonWeight > 0 && !options.SharedPartition
            ? Task.Run(() => MixtureXentMethod.Prepare(target, sample, skelOpts))
            : null;
        var bytes = MixtureXentMethod.Prepare(target, sample, options.Mix);
        var members = new List<(IScoringMethod, double)> { (bytes, 1.0) };
        if (options.SkeletonWeight > 0)
        {
            MixtureXentMethod skel;
            if (ownSkeleton is not null) skel = ownSkeleton.GetAwaiter().GetResult();
            else
            {
                var st = target.Select(SyntaxSkeleton.Map).ToArray();
                var sb = sample.Select(SyntaxSkeleton.Map).ToArray();
                skel = MixtureXentMethod.FromAssignment(st, sb, skelOpts with { EmIterations = options.SkeletonEm }, bytes.Assignment(), options.Mix.Clusters + 1);
            }
            members.Add((skel, options.SkeletonWeight));
        }
        if (options.WordWeight > 0)
            members.Add((DsirMethod.Prepare(target, sample, new DsirOptions { TargetLaplace = 1, BackgroundLaplace = 1, PerNgram = true }), options.WordWeight));
        return new MultiViewXentMethod(options, FusionMethod.Prepare(sample, members), bytes);
    }

    public IExampleScorer CreateScorer() => _fusion.CreateScorer();

    int IBatchScoringMethod.BatchSize => _fusion.BatchSize;

    public void Dispose() => _fusion.Dispose();
}
