// One list of method names, compiled into both assemblies: as ZipFit.Core.Scoring.ScoringMethodName for the
// engine, and (linked by ZipFit.PowerShell.csproj) as ZipFit.ScoringMethodName for -Method, because no field of a
// cmdlet may hold a ZipFit.Core enum (PowerShell reflects the cmdlet assembly before ZipFit.Core can load).
#if ZIPFIT_POWERSHELL
namespace ZipFit;
#else
namespace ZipFit.Core.Scoring;
#endif

/// <summary>The scoring methods (Get-ZipFitScore and Measure-ZipFitAlignment <c>-Method</c>; see about_ZipFit).</summary>
public enum ScoringMethodName
{
    /// <summary>Faithful ZIP-FIT: mean 1 − NCD over the target set (pairwise, exact).</summary>
    Ncd,
    /// <summary>Context-model cross-entropy: per-byte code length saved by a target-primed model over a pool-primed one. O(N).</summary>
    ContextXent,
    /// <summary>Context-model cross-entropy against the best of several unsupervised clusters of the pool sample. O(N).</summary>
    MixtureXent,
    /// <summary>
    /// MixtureXent on three views fused: the bytes, a syntax skeleton (word runs collapsed to one symbol, so layout and
    /// punctuation decide) and DSIR's smoothed word n-grams, each standardised on the pool sample. O(N).
    /// </summary>
    MultiViewXent,
    /// <summary>zstd cross-entropy: per-byte saving of compressing with a target dictionary over a pool dictionary. O(N).</summary>
    ZstdXent,
    /// <summary>DSIR hashed n-gram importance weights, as published (no minimum length). O(N).</summary>
    Dsir,
    /// <summary>DSIR with add-one smoothing and a per-n-gram mean, which removes the long-example bias. O(N).</summary>
    DsirSmoothed,
}
