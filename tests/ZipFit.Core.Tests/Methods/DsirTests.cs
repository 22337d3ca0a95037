using System.Text;
using ZipFit.Core.Scoring.Methods;
using Xunit;

namespace ZipFit.Core.Tests.Methods;

public class DsirTests
{
    // expected values computed with Python: re.findall(r'\w+|[^\w\s]+', s.lower())
    [Theory]
    [InlineData("Hello, World!", new[] { "hello", ",", "world", "!" })]
    [InlineData("def foo_bar(x):\n    return x+=1 # ok", new[] { "def", "foo_bar", "(", "x", "):", "return", "x", "+=", "1", "#", "ok" })]
    [InlineData("Café ÜBER naïve ½x\u00a0y", new[] { "café", "über", "naïve", "½x", "y" })]
    [InlineData("a->b::c;;  \t\"q\"", new[] { "a", "->", "b", "::", "c", ";;", "\"", "q", "\"" })]
    [InlineData("x\u001fy\u0000z", new[] { "x", "y", "\u0000", "z" })]
    [InlineData("", new string[0])]
    [InlineData("   \n\t ", new string[0])]
    public void Tokenize_matches_python_wordpunct(string text, string[] expected)
    {
        Assert.Equal(expected, DsirFeaturizer.Tokenize(text));
    }

    // expected: int(hashlib.sha256(s.encode()).hexdigest(), 16) % 10000
    [Theory]
    [InlineData("hello", 7620)]
    [InlineData("def", 8372)]
    [InlineData("self . x", 6230)]
    [InlineData("(", 2841)]
    [InlineData("hello world", 1529)]
    public void Sha256_buckets_match_dsir(string ngram, int bucket)
    {
        Assert.Equal(bucket, DsirFeaturizer.BucketOf(ngram, 10000, DsirHash.Sha256));
    }

    [Theory]
    [InlineData(DsirHash.Sha256)]
    [InlineData(DsirHash.Fnv1a64)]
    public void Featurizer_emits_unigrams_and_space_joined_bigrams(DsirHash hash)
    {
        var f = new DsirFeaturizer(new DsirOptions { Hash = hash });
        var got = f.Buckets(Encoding.UTF8.GetBytes("Hello World, self.x"));
        // tokens: hello world , self . x -> unigram then bigram with previous token
        string[] tokens = { "hello", "world", ",", "self", ".", "x" };
        var expected = new List<int>();
        for (int i = 0; i < tokens.Length; i++)
        {
            expected.Add(DsirFeaturizer.BucketOf(tokens[i], 10000, hash));
            if (i > 0) expected.Add(DsirFeaturizer.BucketOf(tokens[i - 1] + " " + tokens[i], 10000, hash));
        }
        Assert.Equal(expected, got);
    }

    [Fact]
    public void Score_is_sum_of_log_ratios_and_min_length_excludes()
    {
        var target = new List<byte[]> { Encoding.UTF8.GetBytes("def f(x): return x") };
        var bg = new List<byte[]> { Encoding.UTF8.GetBytes("the cat sat on the mat") };
        var m = DsirMethod.Prepare(target, bg, new DsirOptions { TargetLaplace = 1, BackgroundLaplace = 1 });
        var logDiff = m.GetLogDiff();
        var text = Encoding.UTF8.GetBytes("def g(y): return y");
        var buckets = new DsirFeaturizer(m.Options).Buckets(text);
        double expected = buckets.Sum(b => logDiff[b]);
        using var s = m.CreateScorer();
        Assert.Equal(expected, s.Score(text), 9);
        Assert.True(s.Score(text) > s.Score(Encoding.UTF8.GetBytes("the cat sat on a mat")));

        var m2 = DsirMethod.Prepare(target, bg, new DsirOptions { MinExampleTokens = 100 });
        using var s2 = m2.CreateScorer();
        Assert.Equal(ScoreConstants.Excluded, s2.Score(text));
        Assert.Equal(ScoreConstants.Excluded, s.Score(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Identity_lists_parameters()
    {
        var m = DsirMethod.Prepare(Fixture.Target, Fixture.Background, new DsirOptions { MinExampleTokens = 100 });
        Assert.Contains("minTokens=100", m.Identity);
        Assert.Contains("buckets=10000", m.Identity);
        Assert.Contains("bg=200", m.Identity);
    }
}
