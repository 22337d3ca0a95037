using System.Text;
using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;

namespace ZipFit.Core.Tests;

public class ScoringSessionTests
{
    private static readonly List<byte[]> Pool = Fixtures.Read(Fixtures.SourcePath).Select(s => Encoding.UTF8.GetBytes(s.Text)).ToList();
    private static readonly TargetSet Target = new(Fixtures.TargetBytes().Take(10));

    private static (List<(double Score, int Tag)> Results, int Background, IScoringMethod? Method) Run(
        ScoringMethodName name, int backgroundSize, int count, int first = 0, IReadOnlyList<byte[]>? given = null)
    {
        int background = -1;
        using var session = new ScoringSession<int>(new ScoringSessionOptions(name, Target, CompressorSpec.Default, 2)
        {
            BackgroundSize = backgroundSize,
            Background = given,
            Prepared = (_, n) => background = n,
        });
        var results = new List<(double, int)>();
        for (int i = first; i < first + count; i++)
        {
            session.Add(Pool[i], i);
            while (session.TryTake(out double s, out int tag))
            {
                results.Add((s, tag));
            }
        }
        results.AddRange(session.Complete());
        return (results, background, session.Method);
    }

    [Fact]
    public void BackgroundMethodsHoldBackTheSampleAndStillScoreEverythingInOrder()
    {
        var (results, background, method) = Run(ScoringMethodName.ContextXent, backgroundSize: 25, count: 60);
        Assert.Equal(25, background);
        Assert.Equal(Enumerable.Range(0, 60), results.Select(r => r.Tag));
        var expected = MethodCatalog.Prepare(ScoringMethodName.ContextXent, Target, CompressorSpec.Default, Pool.Take(25).ToList());
        Assert.Equal(expected.Identity, method!.Identity);
        using var scorer = expected.CreateScorer();
        Assert.All(results, r => Assert.Equal(scorer.Score(Pool[r.Tag]), r.Score));
    }

    [Fact]
    public void AStreamShorterThanTheSampleUsesAllOfIt()
    {
        var (results, background, _) = Run(ScoringMethodName.DsirSmoothed, backgroundSize: 2000, count: 30);
        Assert.Equal(30, background);
        Assert.Equal(30, results.Count);
    }

    [Fact]
    public void NcdStartsAtOnceWithoutASample()
    {
        var (results, background, method) = Run(ScoringMethodName.Ncd, backgroundSize: 2000, count: 5);
        Assert.Equal(0, background);
        Assert.StartsWith("ncd/", method!.Identity);
        Assert.Equal(5, results.Count);
    }

    [Fact]
    public void AnEmptyStreamGivesNothing()
    {
        var (results, background, method) = Run(ScoringMethodName.ContextXent, backgroundSize: 10, count: 0);
        Assert.Empty(results);
        Assert.Equal(-1, background);
        Assert.Null(method);
    }

    [Fact]
    public void AGivenSampleIsUsedAtOnceAndNothingIsHeldBack()
    {
        var sample = Pool.Take(20).ToList();
        var (results, background, method) = Run(ScoringMethodName.MixtureXent, backgroundSize: 2000, count: 30, first: 30, given: sample);
        Assert.Equal(20, background);
        Assert.Equal(Enumerable.Range(30, 30), results.Select(r => r.Tag));
        var expected = MethodCatalog.Prepare(ScoringMethodName.MixtureXent, Target, CompressorSpec.Default, sample);
        Assert.Equal(expected.Identity, method!.Identity);
        using var scorer = expected.CreateScorer();
        Assert.All(results, r => Assert.Equal(scorer.Score(Pool[r.Tag]), r.Score));
    }

    [Fact]
    public void AGivenSampleMatchesTheSameSampleTakenFromTheStream()
    {
        var fromStream = Run(ScoringMethodName.DsirSmoothed, backgroundSize: 25, count: 60);
        var given = Run(ScoringMethodName.DsirSmoothed, backgroundSize: 2000, count: 60, given: Pool.Take(25).ToList());
        Assert.Equal(fromStream.Method!.Identity, given.Method!.Identity);
        Assert.Equal(fromStream.Results, given.Results);
    }

    [Fact]
    public void AGivenSampleStartsTheSessionBeforeAnyInput()
    {
        var (results, background, method) = Run(ScoringMethodName.Dsir, backgroundSize: 10, count: 0, given: Pool.Take(5).ToList());
        Assert.Empty(results);
        Assert.Equal(5, background);
        Assert.NotNull(method);
    }

    [Fact]
    public void AnEmptyGivenSampleIsRefused() =>
        Assert.Throws<ArgumentException>(() => Run(ScoringMethodName.Dsir, backgroundSize: 10, count: 1, given: []));
}
