namespace ZipFit.Core.Scoring.Methods;

public sealed record MixtureXentOptions
{
    /// <summary>Number of background components the sample is clustered into (besides the target component).</summary>
    public int Clusters { get; init; } = 15;

    /// <summary>Spherical k-means iterations on byte-bigram features (initial partition of the sample).</summary>
    public int KMeansIterations { get; init; } = 8;

    /// <summary>Hard-EM iterations with the context models themselves (reassign each sample example to the component that
    /// codes it in the fewest bits; examples that join the target component are pseudo-positives).</summary>
    public int EmIterations { get; init; } = 3;

    /// <summary>Hashed byte-bigram feature dimensions for k-means.</summary>
    public int FeatureDims { get; init; } = 4096;

    /// <summary>Seed the target component per example (sample examples with a positive cm-xent score, i.e. pseudo-relevance
    /// feedback) instead of absorbing whole k-means clusters whose majority scores positive.</summary>
    internal bool SeedPerExample { get; init; } = true;

    /// <summary>k-means features: hashed word-punct unigrams+bigrams (DSIR's tokeniser) instead of byte bigrams.</summary>
    internal bool WordFeatures { get; init; }

    /// <summary>Hard-EM reassignment scores an example against its own component with its own counts removed
    /// (leave-one-out at order 2), so that rare n-grams do not glue an example to the component it started in.</summary>
    internal bool LeaveOneOut { get; init; } = true;

    /// <summary>Each hard-EM iteration rebuilds the tables in the arrays of the previous one (the default) instead of new
    /// ones. Same tables either way; the option exists so that the tests can hold the two to each other.</summary>
    internal bool ReuseEmTables { get; init; } = true;

    /// <summary>The order-2 scorer finds trigrams through a per-context index over rows in key order (the default)
    /// instead of the hash table over rows in first-seen order. Same scores; the option lets the tests compare the two.</summary>
    internal bool ContextIndex { get; init; } = true;

    public static MixtureXentOptions Default { get; } = new();

    /// <summary>Input view: raw bytes (default) or the syntax skeleton (<see cref="SyntaxSkeleton"/>: every run of
    /// letters/digits/underscore/non-ASCII becomes one class symbol, punctuation and whitespace are kept).</summary>
    public MixtureView View { get; init; } = MixtureView.Bytes;

    /// <summary>Order of the scoring models, 2 to 4. Above 2, orders 3 and 4 are interpolated over the order-2 model of the
    /// final partition (the partition itself is always found with order 2). Costs more memory and scoring time; it pays on
    /// the small alphabet of the skeleton view.</summary>
    public int ScoreOrder { get; init; } = 2;

    /// <summary>Distinct grams an order above 2 may hold (its table is grams × row width × 4 bytes); past it the model falls
    /// back to the next lower order, which the identity then names.</summary>
    internal int MaxHigherOrderGrams { get; init; } = 4_000_000;

    internal void Validate()
    {
        if (ScoreOrder is < 2 or > 4) throw new ArgumentOutOfRangeException(nameof(ScoreOrder));
        if (Clusters is < 1 or > 63) throw new ArgumentOutOfRangeException(nameof(Clusters));
        if (KMeansIterations is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(KMeansIterations));
        if (EmIterations is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(EmIterations));
        if (FeatureDims < 16 || (FeatureDims & (FeatureDims - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(FeatureDims));
    }
}

public enum MixtureView { Bytes, Skeleton }
