namespace ZipFit;

/// <summary>
/// The scoring methods of <c>Get-ZipFitScore -Method</c> (see about_ZipFit). The cmdlet layer's own copy of
/// the engine's list: a type of the cmdlet assembly that loads without ZipFit.Core, which PowerShell
/// reflects before the module's private load context is in place.
/// </summary>
public enum ScoringMethodName
{
    /// <summary>Faithful ZIP-FIT: mean 1 − NCD over the target set (pairwise, exact).</summary>
    Ncd,
    /// <summary>Context-model cross-entropy, target vs pool sample. O(N).</summary>
    ContextXent,
    /// <summary>Context-model cross-entropy against the best of several unsupervised clusters of the pool sample. O(N).</summary>
    MixtureXent,
    /// <summary>MixtureXent on bytes and a syntax skeleton plus DSIR's smoothed words, standardised and added. O(N).</summary>
    MultiViewXent,
    /// <summary>zstd cross-entropy: target dictionary vs pool dictionary. O(N).</summary>
    ZstdXent,
    /// <summary>DSIR hashed n-gram importance weights, as published. O(N).</summary>
    Dsir,
    /// <summary>DSIR with add-one smoothing and a per-n-gram mean. O(N).</summary>
    DsirSmoothed,
}

internal static class ScoringMethodNames
{
    /// <summary>The engine's method of the same name.</summary>
    public static Core.Scoring.ScoringMethodName ToCore(this ScoringMethodName method) =>
        Enum.Parse<Core.Scoring.ScoringMethodName>(method.ToString());
}
