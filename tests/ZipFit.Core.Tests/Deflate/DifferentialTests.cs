using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ZipFit.Core.Compression.Deflate.Tests;

/// <summary>
/// Differential tests against the system zlib. Time budgets (seconds) and the seed are
/// configurable: DEFLATE_TEST_SECONDS (scales the randomized budgets: 0.4 + 0.2 + 0.15 of it; default 60,
/// giving ~70 s for the whole suite including the fixed-size cases),
/// DEFLATE_TEST_SEED (default 20240601).
/// </summary>
public class DifferentialTests
{
    private readonly ITestOutputHelper _out;
    public DifferentialTests(ITestOutputHelper output) => _out = output;

    private static double TotalSeconds =>
        double.TryParse(Environment.GetEnvironmentVariable("DEFLATE_TEST_SECONDS"), out var s) ? s : 20;

    private static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("DEFLATE_TEST_SEED"), out var s) ? s : 20240601;

    private sealed class Checker : IDisposable
    {
        public readonly DeflateLengthCalculator[] Calc = new DeflateLengthCalculator[10];
        public readonly ZlibNative[] Zlib = new ZlibNative[10];
        public readonly List<string> Failures = new();
        public long Checks;
        public long Bytes;

        public Checker()
        {
            for (int l = 1; l <= 9; l++)
            {
                Calc[l] = new DeflateLengthCalculator(l);
                Zlib[l] = new ZlibNative(l);
            }
        }

        public void Check(int level, byte[] data, string what)
        {
            int expected = Zlib[level].RawDeflateLength(data);
            int actual = Calc[level].RawDeflateLength(data);
            Checks++;
            Bytes += data.Length;
            if (expected != actual && Failures.Count < 50)
                Failures.Add($"level {level} {what} size {data.Length}: zlib {expected}, ours {actual}");
        }

        public void CheckPair(int level, byte[] x, byte[] y, string what, bool setPrefix)
        {
            var xy = new byte[x.Length + y.Length];
            x.CopyTo(xy, 0);
            y.CopyTo(xy, x.Length);
            int expected = Zlib[level].RawDeflateLength(xy);
            if (setPrefix) Calc[level].SetPrefix(x);
            int actual = Calc[level].RawDeflateLengthWithSuffix(y);
            Checks++;
            Bytes += xy.Length;
            if (expected != actual && Failures.Count < 50)
                Failures.Add($"level {level} {what} prefix {x.Length} suffix {y.Length}: zlib {expected}, ours {actual}");
            int planned = Calc[level].RawDeflateLengthWithSuffix(new DeflateSuffixPlan(level, y));
            Checks++;
            if (expected != planned && Failures.Count < 50)
                Failures.Add($"level {level} {what} prefix {x.Length} suffix {y.Length} (plan): zlib {expected}, ours {planned}");
        }

        public void Dispose()
        {
            for (int l = 1; l <= 9; l++) Zlib[l].Dispose();
        }
    }

    private void Report(Checker c, string name, Stopwatch sw)
    {
        _out.WriteLine($"{name}: zlib {ZlibNative.Version}, seed {Seed}, {c.Checks} comparisons, {c.Bytes} bytes, {c.Failures.Count} mismatches, {sw.Elapsed.TotalSeconds:F1} s");
        foreach (var f in c.Failures) _out.WriteLine("  " + f);
        Assert.True(c.Failures.Count == 0, $"{c.Failures.Count} mismatches; first: {c.Failures.FirstOrDefault()}");
    }

    [Fact]
    public void ZlibIsExpectedVersion()
    {
        Assert.Equal("1.2.13", ZlibNative.Version);
    }

    [Fact]
    public void BoundarySizes_AllLevels()
    {
        var sw = Stopwatch.StartNew();
        using var c = new Checker();
        var rng = new Random(Seed);
        foreach (int size in Corpus.BoundarySizes)
        {
            var inputs = new (string, byte[])[]
            {
                ("random", Corpus.RandomBytes(rng, size)),
                ("zeros", Corpus.AllSame(size, 0)),
                ("text", Corpus.TextOfSize(rng, size)),
                ("alpha4", Corpus.SmallAlphabet(rng, size, 4)),
                ("period3", Corpus.Periodic(rng, size, 3, 0.001)),
            };
            foreach (var (name, data) in inputs)
                for (int level = 1; level <= 9; level++)
                    c.Check(level, data, name);
        }
        Report(c, nameof(BoundarySizes_AllLevels), sw);
    }

    private static byte[] Generate(Random rng, out string name)
    {
        // Size: mostly small, some medium, some large (up to 100 KB).
        int r = rng.Next(100);
        int size = r < 45 ? rng.Next(0, 4096) : r < 80 ? rng.Next(4096, 40000) : rng.Next(40000, 100 * 1024 + 1);
        switch (rng.Next(10))
        {
            case 0: name = "random"; return Corpus.RandomBytes(rng, size);
            case 1: name = "same"; return Corpus.AllSame(size, (byte)rng.Next(256));
            case 2: { int p = rng.Next(1, 64); name = $"period{p}"; return Corpus.Periodic(rng, size, p, rng.Next(2) == 0 ? 0 : 0.002); }
            case 3: { int a = rng.Next(2, 9); name = $"alpha{a}"; return Corpus.SmallAlphabet(rng, Math.Min(size, 30000), a); }
            case 4: name = "runs"; return Corpus.Runs(rng, size, rng.Next(1, 300));
            case 5: name = "longrep"; return Corpus.LongRepeats(rng, size);
            case 6: name = "mixed"; return Corpus.Mixed(rng, size);
            case 7: name = "single-text"; return Corpus.RandomText(rng);
            default: name = "text"; return Corpus.TextOfSize(rng, size);
        }
    }

    [Fact]
    public void Randomized_OneShot_AllLevels()
    {
        var sw = Stopwatch.StartNew();
        double budget = TotalSeconds * 0.4;
        using var c = new Checker();
        var rng = new Random(Seed + 1);
        while (sw.Elapsed.TotalSeconds < budget)
        {
            var data = Generate(rng, out var name);
            for (int level = 1; level <= 9; level++) c.Check(level, data, name);
        }
        Report(c, nameof(Randomized_OneShot_AllLevels), sw);
    }

    [Fact]
    public void PrefixSuffix_RealTextPairs()
    {
        var sw = Stopwatch.StartNew();
        double budget = TotalSeconds * 0.2;
        using var c = new Checker();
        var rng = new Random(Seed + 2);
        while (sw.Elapsed.TotalSeconds < budget)
        {
            int level = rng.Next(1, 10);
            var x = Corpus.RandomText(rng);
            bool first = true;
            int ys = rng.Next(1, 20);
            for (int k = 0; k < ys; k++)
            {
                c.CheckPair(level, x, Corpus.RandomText(rng), "text+text", first);
                first = false;
            }
            // empty and tiny suffixes
            c.CheckPair(level, x, Array.Empty<byte>(), "text+empty", false);
            c.CheckPair(level, x, Corpus.RandomBytes(rng, rng.Next(1, 10)), "text+tiny", false);
        }
        Report(c, nameof(PrefixSuffix_RealTextPairs), sw);
    }

    [Fact]
    public void PrefixSuffix_Adversarial()
    {
        var sw = Stopwatch.StartNew();
        double budget = TotalSeconds * 0.15;
        using var c = new Checker();
        var rng = new Random(Seed + 3);
        // Deterministic: tiny prefixes and block/window boundaries inside the prefix.
        foreach (int xs in new[] { 0, 1, 2, 3, 100, 261, 262, 263, 600, 16383, 16700, 33000, 65000, 65300, 70000 })
        {
            for (int level = 1; level <= 9; level++)
            {
                var x = xs > 10000 && level % 2 == 0 ? Corpus.RandomBytes(rng, xs) : Corpus.TextOfSize(rng, xs);
                c.CheckPair(level, x, Corpus.RandomText(rng), "det", true);
                c.CheckPair(level, x, Array.Empty<byte>(), "det-empty", false);
                c.CheckPair(level, x, Corpus.Mixed(rng, rng.Next(0, 5000)), "det-mixed", false);
            }
        }
        while (sw.Elapsed.TotalSeconds < budget)
        {
            int level = rng.Next(1, 10);
            var x = Generate(rng, out var xn);
            int ys = rng.Next(1, 6);
            for (int k = 0; k < ys; k++)
            {
                var y = Generate(rng, out var yn);
                if (y.Length > 20000) Array.Resize(ref y, rng.Next(0, 20000));
                c.CheckPair(level, x, y, $"{xn}+{yn}", k == 0);
            }
        }
        Report(c, nameof(PrefixSuffix_Adversarial), sw);
    }
}
