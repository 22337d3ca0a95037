using System.Text;
using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;

namespace ZipFit.Core.Tests;

public class ScoringSessionTests
{
    private static readonly List<byte[]> Pool = Fixtures.Read(Fixtures.SourcePath).Select(s => Encoding.UTF8.GetBytes(s.Text)).ToList();
    private static readonly TargetSet Target = new(Fixtures.TargetBytes().Take(10));

    private static (List<(double Score, int Tag)> Results, int Background, IScoringMethod? Method) Run(ScoringMethodName name, int backgroundSize, int count)
    {
        int background = -1;
        using var session = new ScoringSession<int>(new ScoringSessionOptions(name, Target, CompressorSpec.Default, 2)
        {
            BackgroundSize = backgroundSize,
            Prepared = (_, n) => background = n,
        });
        var results = new List<(double, int)>();
        for (int i = 0; i < count; i++)
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
}
