using System.Globalization;
using System.Text;
using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;

namespace ZipFit.Core.Tests;

/// <summary>
/// lzma against Python's <c>lzma.compress</c> (xz, CRC64): lengths and ZIP-FIT scores from
/// bench/python/lzma_reference.py on the shared small pool (see tests/fixtures/python-code/README.md).
/// </summary>
public class LzmaTests
{
    private static readonly string[] Presets = ["0", "6", "9", "6e"];

    private static Dictionary<string, int[]> ReferenceLengths() =>
        File.ReadLines(Path.Combine(Fixtures.Dir, "lzma-lengths.tsv")).Skip(1)
            .Select(l => l.Split('\t'))
            .ToDictionary(p => p[0], p => p[2..].Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray());

    private static Dictionary<string, double> ReferenceScores(string preset) =>
        File.ReadLines(Path.Combine(Fixtures.Dir, $"scores-small-lzma{preset}.tsv")).Skip(1)
            .Select(l => l.Split('\t'))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));

    [Fact]
    public void TheSystemLiblzmaIsHere() =>
        Assert.True(LzmaLengthCompressor.IsAvailable, "these tests need liblzma.so.5 (Debian: liblzma5)");

    [Fact]
    public void LengthsEqualPythonsLzmaCompress_AtPresets0_6_9_And6e()
    {
        var reference = ReferenceLengths();
        Assert.Equal(2200, reference.Count);
        var texts = Fixtures.Read(Fixtures.SourcePath).Concat(Fixtures.Read(Fixtures.TargetPath)).ToList();
        Parallel.For(0, Presets.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, column =>
        {
            using var c = CompressorSpec.Parse("lzma-" + Presets[column]).Create();
            foreach (var (id, text, _) in texts)
            {
                int expected = reference[id][column];
                int actual = c.CompressedLength(Encoding.UTF8.GetBytes(text));
                Assert.True(expected == actual, $"{id} lzma-{Presets[column]}: {actual} vs Python {expected}");
            }
        });
        Assert.Equal(260, texts.Count);
    }

    /// <summary>The reference holds all 2,000 small-pool examples at each preset; the 60 of them in the fixture are
    /// scored here against all 200 targets (bench/lzma-parity.ps1 checks the 2,000 with ../shared).</summary>
    [Theory]
    [InlineData("0", 60)]
    [InlineData("6", 60)]
    [InlineData("9", 60)]
    public void ScoresMatchThePythonReferenceTo1e12(string preset, int count)
    {
        var expected = ReferenceScores(preset);
        Assert.Equal(2000, expected.Count);
        var ids = Fixtures.Read(Fixtures.SourcePath).Select(s => s.Id).Where(expected.ContainsKey).Take(count).ToHashSet();
        expected = expected.Where(e => ids.Contains(e.Key)).ToDictionary();
        var method = NcdMethod.Prepare(new TargetSet(Fixtures.TargetBytes()), CompressorSpec.Parse("lzma-" + preset));
        Assert.Matches($"^ncd/lzma-{preset}/liblzma-\\d+\\.\\d+", method.Identity);
        var inputs = Fixtures.Read(Fixtures.SourcePath).Where(s => expected.ContainsKey(s.Id))
            .Select(s => new ScoringInput<string>(Encoding.UTF8.GetBytes(s.Text), s.Id));
        int n = 0;
        foreach (var (score, id) in ExampleScoring.Score(method, inputs, threads: 2))
        {
            Assert.True(Math.Abs(expected[id] - score) <= 1e-12, $"{id}: {score:R} vs {expected[id]:R}");
            n++;
        }
        Assert.Equal(count, n);
    }

    [Fact]
    public void AReusedEncoderGivesTheLengthsOfAFreshOne()
    {
        var texts = Fixtures.Read(Fixtures.SourcePath).Take(8).Select(t => Encoding.UTF8.GetBytes(t.Text)).ToList();
        byte[] big = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Fixtures.Read(Fixtures.SourcePath)[0].Text, 200)));
        var spec = CompressorSpec.Parse("lzma-1");
        using var reused = spec.Create();
        var first = texts.Select(t => reused.CompressedLength(t)).ToList();
        reused.CompressedLength(big);
        reused.CompressedLength([]);
        for (int i = texts.Count - 1; i >= 0; i--)
        {
            using var fresh = spec.Create();
            Assert.Equal(fresh.CompressedLength(texts[i]), reused.CompressedLength(texts[i]));
            Assert.Equal(first[i], reused.CompressedLength(texts[i]));
        }
        // An empty input is a complete xz stream too (Python: len(lzma.compress(b"")) == 32).
        Assert.Equal(32, reused.CompressedLength([]));
    }

    [Theory]
    [InlineData("lzma", 6, false, "lzma-6")]
    [InlineData("lzma-0", 0, false, "lzma-0")]
    [InlineData("xz-9", 9, false, "lzma-9")]
    [InlineData("lzma-6e", 6, true, "lzma-6e")]
    [InlineData("LZMA-9E", 9, true, "lzma-9e")]
    public void NamesParse(string text, int level, bool extreme, string name)
    {
        var spec = CompressorSpec.Parse(text);
        Assert.Equal(CompressorKind.Lzma, spec.Kind);
        Assert.Equal(level, spec.Level);
        Assert.Equal(extreme, spec.Extreme);
        Assert.Equal(name, spec.ToString());
        Assert.StartsWith(name + "/liblzma-" + LzmaLengthCompressor.LibraryVersion, spec.Identity);
        Assert.Null(spec.UnavailableReason);
    }

    [Theory]
    [InlineData("lzma-10")]
    [InlineData("lzma--1")]
    [InlineData("gzip-6e")]
    [InlineData("lzma-e")]
    [InlineData("lzma-6x")]
    public void BadNamesAreRejected(string text) =>
        Assert.ThrowsAny<ArgumentException>(() => CompressorSpec.Parse(text));

    [Fact]
    public void AMissingLibraryIsNotLoadedAndTheMessageSaysHowToInstallIt()
    {
        Assert.Null(SystemLzma.Load(["/nonexistent/liblzma.so.5", "zipfit-no-such-liblzma"]));
        Assert.NotNull(SystemLzma.Load(SystemLzma.DefaultCandidates));
        string message = SystemLzma.MissingMessage;
        Assert.Contains("liblzma", message);
        Assert.Contains("apt-get install liblzma5", message);
        Assert.Contains(SystemLzma.LibraryVariable, message);
    }
}
