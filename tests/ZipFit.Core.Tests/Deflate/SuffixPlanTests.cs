using Xunit;

namespace ZipFit.Core.Compression.Deflate.Tests;

/// <summary>
/// A suffix plan is made once per target and then used after every source example, from any
/// thread: these tests use plans the way scoring does (many prefixes, plans interleaved, shared
/// between calculators) and check every length against the system zlib.
/// </summary>
public class SuffixPlanTests
{
    private static byte[] Concat(byte[] x, byte[] y)
    {
        var xy = new byte[x.Length + y.Length];
        x.CopyTo(xy, 0);
        y.CopyTo(xy, x.Length);
        return xy;
    }

    [Theory]
    [InlineData(9)]
    [InlineData(6)]
    [InlineData(4)]
    public void PlansReusedAcrossPrefixesAndThreads_MatchZlib(int level)
    {
        var rng = new Random(level * 7919);
        var ys = Enumerable.Range(0, 12).Select(i => i switch
        {
            0 => Corpus.Runs(rng, 3000, 400),            // long runs: the chain budget binds inside y
            1 => Corpus.AllSame(2000, (byte)' '),
            2 => Corpus.Periodic(rng, 2500, 7, 0.02),
            3 => Corpus.SmallAlphabet(rng, 1800, 3),
            4 => Array.Empty<byte>(),
            5 => new byte[] { 65, 66 },
            _ => Corpus.RandomText(rng),
        }).ToArray();
        var xs = Enumerable.Range(0, 16).Select(i => i % 5 == 0 ? Corpus.Periodic(rng, 600, 5, 0.05) : Corpus.RandomText(rng)).ToArray();
        var plans = ys.Select(y => new DeflateSuffixPlan(level, y)).ToArray();

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 2, t =>
        {
            var calc = new DeflateLengthCalculator(level);
            using var zlib = new ZlibNative(level);
            foreach (var x in t == 0 ? xs : xs.Reverse())
            {
                calc.SetPrefix(x);
                for (int k = 0; k < ys.Length; k++)
                {
                    int j = t == 0 ? k : ys.Length - 1 - k;
                    int expected = zlib.RawDeflateLength(Concat(x, ys[j]));
                    int viaPlan = calc.RawDeflateLengthWithSuffix(plans[j]);
                    int viaSpan = calc.RawDeflateLengthWithSuffix(ys[j]);
                    if (viaPlan != expected || viaSpan != expected)
                        failures.Add($"x {x.Length} y#{j} {ys[j].Length}: zlib {expected}, plan {viaPlan}, span {viaSpan}");
                }
            }
        });
        Assert.Empty(failures);
    }

    [Fact]
    public void EmptyPrefixAndLongInputs_FallBackAndStayExact()
    {
        var rng = new Random(5);
        using var zlib = new ZlibNative(9);
        var calc = new DeflateLengthCalculator(9);
        var longY = Corpus.TextOfSize(rng, 40_000); // beyond one window: the plan is not used
        var shortY = Corpus.RandomText(rng);
        foreach (var x in new[] { Array.Empty<byte>(), Corpus.TextOfSize(rng, 31_000), Corpus.RandomText(rng) })
        {
            calc.SetPrefix(x);
            foreach (var y in new[] { longY, shortY })
                Assert.Equal(zlib.RawDeflateLength(Concat(x, y)), calc.RawDeflateLengthWithSuffix(new DeflateSuffixPlan(9, y)));
        }
    }

    [Fact]
    public void PlanOfAnotherLevel_IsRejected()
    {
        var calc = new DeflateLengthCalculator(9);
        calc.SetPrefix("abc"u8);
        Assert.Throws<ArgumentException>(() => calc.RawDeflateLengthWithSuffix(new DeflateSuffixPlan(6, "def"u8)));
    }
}
