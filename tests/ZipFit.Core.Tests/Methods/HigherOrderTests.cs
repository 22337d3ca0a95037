using System.Text;
using ZipFit.Core.Scoring.Methods;
using Xunit;

namespace ZipFit.Core.Tests.Methods;

public class HigherOrderTests
{
    static readonly MixtureXentOptions Small = Fixture.SmallMixture;

    /// <summary>
    /// The compiled order-3/4 tables against the model written out directly: per component, counts of every string of up
    /// to order+1 bytes (text starts are padded with zero bytes), add-one order 0, Witten-Bell interpolation above it.
    /// Unseen strings in the pool exercise every escape path of the scorer.
    /// </summary>
    [Theory]
    [InlineData(MixtureView.Bytes, 3)]
    [InlineData(MixtureView.Bytes, 4)]
    [InlineData(MixtureView.Skeleton, 3)]
    [InlineData(MixtureView.Skeleton, 4)]
    [InlineData(MixtureView.Skeleton, 2)]
    public void Scores_match_the_model_computed_directly(MixtureView view, int order)
    {
        var m = MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, Small with { View = view, ScoreOrder = order });
        Func<byte[], byte[]> map = view == MixtureView.Skeleton ? SyntaxSkeleton.Map : x => x;
        var assign = m.Assignment();
        int k = Small.Clusters + 1;
        var models = Enumerable.Range(0, k).Select(_ => new DirectModel(order)).ToArray();
        foreach (var x in Fixture.Target) models[0].Add(map(x));
        for (int i = 0; i < assign.Length; i++) models[assign[i]].Add(map(Fixture.Background[i]));

        using var scorer = m.CreateScorer();
        var probes = Fixture.Pool.Select(e => e.Bytes).Concat(Fixture.Target.Take(5))
            .Append(Encoding.UTF8.GetBytes("zq\u00ff\u0001 never seen { ] ~~ 0x7f :: ")).ToList();
        foreach (var x in probes)
        {
            var mx = map(x);
            double target = models[0].CodeLength(mx);
            double best = Enumerable.Range(1, k - 1).Max(q => models[q].CodeLength(mx));
            double expected = (target - best) / mx.Length;
            Assert.Equal(expected, scorer.Score(x), 3e-4);
        }
    }

    [Theory]
    [InlineData(4, 3)]
    [InlineData(4, 2)]
    [InlineData(3, 2)]
    public void Too_many_grams_fall_back_to_a_lower_order_and_say_so(int asked, int expected)
    {
        var probe = Small with { View = MixtureView.Skeleton, ScoreOrder = 4 };
        // a cap between the skeleton's order-3 and order-4 gram counts keeps order 3; one below both keeps order 2
        int cap = expected == 3 ? DistinctGrams(4) - 1 : DistinctGrams(3) - 1;
        Assert.True(expected == 2 || DistinctGrams(3) <= cap);
        var capped = MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, probe with { ScoreOrder = asked, MaxHigherOrderGrams = cap });
        var plain = MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, probe with { ScoreOrder = expected });
        Assert.Equal(plain.Identity, capped.Identity);
        Assert.Equal(Fixture.ScoreAll(plain, Fixture.Pool, 1), Fixture.ScoreAll(capped, Fixture.Pool, 1));
    }

    /// <summary>Distinct (context of n bytes + byte) strings over the skeletons of the target and background.</summary>
    private static int DistinctGrams(int contextBytes)
    {
        var seen = new HashSet<string>();
        foreach (var x in Fixture.Target.Concat(Fixture.Background).Select(SyntaxSkeleton.Map))
            for (int i = 0; i < x.Length; i++)
                seen.Add(string.Concat(Enumerable.Range(i - contextBytes, contextBytes + 1).Select(j => (char)(j < 0 ? 0 : x[j]))));
        return seen.Count;
    }

    [Fact]
    public void Order_is_named_and_changes_the_scores()
    {
        var two = MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, Small with { View = MixtureView.Skeleton });
        var four = MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, Small with { View = MixtureView.Skeleton, ScoreOrder = 4 });
        Assert.DoesNotContain("scoreOrder", two.Identity);
        Assert.Contains("scoreOrder=4", four.Identity);
        Assert.Equal(two.Assignment(), four.Assignment()); // the partition is found at order 2 either way
        Assert.NotEqual(Fixture.ScoreAll(two, Fixture.Pool, 1), Fixture.ScoreAll(four, Fixture.Pool, 1));

        var mv = MultiViewXentMethod.Prepare(Fixture.Target, Fixture.Background, new MultiViewXentOptions { Mix = Small });
        Assert.Contains("view=skeleton,scoreOrder=4", mv.Identity);
        var mv2 = MultiViewXentMethod.Prepare(Fixture.Target, Fixture.Background, new MultiViewXentOptions { Mix = Small, SkeletonScoreOrder = 2 });
        Assert.DoesNotContain("scoreOrder", mv2.Identity);
    }

    [Fact]
    public void Invalid_orders_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, Small with { ScoreOrder = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, Small with { ScoreOrder = 5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiViewXentMethod.Prepare(Fixture.Target, Fixture.Background, new MultiViewXentOptions { Mix = Small, SkeletonScoreOrder = 5 }));
    }

    private sealed class DirectModel(int order)
    {
        // counts[L][context of L bytes + next byte], contexts[L][context], distinct[L][context]
        private readonly Dictionary<string, int>[] _counts = Enumerable.Range(0, order + 1).Select(_ => new Dictionary<string, int>()).ToArray();
        private readonly Dictionary<string, int>[] _contexts = Enumerable.Range(0, order + 1).Select(_ => new Dictionary<string, int>()).ToArray();
        private readonly Dictionary<string, int>[] _distinct = Enumerable.Range(0, order + 1).Select(_ => new Dictionary<string, int>()).ToArray();
        private long _total;

        private static string Context(byte[] x, int i, int length)
        {
            var sb = new StringBuilder(length);
            for (int j = i - length; j < i; j++) sb.Append((char)(j < 0 ? 0 : x[j]));
            return sb.ToString();
        }

        public void Add(byte[] x)
        {
            for (int i = 0; i < x.Length; i++)
            {
                _total++;
                for (int l = 0; l <= order; l++)
                {
                    string ctx = Context(x, i, l), gram = ctx + (char)x[i];
                    int n = _counts[l].GetValueOrDefault(gram);
                    if (n == 0) _distinct[l][ctx] = _distinct[l].GetValueOrDefault(ctx) + 1;
                    _counts[l][gram] = n + 1;
                    _contexts[l][ctx] = _contexts[l].GetValueOrDefault(ctx) + 1;
                }
            }
        }

        public double CodeLength(byte[] x)
        {
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double p = (_counts[0].GetValueOrDefault(((char)x[i]).ToString()) + 1.0) / (_total + 256.0);
                for (int l = 1; l <= order; l++)
                {
                    string ctx = Context(x, i, l);
                    int nc = _contexts[l].GetValueOrDefault(ctx);
                    if (nc == 0) continue;
                    int u = _distinct[l][ctx];
                    p = (_counts[l].GetValueOrDefault(ctx + (char)x[i]) + u * p) / (nc + u);
                }
                sum += Math.Log(p);
            }
            return sum;
        }
    }
}
