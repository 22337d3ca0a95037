using System.Text;
using ZipFit.Core.Scoring.Methods;
using Xunit;

namespace ZipFit.Core.Tests.Methods;

/// <summary>The hot loops' fast forms against the plain forms they replace, on real text and on random bytes.</summary>
public class FastPathTests
{
    private static IEnumerable<byte[]> Texts()
    {
        foreach (var (_, text, _) in Fixtures.Read(Fixtures.SourcePath).Concat(Fixtures.Read(Fixtures.TargetPath)))
        {
            yield return Encoding.UTF8.GetBytes(text);
        }
        var random = new Random(7);
        for (int i = 0; i < 300; i++)
        {
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            if (i % 3 == 0)
            {
                // mostly ASCII with some multi-byte runes and capitals, as real text is
                for (int j = 0; j < bytes.Length; j++) bytes[j] = (byte)(bytes[j] % 3 == 0 ? 'A' + bytes[j] % 26 : 32 + bytes[j] % 95);
                bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes) + "Ünïcödé ½ Kx \u00a0 ΣΑΣ");
            }
            yield return bytes;
        }
    }

    [Fact]
    public void SkeletonMapEqualsTheStepByStepSkeleton()
    {
        int checkedTexts = 0;
        foreach (var text in Texts())
        {
            var expected = new List<byte>();
            bool inWord = false;
            foreach (byte b in text)
            {
                if (SyntaxSkeleton.Step(b, ref inWord, out byte symbol)) expected.Add(symbol);
            }
            Assert.Equal(expected.ToArray(), SyntaxSkeleton.Map(text));
            checkedTexts++;
        }
        Assert.True(checkedTexts > 500);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DsirFnvPathGivesTheGeneralPathsBuckets(int ngrams)
    {
        var featurizer = new DsirFeaturizer(new DsirOptions { Hash = DsirHash.Fnv1a64, NGrams = ngrams });
        int nonEmpty = 0;
        foreach (var text in Texts())
        {
            var general = featurizer.BucketsByGeneralPath(text);
            Assert.Equal(general, featurizer.Buckets(text));
            nonEmpty += general.Count > 0 ? 1 : 0;
        }
        Assert.True(nonEmpty > 400);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DsirAsciiPathGivesTheGeneralPathsBucketsAcrossChunkEdges(int ngrams)
    {
        // The ASCII path hashes 1,024-byte chunks before emitting their tokens: tokens and whitespace runs straddling
        // chunk edges, texts ending inside a token or in whitespace, and every ASCII byte (controls included).
        var featurizer = new DsirFeaturizer(new DsirOptions { Hash = DsirHash.Fnv1a64, NGrams = ngrams });
        var random = new Random(11);
        const string alphabet = "aZ_9 \t\n(),.:;=+-*/#\"'{}[]xyQ";
        int ascii = 0;
        for (int i = 0; i < 400; i++)
        {
            var bytes = new byte[i < 100 ? 1000 + i : random.Next(0, 5000)];
            for (int j = 0; j < bytes.Length; j++)
            {
                bytes[j] = i % 4 == 0 ? (byte)random.Next(0, 128) : (byte)alphabet[random.Next(alphabet.Length)];
            }
            if (i % 5 == 1)
            {
                // one long word over the first chunk edge
                bytes.AsSpan(Math.Min(bytes.Length, 1000), Math.Max(0, Math.Min(bytes.Length, 1050) - Math.Min(bytes.Length, 1000))).Fill((byte)'w');
            }
            Assert.True(System.Text.Ascii.IsValid(bytes));
            Assert.Equal(featurizer.BucketsByGeneralPath(bytes), featurizer.Buckets(bytes));
            ascii++;
        }
        foreach (var text in Texts().Where(t => System.Text.Ascii.IsValid(t)))
        {
            Assert.Equal(featurizer.BucketsByGeneralPath(text), featurizer.Buckets(text));
            ascii++;
        }
        Assert.True(ascii > 600, $"{ascii} ASCII texts");
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(3u)]
    [InlineData(7u)]
    [InlineData(10_000u)]
    [InlineData(65_536u)]
    [InlineData(1_000_003u)]
    [InlineData(2_147_483_647u)]
    [InlineData(4_294_967_295u)]
    public void FastModulusGivesTheRemainder(uint divisor)
    {
        var modulus = new FastModulus(divisor);
        var random = new Random((int)(divisor % int.MaxValue));
        var edges = new List<ulong> { 0, 1, divisor - 1, divisor, divisor + 1UL, ulong.MaxValue, ulong.MaxValue - 1, 1UL << 63, (1UL << 63) - 1 };
        for (ulong m = 1; m < 64; m++) edges.Add(ulong.MaxValue / divisor * divisor - m);
        foreach (ulong h in edges) Assert.Equal((int)(h % divisor), modulus.Of(h));
        for (int i = 0; i < 200_000; i++)
        {
            ulong h = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 62);
            Assert.Equal((int)(h % divisor), modulus.Of(h));
        }
    }

    [Theory]
    [InlineData(MixtureView.Skeleton, 4)]
    [InlineData(MixtureView.Skeleton, 3)]
    [InlineData(MixtureView.Bytes, 4)]
    public void HigherOrderRegisterRowsGiveTheSameSumsAsTheGeneralLoop(MixtureView view, int order)
    {
        var method = MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, MixtureXentOptions.Default with { View = view, ScoreOrder = order });
        Assert.Equal(16, method.RowWidth);
        var general = new float[16];
        var registers = new float[16];
        int compared = 0;
        foreach (var raw in Texts())
        {
            var text = view == MixtureView.Skeleton ? SyntaxSkeleton.Map(raw) : raw;
            Array.Clear(general);
            Array.Clear(registers);
            method.AccumulateHigherOrderRows(text, general);
            method.AccumulateHigherOrderTwoVectorRows(text, registers);
            for (int q = 0; q < 16; q++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(general[q]), BitConverter.SingleToInt32Bits(registers[q]));
            }
            compared += text.Length > 0 ? 1 : 0;
        }
        Assert.True(compared > 500);
    }

    [Fact]
    public void RegisterRowsGiveTheSameSumsAsTheGeneralLoop()
    {
        var method = MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, MixtureXentOptions.Default);
        Assert.Equal(16, method.RowWidth);
        var general = new float[16];
        var registers = new float[16];
        var byHash = new float[16];
        int compared = 0;
        foreach (var text in Texts())
        {
            Array.Clear(general);
            Array.Clear(registers);
            MixtureXentMethod.Scorer.AccumulateRows(method, text, general);
            MixtureXentMethod.Scorer.AccumulateTwoVectorRows(method, text, registers);
            MixtureXentMethod.Scorer.AccumulateTwoVectorRowsByHash(method, text, byHash);
            for (int q = 0; q < 16; q++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(general[q]), BitConverter.SingleToInt32Bits(registers[q]));
                Assert.Equal(BitConverter.SingleToInt32Bits(general[q]), BitConverter.SingleToInt32Bits(byHash[q]));
            }
            compared++;
        }
        Assert.True(compared > 500);
    }
    [Theory]
    [InlineData(MixtureView.Bytes)]
    [InlineData(MixtureView.Skeleton)]
    public void TheContextIndexGivesTheHashTablesScores(MixtureView view)
    {
        // Rows in key order found through the context index, against rows in first-seen order through the hash table:
        // the whole scorer, bit for bit (an order-2 skeleton view too, whose alphabet differs).
        var target = Fixtures.TargetBytes();
        var sample = Texts().Where(t => t.Length > 0).Take(400).ToList();
        var options = MixtureXentOptions.Default with { View = view };
        var hashed = MixtureXentMethod.Prepare(target, sample, options with { ContextIndex = false });
        var indexed = MixtureXentMethod.Prepare(target, sample, options);
        Assert.Equal(hashed.Identity, indexed.Identity);
        using var a = hashed.CreateScorer();
        using var b = indexed.CreateScorer();
        int scored = 0;
        foreach (var text in Texts())
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(a.Score(text)), BitConverter.DoubleToInt64Bits(b.Score(text)));
            scored++;
        }
        Assert.True(scored > 500);
    }

    [Theory]
    [InlineData(MixtureView.Bytes, 2)]
    [InlineData(MixtureView.Skeleton, 4)]
    public void HardEmRebuildingInThePreviousTablesGivesTheSameModel(MixtureView view, int order)
    {
        var target = Fixtures.TargetBytes();
        var sample = Texts().Where(t => t.Length > 0).Take(400).ToList();
        var options = MixtureXentOptions.Default with { View = view, ScoreOrder = order, EmIterations = 3 };
        var fresh = MixtureXentMethod.Prepare(target, sample, options with { ReuseEmTables = false });
        var reused = MixtureXentMethod.Prepare(target, sample, options);
        Assert.Equal(fresh.Assignment(), reused.Assignment());
        Assert.Equal(fresh.Identity, reused.Identity);
        using var a = fresh.CreateScorer();
        using var b = reused.CreateScorer();
        int scored = 0;
        foreach (var text in Texts())
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(a.Score(text)), BitConverter.DoubleToInt64Bits(b.Score(text)));
            scored++;
        }
        Assert.True(scored > 500);
    }
}
