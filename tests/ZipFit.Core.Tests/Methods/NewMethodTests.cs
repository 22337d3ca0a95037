using System.Text;
using ZipFit.Core.Scoring;
using ZipFit.Core.Scoring.Methods;
using Xunit;

namespace ZipFit.Core.Tests.Methods;

public class NewMethodTests
{
    static IScoringMethod Cm2(IReadOnlyList<byte[]> t, IReadOnlyList<byte[]> b) =>
        ContextXentMethod.Prepare(t, b, new ContextXentOptions { Order = 2, HashBits = 18 });

    [Fact]
    public void Mixture_identity_names_its_parameters_and_scores_differ()
    {
        var a = MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, Fixture.SmallMixture);
        var b = MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, new MixtureXentOptions { Clusters = 4, EmIterations = 1 });
        Assert.NotEqual(a.Identity, b.Identity);
        Assert.Contains("clusters=8", a.Identity);
        Assert.NotEqual(Fixture.ScoreAll(a, Fixture.Pool, 1), Fixture.ScoreAll(b, Fixture.Pool, 1));
    }

    [Fact]
    public void Mixture_score_is_per_byte_code_length_difference()
    {
        // a text repeated twice has (almost) the same per-byte score as once: scores are normalised by length
        var m = MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, new MixtureXentOptions { Clusters = 4, EmIterations = 1 });
        using var s = m.CreateScorer();
        var x = Fixture.Pool.First(e => e.Domain == "python").Bytes;
        var xx = x.Concat(x).ToArray();
        Assert.InRange(s.Score(xx) - s.Score(x), -0.05, 0.05);
        Assert.Equal(ScoreConstants.Excluded, s.Score(ReadOnlySpan<byte>.Empty));
        Assert.True(double.IsFinite(s.Score(Encoding.UTF8.GetBytes("\u00ff\u0000 unseen bytes \u4e00"))));
    }

    [Fact]
    public void Mixture_ranks_python_above_other_domains_on_the_fixture()
    {
        var m = MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, Fixture.SmallMixture);
        var s = Fixture.ScoreAll(m, Fixture.Pool, 2);
        Assert.True(Fixture.PrecisionAt(s, Fixture.Pool, "python", 20) >= 0.9);
        Assert.True(Fixture.PrecisionAt(s, Fixture.Pool, "python", 40) >= 0.7);
    }
}
