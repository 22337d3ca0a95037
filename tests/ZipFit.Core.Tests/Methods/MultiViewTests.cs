using System.Text;
using ZipFit.Core.Scoring;
using ZipFit.Core.Scoring.Methods;
using Xunit;

namespace ZipFit.Core.Tests.Methods;

public class MultiViewTests
{
    static readonly MixtureXentOptions Small = Fixture.SmallMixture;

    [Fact]
    public void Skeleton_collapses_word_runs_and_keeps_syntax()
    {
        string S(string x) => Encoding.UTF8.GetString(SyntaxSkeleton.Map(Encoding.UTF8.GetBytes(x)));
        Assert.Equal("    0: 0,     #  a a\n", S("    0x00f9: 0x2219,     #  BULLET OPERATOR\n"));
        Assert.Equal("a a(a, a=0):\n    \"\"\"a.\"\"\"", S("def foo(self, x_y=10):\n    \"\"\"Doc.\"\"\""));
        Assert.Equal("a", S("héllo")); // non-ASCII bytes are word bytes
        Assert.Equal("", S(""));
        Assert.Equal("(0, 0), // a", S("(0x00c3, 0x251c), // BOX"));
    }

    [Fact]
    public void Skeleton_view_ignores_vocabulary()
    {
        // renaming identifiers / changing words and numbers does not change a skeleton-view score
        var m = MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, Small with { View = MixtureView.Skeleton });
        using var s = m.CreateScorer();
        double a = s.Score(Encoding.UTF8.GetBytes("def foo(self, x=1):\n    return self.bar(x)  # note\n"));
        double b = s.Score(Encoding.UTF8.GetBytes("def qux(this, y=42):\n    zzzzzz this.baz(y)  # other\n"));
        Assert.Equal(a, b);
        Assert.Contains("view=skeleton", m.Identity);
    }

    [Fact]
    public void Multiview_identity_names_its_parameters_and_scores_differ()
    {
        var a = MultiViewXentMethod.Prepare(Fixture.Target, Fixture.Background, new MultiViewXentOptions { Mix = Small, SkeletonWeight = 0.5, SharedPartition = true, WordWeight = 0 });
        var b = MultiViewXentMethod.Prepare(Fixture.Target, Fixture.Background, new MultiViewXentOptions { Mix = Small, SkeletonWeight = 1, SharedPartition = true, WordWeight = 0 });
        var c = MultiViewXentMethod.Prepare(Fixture.Target, Fixture.Background, new MultiViewXentOptions { Mix = Small, SkeletonWeight = 0.5, SharedPartition = true, WordWeight = 0.15 });
        var d = MultiViewXentMethod.Prepare(Fixture.Target, Fixture.Background, new MultiViewXentOptions { Mix = Small, SkeletonWeight = 0.5, SharedPartition = false, WordWeight = 0 });
        var ids = new[] { a.Identity, b.Identity, c.Identity, d.Identity };
        Assert.Equal(4, ids.Distinct().Count());
        Assert.Contains("skelW=0.5", a.Identity);
        Assert.Contains("view=skeleton", a.Identity);
        Assert.Contains("dsir", c.Identity);
        Assert.DoesNotContain("dsir", a.Identity);
        var def = MultiViewXentMethod.Prepare(Fixture.Target, Fixture.Background, new MultiViewXentOptions { Mix = Small });
        Assert.Contains("skelW=1,skelPartition=own,skelEm=0,wordW=0.15", def.Identity);
        Assert.NotEqual(Fixture.ScoreAll(a, Fixture.Pool, 1), Fixture.ScoreAll(b, Fixture.Pool, 1));
        Assert.NotEqual(Fixture.ScoreAll(a, Fixture.Pool, 1), Fixture.ScoreAll(c, Fixture.Pool, 1));
    }

    [Fact]
    public void Multiview_with_only_the_byte_view_ranks_like_cm_mix()
    {
        var mv = MultiViewXentMethod.Prepare(Fixture.Target, Fixture.Background, new MultiViewXentOptions { Mix = Small, SkeletonWeight = 0, WordWeight = 0 });
        var cm = MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, Small);
        var s1 = Fixture.ScoreAll(mv, Fixture.Pool, 1);
        var s2 = Fixture.ScoreAll(cm, Fixture.Pool, 1);
        var r1 = Enumerable.Range(0, s1.Length).OrderByDescending(i => s1[i]).ThenBy(i => i).ToArray();
        var r2 = Enumerable.Range(0, s2.Length).OrderByDescending(i => s2[i]).ThenBy(i => i).ToArray();
        Assert.Equal(r2, r1); // a positive affine map of the cm-mix score
    }

    [Fact]
    public void Multiview_reaches_fixture_precision()
    {
        var m = MultiViewXentMethod.Prepare(Fixture.Target, Fixture.Background, new MultiViewXentOptions { Mix = Small });
        var s = Fixture.ScoreAll(m, Fixture.Pool, 2);
        Assert.True(Fixture.PrecisionAt(s, Fixture.Pool, "python", 20) >= 0.9);
        Assert.True(Fixture.PrecisionAt(s, Fixture.Pool, "python", 40) >= 0.7);
    }

    [Fact]
    public void Invalid_options_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiViewXentMethod.Prepare(Fixture.Target, Fixture.Background, new MultiViewXentOptions { Mix = Small, SkeletonWeight = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiViewXentMethod.Prepare(Fixture.Target, Fixture.Background, new MultiViewXentOptions { Mix = Small, SkeletonEm = -1 }));
        Assert.Throws<ArgumentException>(() => FusionMethod.Prepare(Fixture.Background, Array.Empty<(IScoringMethod, double)>()));
    }
}
