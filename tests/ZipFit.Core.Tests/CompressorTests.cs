using System.Globalization;
using System.Text;
using ZipFit.Core.Compression;

namespace ZipFit.Core.Tests;

public class CompressorTests
{
    [Theory]
    [InlineData(GzipEngine.System)]
    [InlineData(GzipEngine.Managed)]
    public void GzipLengthsEqualPythonGzipAtEveryLevel(GzipEngine engine)
    {
        Assert.True(GzipLengthCompressor.HasSystemZlib, "This machine has a system zlib; the cross-check needs it.");
        var texts = Fixtures.Read(Fixtures.SourcePath).ToDictionary(t => t.Id, t => t.Text);
        string y0 = Fixtures.Read(Fixtures.TargetPath)[0].Text;
        var rows = File.ReadLines(Path.Combine(Fixtures.Dir, "gzip-lengths.tsv")).Skip(1).Select(l => l.Split('\t')).ToList();
        Assert.NotEmpty(rows);
        for (int level = engine == GzipEngine.Managed ? 1 : 0; level <= 9; level++)
        {
            using var c = GzipLengthCompressor.Create(level, engine);
            foreach (var row in rows)
            {
                string text = row[1] == "x" ? texts[row[0]] : texts[row[0]] + y0;
                int expected = int.Parse(row[2 + level], CultureInfo.InvariantCulture);
                Assert.Equal(expected, c.CompressedLength(Encoding.UTF8.GetBytes(text)));
            }
        }
    }

    [Fact]
    public void GzipOfEmptyInputIsTheContainerPlusAnEmptyBlock()
    {
        using var c = new CompressorSpec(CompressorKind.Gzip, 9).Create();
        // Python: len(gzip.compress(b"")) == 20
        Assert.Equal(20, c.CompressedLength(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void GzipHandlesInputsLargerThanItsOutputChunk()
    {
        var random = new Random(1);
        var data = new byte[300_000];
        random.NextBytes(data);
        using var c = new CompressorSpec(CompressorKind.Gzip, 6).Create();
        int length = c.CompressedLength(data);
        // Incompressible data is stored: a little more than the input.
        Assert.InRange(length, data.Length, data.Length + 200);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(9)]
    public void GzipOfTwoPartsEqualsGzipOfTheirConcatenation(int level)
    {
        using var managed = GzipLengthCompressor.Create(level, GzipEngine.Managed);
        var prefixed = Assert.IsAssignableFrom<IPrefixLengthCompressor>(managed);
        var random = new Random(level);
        var texts = Fixtures.Read(Fixtures.SourcePath).Select(t => Encoding.UTF8.GetBytes(t.Text)).ToList();
        byte[] Part(int kind, int size) => kind switch
        {
            0 => Enumerable.Range(0, size).Select(_ => (byte)random.Next(256)).ToArray(),
            1 => Enumerable.Range(0, size).Select(i => (byte)"abcab"[i % 5]).ToArray(),
            _ => texts[random.Next(texts.Count)].Concat(texts[random.Next(texts.Count)]).Take(size).ToArray(),
        };
        int[] sizes = [0, 1, 2, 3, 100, 261, 262, 263, 2000, 32767, 32768, 40000, 65536, 70000];
        using var c = GzipLengthCompressor.Create(level, GzipEngine.System);
        var scratch = new byte[200_000];
        int cases = 0;
        foreach (int a in sizes)
        {
            foreach (int b in new[] { 0, 1, 300, 2600, 40000 })
            {
                var x = Part(random.Next(3), a);
                var y = Part(random.Next(3), b);
                int expected = c.CompressedLength(x.Concat(y).ToArray());
                Assert.Equal(expected, c.CompressedLength(x, y, scratch));
                prefixed.SetPrefix(x);
                Assert.Equal(expected, prefixed.CompressedLengthWithSuffix(y));
                cases++;
            }
        }
        Assert.Equal(sizes.Length * 5, cases);
    }

    [Theory]
    [InlineData("gzip", 9)]
    [InlineData("zstd", 3)]
    [InlineData("zstd", 19)]
    [InlineData("brotli", 5)]
    [InlineData("lz4", 0)]
    [InlineData("lz4", 9)]
    [InlineData("lzma", 0)]
    [InlineData("lzma", 6)]
    public void EveryCompressorCompressesRedundancyAndIsDeterministic(string name, int level)
    {
        var spec = CompressorSpec.Parse(name, level);
        using var c = spec.Create();
        var repetitive = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("def f(x):\n    return x + 1\n", 100)));
        int first = c.CompressedLength(repetitive);
        Assert.True(first < repetitive.Length / 5, $"{spec}: {first} of {repetitive.Length}");
        Assert.Equal(first, c.CompressedLength(repetitive));
        Assert.StartsWith(name, c.Identity);
        Assert.Contains($"-{level}/", c.Identity);
    }

    [Theory]
    [InlineData("gzip", 10)]
    [InlineData("gzip", -1)]
    [InlineData("zstd", 0)]
    [InlineData("zstd", 23)]
    [InlineData("brotli", 12)]
    [InlineData("lz4", 1)]
    [InlineData("lzma", 10)]
    public void InvalidLevelsAreRejected(string name, int level) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CompressorSpec.Parse(name, level));

    [Fact]
    public void UnknownCompressorIsRejectedWithTheValidNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => CompressorSpec.Parse("bzip2"));
        Assert.Contains("gzip", ex.Message);
    }

    [Fact]
    public void ParseReadsNameAndLevel()
    {
        Assert.Equal(new CompressorSpec(CompressorKind.Zstd, 19), CompressorSpec.Parse("zstd-19"));
        Assert.Equal(new CompressorSpec(CompressorKind.Gzip, 9), CompressorSpec.Parse("gzip"));
    }
}
