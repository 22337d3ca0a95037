using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;

namespace ZipFit.Core.Tests.Methods;

public class CatalogTests
{
    [Theory]
    [InlineData(ScoringMethodName.ContextXent)]
    [InlineData(ScoringMethodName.MixtureXent)]
    [InlineData(ScoringMethodName.MultiViewXent)]
    [InlineData(ScoringMethodName.ZstdXent)]
    [InlineData(ScoringMethodName.Dsir)]
    [InlineData(ScoringMethodName.DsirSmoothed)]
    public void BackgroundMethodsNameTheirSampleAndRankPythonFirst(ScoringMethodName name)
    {
        var target = new TargetSet(Fixture.Target);
        var background = Fixture.Pool.Select(p => p.Bytes).Take(100).ToList();
        var method = MethodCatalog.Prepare(name, target, CompressorSpec.Default, background);
        var other = MethodCatalog.Prepare(name, target, CompressorSpec.Default, background.Skip(1).ToList());
        Assert.NotEqual(method.Identity, other.Identity);
        Assert.Contains("/bg:", method.Identity);
        var scores = Fixture.ScoreAll(method, Fixture.Pool, 2);
        Assert.True(Fixture.PrecisionAt(scores, Fixture.Pool, "python", 10) >= 0.8);
    }

    [Fact]
    public void BackgroundMethodsRefuseAnEmptySample() =>
        Assert.Throws<ArgumentException>(() =>
            MethodCatalog.Prepare(ScoringMethodName.Dsir, new TargetSet(Fixture.Target), CompressorSpec.Default, []));

    [Fact]
    public void NcdNeedsNoBackground()
    {
        Assert.False(MethodCatalog.NeedsBackground(ScoringMethodName.Ncd));
        var method = MethodCatalog.Prepare(ScoringMethodName.Ncd, new TargetSet(Fixture.Target.Take(3)), CompressorSpec.Default, null);
        Assert.StartsWith("ncd/gzip-9/", method.Identity);
    }
}
