using System.Reflection;

namespace ZipFit.Core.Tests;

/// <summary>
/// ZipFit.Core's public surface is what the cmdlets and users need; research switches and test hooks are internal
/// (visible to these tests and to zipfit-bench). A new public type must be added here on purpose.
/// </summary>
public class PublicApiTests
{
    private static readonly string[] Allowed =
    [
        "ZipFit.Core.Cache.CacheFailures",
        "ZipFit.Core.Cache.CacheInfo",
        "ZipFit.Core.Cache.CacheLocation",
        "ZipFit.Core.Cache.CacheVersionException",
        "ZipFit.Core.Cache.CachedScoring",
        "ZipFit.Core.Cache.CachedScoringPipeline`1",
        "ZipFit.Core.Cache.ContentKey",
        "ZipFit.Core.Cache.ContentKeyHash",
        "ZipFit.Core.Cache.NotACacheException",
        "ZipFit.Core.Cache.ScoreCache",
        "ZipFit.Core.Cache.ScoreCache+Entry",
        "ZipFit.Core.Compression.BrotliLengthCompressor",
        "ZipFit.Core.Compression.CompressorKind",
        "ZipFit.Core.Compression.CompressorSpec",
        "ZipFit.Core.Compression.Deflate.DeflateLengthCalculator",
        "ZipFit.Core.Compression.Deflate.DeflateSuffixPlan",
        "ZipFit.Core.Compression.GzipEngine",
        "ZipFit.Core.Compression.GzipLengthCompressor",
        "ZipFit.Core.Compression.ILengthCompressor",
        "ZipFit.Core.Compression.IPrefixLengthCompressor",
        "ZipFit.Core.Compression.Lz4LengthCompressor",
        "ZipFit.Core.Compression.SuffixPlan",
        "ZipFit.Core.Compression.ZstdLengthCompressor",
        "ZipFit.Core.Data.DatasetCompression",
        "ZipFit.Core.Data.DatasetError",
        "ZipFit.Core.Data.DatasetErrorIds",
        "ZipFit.Core.Data.DatasetFileKind",
        "ZipFit.Core.Data.DatasetFormat",
        "ZipFit.Core.Data.DatasetItem",
        "ZipFit.Core.Data.DatasetReadOptions",
        "ZipFit.Core.Data.DatasetReader",
        "ZipFit.Core.Data.DatasetRecord",
        "ZipFit.Core.Data.DatasetWriter",
        "ZipFit.Core.Data.JsonRecord",
        "ZipFit.Core.Data.ParquetDatasetReader",
        "ZipFit.Core.Data.ReadProgress",
        "ZipFit.Core.Data.Shard",
        "ZipFit.Core.Data.ScoreField",
        "ZipFit.Core.Measures.WittenBellByteModel",
        "ZipFit.Core.Reporting.HtmlReport",
        "ZipFit.Core.Reporting.ReportBuilder",
        "ZipFit.Core.Reporting.ShownExample",
        "ZipFit.Core.Scoring.CompensatedSum",
        "ZipFit.Core.Scoring.ContentHash",
        "ZipFit.Core.Scoring.ExampleScoring",
        "ZipFit.Core.Scoring.IExampleScorer",
        "ZipFit.Core.Scoring.IMapWorker`2",
        "ZipFit.Core.Scoring.IPairLengthMethod",
        "ZipFit.Core.Scoring.IPairLengthScorer",
        "ZipFit.Core.Scoring.IScoringMethod",
        "ZipFit.Core.Scoring.IScoringPipeline`1",
        "ZipFit.Core.Scoring.MethodCatalog",
        "ZipFit.Core.Scoring.Methods.ContextXentMethod",
        "ZipFit.Core.Scoring.Methods.ContextXentOptions",
        "ZipFit.Core.Scoring.Methods.DsirFeaturizer",
        "ZipFit.Core.Scoring.Methods.DsirHash",
        "ZipFit.Core.Scoring.Methods.DsirMethod",
        "ZipFit.Core.Scoring.Methods.DsirOptions",
        "ZipFit.Core.Scoring.Methods.MixtureView",
        "ZipFit.Core.Scoring.Methods.MixtureXentMethod",
        "ZipFit.Core.Scoring.Methods.MixtureXentOptions",
        "ZipFit.Core.Scoring.Methods.MultiViewXentMethod",
        "ZipFit.Core.Scoring.Methods.MultiViewXentOptions",
        "ZipFit.Core.Scoring.Methods.ScoreConstants",
        "ZipFit.Core.Scoring.Methods.SyntaxSkeleton",
        "ZipFit.Core.Scoring.Methods.ZstdDictCompressor",
        "ZipFit.Core.Scoring.Methods.ZstdDictKind",
        "ZipFit.Core.Scoring.Methods.ZstdDictionary",
        "ZipFit.Core.Scoring.Methods.ZstdXentBaseline",
        "ZipFit.Core.Scoring.Methods.ZstdXentMethod",
        "ZipFit.Core.Scoring.Methods.ZstdXentNormalization",
        "ZipFit.Core.Scoring.Methods.ZstdXentOptions",
        "ZipFit.Core.Scoring.Ncd",
        "ZipFit.Core.Scoring.NcdMethod",
        "ZipFit.Core.Scoring.OrderedParallelMap`2",
        "ZipFit.Core.Scoring.ParallelScoringPipeline`1",
        "ZipFit.Core.Scoring.ScoringInput`1",
        "ZipFit.Core.Scoring.ScoringMethodName",
        "ZipFit.Core.Scoring.ScoringSessionOptions",
        "ZipFit.Core.Scoring.ScoringSession`1",
        "ZipFit.Core.Scoring.ScoringStats",
        "ZipFit.Core.Scoring.SessionResult`1",
        "ZipFit.Core.Scoring.TargetSet",
        "ZipFit.Core.Scoring.TooFewExamplesException",
        "ZipFit.Core.Selection.BalancedSelector`1",
        "ZipFit.Core.Selection.Coverage.CoverageAssessment",
        "ZipFit.Core.Selection.Coverage.CoverageModel",
        "ZipFit.Core.Selection.Coverage.CoverageModel+CoverageAssessor",
        "ZipFit.Core.Selection.Coverage.CoverageOptions",
        "ZipFit.Core.Selection.QuotaAllocation",
        "ZipFit.Core.Selection.TopSelector`1",
    ];

