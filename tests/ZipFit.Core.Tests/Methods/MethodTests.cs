using System.Text;
using ZipFit.Core.Scoring;
using ZipFit.Core.Scoring.Methods;
using Xunit;

namespace ZipFit.Core.Tests.Methods;

public class MethodTests
{
    public static IEnumerable<object[]> Methods()
    {
        yield return new object[] { "dsir" };
        yield return new object[] { "dsir-sha" };
        yield return new object[] { "zstd-raw" };
        yield return new object[] { "zstd-trained" };
        yield return new object[] { "zstd-rawent-nodict" };
        yield return new object[] { "cm" };
        yield return new object[] { "cm-mix" };
        yield return new object[] { "cm-mix-mv" };
        yield return new object[] { "cm-mix-mv-own-words" };
        yield return new object[] { "cm-mix-skel" };
        yield return new object[] { "cm-mix-order3" };
        yield return new object[] { "cm-mix-skel-order4" };
    }

    internal static IScoringMethod Make(string name) => name switch
    {
        "dsir" => DsirMethod.Prepare(Fixture.Target, Fixture.Background, new DsirOptions()),
        "dsir-sha" => DsirMethod.Prepare(Fixture.Target, Fixture.Background, new DsirOptions { Hash = DsirHash.Sha256, TargetLaplace = 1, BackgroundLaplace = 1 }),
        "zstd-raw" => ZstdXentMethod.Prepare(Fixture.Target, Fixture.Background, new ZstdXentOptions { DictBytes = 32 * 1024 }),
        "zstd-trained" => ZstdXentMethod.Prepare(Fixture.Target, Fixture.Background,
            new ZstdXentOptions { DictBytes = 16 * 1024, TargetDict = ZstdDictKind.Trained, BackgroundDict = ZstdDictKind.Trained }),
        "zstd-rawent-nodict" => ZstdXentMethod.Prepare(Fixture.Target, Fixture.Background,
            new ZstdXentOptions { DictBytes = 32 * 1024, TargetDict = ZstdDictKind.RawWithEntropy, Baseline = ZstdXentBaseline.NoDictionary }),
        "cm" => ContextXentMethod.Prepare(Fixture.Target, Fixture.Background, new ContextXentOptions { Order = 3, HashBits = 18 }),
        "cm-mix" => MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, Fixture.SmallMixture),
        "cm-mix-mv" => MultiViewXentMethod.Prepare(Fixture.Target, Fixture.Background, new MultiViewXentOptions { Mix = Fixture.SmallMixture, SkeletonWeight = 0.5, SharedPartition = true, WordWeight = 0 }),
        "cm-mix-mv-own-words" => MultiViewXentMethod.Prepare(Fixture.Target, Fixture.Background, new MultiViewXentOptions
        {
            Mix = Fixture.SmallMixture, SkeletonWeight = 1, SharedPartition = false, WordWeight = 0.15,
        }),
        "cm-mix-skel" => MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, Fixture.SmallMixture with { View = MixtureView.Skeleton }),
        "cm-mix-order3" => MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background, Fixture.SmallMixture with { ScoreOrder = 3 }),
        "cm-mix-skel-order4" => MixtureXentMethod.Prepare(Fixture.Target, Fixture.Background,
            Fixture.SmallMixture with { View = MixtureView.Skeleton, ScoreOrder = 4 }),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void Scores_are_identical_across_thread_counts_and_repeats(string name)
    {
        var m = Make(name);
        var pool = Fixture.Pool;
        var s1 = Fixture.ScoreAll(m, pool, 1);
        var s2 = Fixture.ScoreAll(m, pool, 2);
        var s4 = Fixture.ScoreAll(m, pool, 4);
        Assert.Equal(s1, s2);
        Assert.Equal(s1, s4);
        // a second, independently prepared instance gives the same scores and identity
        var m2 = Make(name);
        Assert.Equal(m.Identity, m2.Identity);
        Assert.Equal(s1, Fixture.ScoreAll(m2, pool, 2));
        Assert.All(s1, v => Assert.False(double.IsNaN(v)));
        (m as IDisposable)?.Dispose();
        (m2 as IDisposable)?.Dispose();
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Python_target_ranks_python_first_on_the_fixture(string name)
    {
        var m = Make(name);
        var pool = Fixture.Pool;
        var s = Fixture.ScoreAll(m, pool, 2);
        double p10 = Fixture.PrecisionAt(s, pool, "python", 10);
        double p40 = Fixture.PrecisionAt(s, pool, "python", 40);
        // 20% of the fixture pool is python: chance level is 0.2
        Assert.True(p10 >= 0.8, $"{name}: p@10 = {p10}");
        Assert.True(p40 >= 0.4, $"{name}: p@40 = {p40}");
        (m as IDisposable)?.Dispose();
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Empty_input_is_excluded_and_scorer_is_reusable(string name)
    {
        var m = Make(name);
        using var s = m.CreateScorer();
        Assert.Equal(ScoreConstants.Excluded, s.Score(ReadOnlySpan<byte>.Empty));
        var big = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("def f(x):\n    return x + 1\n", 20000))); // > 64 KiB: buffers grow
        double a = s.Score(big);
        double b = s.Score(Fixture.Pool[0].Bytes);
        using var fresh = m.CreateScorer();
        Assert.Equal(b, fresh.Score(Fixture.Pool[0].Bytes));
        Assert.Equal(a, fresh.Score(big));
        (m as IDisposable)?.Dispose();
    }

    [Fact]
    public void Zstd_scorer_outlives_disposed_method()
    {
        var m = ZstdXentMethod.Prepare(Fixture.Target, Fixture.Background, new ZstdXentOptions { DictBytes = 32 * 1024 });
        using var s = m.CreateScorer();
        double before = s.Score(Fixture.Pool[3].Bytes);
        m.Dispose(); // native dictionaries stay alive while a scorer holds them
        Assert.Equal(before, s.Score(Fixture.Pool[3].Bytes));
    }

    [Fact]
    public void Zstd_scoring_allocates_nothing_per_example()
    {
        var m = ZstdXentMethod.Prepare(Fixture.Target, Fixture.Background, new ZstdXentOptions { DictBytes = 32 * 1024 });
        using var s = m.CreateScorer();
        foreach (var e in Fixture.Pool) s.Score(e.Bytes); // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var e in Fixture.Pool) s.Score(e.Bytes);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        m.Dispose();
    }

    [Theory]
    [InlineData("dsir")]
    [InlineData("dsir-sha")]
    [InlineData("cm")]
    [InlineData("cm-mix")]
    [InlineData("cm-mix-mv")]
    [InlineData("cm-mix-mv-own-words")]
    [InlineData("cm-mix-skel")]
    public void Managed_scoring_allocates_nothing_per_example(string name)
    {
        var m = Make(name);
        using var s = m.CreateScorer();
        foreach (var e in Fixture.Pool) s.Score(e.Bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var e in Fixture.Pool) s.Score(e.Bytes);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Whitespace_folding()
    {
        var src = Encoding.UTF8.GetBytes("a  b\n    c\t\r\nd ");
        Assert.Equal("a b c d ", Encoding.UTF8.GetString(WhitespaceFolder.Fold(src, WhitespaceFolding.Collapse)));
        Assert.Equal("a b\nc\nd ", Encoding.UTF8.GetString(WhitespaceFolder.Fold(src, WhitespaceFolding.CollapseKeepNewlines)));
        Assert.Same(src, WhitespaceFolder.Fold(src, WhitespaceFolding.None));
    }

    [Fact]
    public void Raw_dictionary_puts_first_examples_last_and_respects_budget()
    {
        var ex = new List<byte[]> { "AAAA"u8.ToArray(), "BBBB"u8.ToArray(), "CCCC"u8.ToArray() };
        Assert.Equal("CCCCBBBBAAAA", Encoding.ASCII.GetString(ZstdDictionary.BuildRawContent(ex, 1000)));
        Assert.Equal("BBAAAA", Encoding.ASCII.GetString(ZstdDictionary.BuildRawContent(ex, 6)));
    }
}
