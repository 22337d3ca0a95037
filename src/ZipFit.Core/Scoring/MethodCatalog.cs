using ZipFit.Core.Compression;
using ZipFit.Core.Scoring.Methods;

namespace ZipFit.Core.Scoring;

/// <summary>Prepares a method for a target set (and, for methods that compare with the pool, a background sample).</summary>
public static class MethodCatalog
{
    public const int DefaultBackgroundSize = 2000;

    public static bool NeedsBackground(ScoringMethodName name) => name != ScoringMethodName.Ncd;

    public static bool UsesCompressor(ScoringMethodName name) => name == ScoringMethodName.Ncd;

    /// <summary>
    /// Prepares <paramref name="name"/>. Methods that compare with the pool take <paramref name="background"/>,
    /// a sample of it; their identity then names the sample's fingerprint, so cached scores are never mixed.
    /// </summary>
    public static IScoringMethod Prepare(ScoringMethodName name, TargetSet target, CompressorSpec compressor, IReadOnlyList<byte[]>? background)
    {
        if (name == ScoringMethodName.Ncd)
        {
            return NcdMethod.Prepare(target, compressor);
        }
        if (background is null || background.Count == 0)
        {
            throw new ArgumentException($"The {name} method needs a background sample of the pool; the pool is empty.", nameof(background));
        }
        var examples = target.Examples;
        IScoringMethod method = name switch
        {
            ScoringMethodName.ContextXent => ContextXentMethod.Prepare(examples, background, ContextXentOptions.Default),
            ScoringMethodName.MixtureXent => MixtureXentMethod.Prepare(examples, background, MixtureXentOptions.Default),
            ScoringMethodName.MultiViewXent => MultiViewXentMethod.Prepare(examples, background, MultiViewXentOptions.Default),
            ScoringMethodName.ZstdXent => ZstdXentMethod.Prepare(examples, background, new ZstdXentOptions
            {
                TargetDict = ZstdDictKind.Trained,
                BackgroundDict = ZstdDictKind.Trained,
            }),
            ScoringMethodName.Dsir => DsirMethod.Prepare(examples, background, DsirOptions.Default),
            ScoringMethodName.DsirSmoothed => DsirMethod.Prepare(examples, background, DsirOptions.Default with
            {
                TargetLaplace = 1,
                BackgroundLaplace = 1,
                PerNgram = true,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        return new BackgroundScopedMethod(method, new TargetSet(background).Fingerprint);
    }

    /// <summary>Adds the background sample's fingerprint to a method's identity.</summary>
    private sealed class BackgroundScopedMethod(IScoringMethod inner, string backgroundFingerprint) : IBatchScoringMethod
    {
        public string Identity { get; } = $"{inner.Identity}/bg:{backgroundFingerprint[..16]}";

        public int BatchSize => ExampleScoring.DefaultBatchSize(inner);

        public IExampleScorer CreateScorer() => inner.CreateScorer();
    }
}
