using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace ZipFit.Core.Compression.Deflate.Tests;

/// <summary>
/// Inputs built to hit the window-edge rules that random data almost never reaches:
/// a match-free filler (no trigram occurs twice) with copies planted at exact distances
/// (MAX_DIST = 32506 and its neighbours) and at the strstart values where zlib slides its
/// window (65274, 98042), with input sizes on both sides of the "lookahead &lt; 262" condition.
/// </summary>
public class WindowEdgeTests
{
    private readonly ITestOutputHelper _out;
    public WindowEdgeTests(ITestOutputHelper output) => _out = output;

    internal static byte[] UniqueTrigramFiller(Random rng, int n)
    {
        var a = new byte[n];
        var seen = new HashSet<int>();
        for (int i = 0; i < n; i++)
        {
            for (int tries = 0; ; tries++)
            {
                // 96-letter alphabet: literals cost ~6.6 bits, so blocks are Huffman coded
                // (with random bytes zlib would store them and match choices would not show).
                a[i] = (byte)(32 + rng.Next(96));
                if (i < 2 || tries > 2000) break;
                int t = (a[i - 2] << 16) | (a[i - 1] << 8) | a[i];
                if (seen.Add(t)) break;
            }
        }
        return a;
    }

    private static void Plant(byte[] a, int src, int dst, int len)
    {
        for (int k = 0; k < len && dst + k < a.Length; k++) a[dst + k] = a[src + k];
    }

    private static IEnumerable<(string, byte[])> Cases(Random rng)
    {
        const int Md = 32506;
        foreach (int delta in new[] { -2, -1, 0, 1, 2 })
        {
            // First slide point (strstart 65274): data end before / after base + 65536.
            foreach (int n in new[] { 65290, 65400, 65535, 65536, 65537, 65600, 70000 })
            {
                var a = UniqueTrigramFiller(rng, n);
                Plant(a, 32768 + delta, 65274 + delta, 20);
                yield return ($"slide1 d{delta} n{n}", a);
            }
            // Second slide point (strstart 98042).
            foreach (int n in new[] { 98100, 98303, 98304, 98400, 102400 })
            {
                var a = UniqueTrigramFiller(rng, n);
                Plant(a, 65536 + delta, 98042 + delta, 20);
                yield return ($"slide2 d{delta} n{n}", a);
            }
            // Head candidate at distance MAX_DIST + delta (no slide involved).
            {
                var a = UniqueTrigramFiller(rng, 50000);
                Plant(a, 40000 - Md + delta, 40000, 30);
                yield return ($"head-dist d{delta}", a);
            }
            // Chain candidate at distance MAX_DIST + delta behind a more recent 3-byte-only candidate.
            {
                var a = UniqueTrigramFiller(rng, 50000);
                int src = 40000 - Md + delta;
                Plant(a, src, 40000, 30);
                Plant(a, src, 30000, 3);
                if (a[30003] == a[src + 3]) a[30003] ^= 0x55;
                yield return ($"chain-dist d{delta}", a);
            }
        }
    }

    [Fact]
    public void PlantedMatchesAtWindowEdges_AllLevels()
    {
        var sw = Stopwatch.StartNew();
        var rng = new Random(777);
        var failures = new List<string>();
        int checks = 0;
        var calc = new DeflateLengthCalculator[10];
        var zl = new ZlibNative[10];
        for (int l = 1; l <= 9; l++) { calc[l] = new DeflateLengthCalculator(l); zl[l] = new ZlibNative(l); }
        try
        {
            foreach (var (name, data) in Cases(rng))
            {
                for (int level = 1; level <= 9; level++)
                {
                    int expected = zl[level].RawDeflateLength(data);
                    int actual = calc[level].RawDeflateLength(data);
                    checks++;
                    if (expected != actual) failures.Add($"level {level} {name}: zlib {expected}, ours {actual}");
                    // Same input through the prefix API, split just before the edge.
                    int split = Math.Min(data.Length, 40000 + (level * 997) % 20000);
                    calc[level].SetPrefix(data.AsSpan(0, split));
                    int viaPrefix = calc[level].RawDeflateLengthWithSuffix(data.AsSpan(split));
                    checks++;
                    if (expected != viaPrefix) failures.Add($"level {level} {name} prefix split {split}: zlib {expected}, ours {viaPrefix}");
                }
            }
        }
        finally
        {
            for (int l = 1; l <= 9; l++) zl[l].Dispose();
        }
        _out.WriteLine($"{nameof(PlantedMatchesAtWindowEdges_AllLevels)}: {checks} comparisons, {failures.Count} mismatches, {sw.Elapsed.TotalSeconds:F1} s");
        foreach (var f in failures.Take(50)) _out.WriteLine("  " + f);
        Assert.True(failures.Count == 0, $"{failures.Count} mismatches; first: {failures.FirstOrDefault()}");
    }
}