    [Fact]
    public void PublicTypesMatchTheAllowList()
    {
        var exported = typeof(ZipFit.Core.Scoring.IScoringMethod).Assembly.GetExportedTypes()
            .Select(t => t.FullName!).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        var unexpected = exported.Except(Allowed).ToArray();
        var missing = Allowed.Except(exported).ToArray();
        Assert.True(unexpected.Length == 0 && missing.Length == 0,
            $"public types not in the allow-list: [{string.Join(", ", unexpected)}]; listed but not public: [{string.Join(", ", missing)}]");
    }

    [Theory]
    [InlineData("ZipFit.Core.Scoring.Methods.WhitespaceFolding")]
    [InlineData("ZipFit.Core.Scoring.Methods.FusionMethod")]
    [InlineData("ZipFit.Core.Scoring.WorkerThreads")]
    public void ResearchAndTestTypesAreInternal(string name)
    {
        var type = typeof(ZipFit.Core.Scoring.IScoringMethod).Assembly.GetType(name, throwOnError: true)!;
        Assert.False(type.IsPublic);
    }

    [Theory]
    [InlineData(typeof(ZipFit.Core.Scoring.Methods.MixtureXentOptions), "SeedPerExample")]
    [InlineData(typeof(ZipFit.Core.Scoring.Methods.MixtureXentOptions), "WordFeatures")]
    [InlineData(typeof(ZipFit.Core.Scoring.Methods.MixtureXentOptions), "LeaveOneOut")]
    [InlineData(typeof(ZipFit.Core.Scoring.Methods.MultiViewXentOptions), "SharedPartition")]
    [InlineData(typeof(ZipFit.Core.Scoring.Methods.MultiViewXentOptions), "SkeletonEm")]
    [InlineData(typeof(ZipFit.Core.Scoring.Methods.ContextXentOptions), "Folding")]
    [InlineData(typeof(ZipFit.Core.Scoring.Methods.ZstdXentOptions), "Folding")]
    [InlineData(typeof(ZipFit.Core.Scoring.Methods.MixtureXentMethod), "Assignment")]
    public void ResearchMembersAreNotPublic(Type type, string member)
    {
        Assert.NotEmpty(type.GetMember(member, BindingFlags.Instance | BindingFlags.Static | BindingFlags.NonPublic));
        Assert.Empty(type.GetMember(member, BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public));
    }
}
