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

    /// <summary>
    /// The x part of a walk in y is skipped when x lacks the 4-, 8- or 16-byte strings a longer
    /// match needs. These pairs put a phrase in y that x holds only in part, or only across its
    /// end (the candidate's match runs on into y), with y's own best just below, at and just above
    /// the filter's string lengths.
    /// </summary>
    [Theory]
    [InlineData(9)]
    [InlineData(5)]
    public void StringsCutAtTheEndOfX_MatchZlib(int level) => CheckPlannedPairs(level, level * 131, 150, (rng, round) =>
    {
        byte[] phrase = Corpus.SmallAlphabet(rng, 48, 4 + round % 20);
        int cut = rng.Next(1, phrase.Length);                 // x ends with phrase[0..cut)
        int seen = new[] { 3, 4, 7, 8, 9, 15, 16, 17, 31, 33 }[round % 10]; // y repeats phrase[0..seen) before the full phrase
        byte[] filler = Corpus.RandomText(rng);
        var x = new List<byte>(filler.Take(rng.Next(50, Math.Max(51, filler.Length))));
        if (round % 3 == 0) x.AddRange(phrase.Take(seen));    // x also holds a part of the phrase inside
        x.AddRange(phrase.Take(cut));
        var y = new List<byte>(phrase.Skip(cut));
        y.AddRange(Corpus.RandomText(rng).Take(rng.Next(0, 300)));
        y.AddRange(phrase.Take(seen));
        y.Add((byte)'#');
        y.AddRange(phrase);
        y.AddRange(phrase.Take(cut + 1));
        y.AddRange(Corpus.RandomText(rng).Take(rng.Next(0, 200)));
        return (x.ToArray(), y.ToArray());
    });

    /// <summary>
    /// x and y both made of a few short tokens: many searches in x's tail have a pending match and
    /// candidates whose matches run on into y, where the prefix filter must not rule them out.
    /// </summary>
    [Theory]
    [InlineData(9)]
    [InlineData(4)]
    public void TokenStreamsAcrossTheJoin_MatchZlib(int level) => CheckPlannedPairs(level, level * 977, 300, (rng, round) =>
    {
        var tokens = Enumerable.Range(0, 3 + round % 6).Select(_ => Corpus.SmallAlphabet(rng, rng.Next(2, 9), 3 + round % 5)).ToArray();
        byte[] Stream(int count) => Enumerable.Range(0, count).SelectMany(_ => tokens[rng.Next(tokens.Length)]).ToArray();
        byte[] filler = Corpus.RandomText(rng);
        byte[] x = filler.Take(rng.Next(20, Math.Max(21, filler.Length))).Concat(Stream(rng.Next(5, 120))).ToArray();
        return (x, Stream(rng.Next(5, 200)));
    });

    /// <summary>Makes <paramref name="rounds"/> pairs and checks each through a plan against the system zlib.</summary>
    private static void CheckPlannedPairs(int level, int seed, int rounds, Func<Random, int, (byte[] X, byte[] Y)> make)
    {
        var rng = new Random(seed);
        using var zlib = new ZlibNative(level);
        var calc = new DeflateLengthCalculator(level);
        var failures = new List<string>();
        int checkedPairs = 0;
        for (int round = 0; round < rounds; round++)
        {
            var (x, y) = make(rng, round);
            calc.SetPrefix(x);
            int expected = zlib.RawDeflateLength(Concat(x, y));
            int actual = calc.RawDeflateLengthWithSuffix(new DeflateSuffixPlan(level, y));
            checkedPairs++;
            if (actual != expected) failures.Add($"round {round} x {x.Length} y {y.Length}: zlib {expected}, ours {actual}");
        }
        Assert.Equal(rounds, checkedPairs);
        Assert.Empty(failures);
    }

    /// <summary>
    /// A lazy search in x's tail whose only winner starts in x's last bytes and runs on into y.
    /// x ends "CABA" and y starts "BABAB…"; x also holds "BABAX" (a match of exactly 4 for "BABA…")
    /// but not "ABAB". At x's second-to-last byte the pending match is that 4; one byte on, the
    /// candidate three bytes back (the "ABA" at x's end) matches far into y. x lacks "ABAB", so the
    /// filter rules out every candidate inside x, and only the walk over x's last bytes finds it.
    /// </summary>
    [Theory]
    [InlineData(9, 6)]
    [InlineData(9, 40)]
    [InlineData(6, 12)]
    [InlineData(4, 300)]
    public void PendingMatchBeatenAcrossTheJoin_MatchZlib(int level, int run)
    {
        var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 60).Select(i => $"word{i % 17} than{i % 5} ")));
        byte[] x = text.Concat("BABAX"u8.ToArray()).Concat(text.Take(200)).Concat("CABA"u8.ToArray()).ToArray();
        byte[] y = Enumerable.Range(0, run).Select(i => (byte)(i % 2 == 0 ? 'B' : 'A')).Concat("Y then more"u8.ToArray()).Concat(text.Take(100)).ToArray();
        using var zlib = new ZlibNative(level);
        var calc = new DeflateLengthCalculator(level);
        calc.SetPrefix(x);
        Assert.Equal(zlib.RawDeflateLength(Concat(x, y)), calc.RawDeflateLengthWithSuffix(new DeflateSuffixPlan(level, y)));
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
