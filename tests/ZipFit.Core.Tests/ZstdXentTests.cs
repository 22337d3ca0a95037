using System.Text;
using ZipFit.Core.Scoring;
using ZipFit.Core.Scoring.Methods;

namespace ZipFit.Core.Tests;

public sealed class ZstdXentTests
{
    private static List<byte[]> Lines(string prefix, int n) =>
        Enumerable.Range(0, n).Select(i => Encoding.UTF8.GetBytes($"{prefix} {i}: return value * {i} + offset_{i}")).ToList();

    [Theory]
    [InlineData(1, 50, "target")]
    [InlineData(6, 50, "target")]
    [InlineData(20, 3, "background")]
    public void TooFewExamplesToTrainADictionaryIsSaidSo(int targets, int background, string set)
    {
        var options = new ZstdXentOptions { TargetDict = ZstdDictKind.Trained, BackgroundDict = ZstdDictKind.Trained };
        var ex = Assert.Throws<TooFewExamplesException>(() => ZstdXentMethod.Prepare(Lines("def t", targets), Lines("def b", background), options));
        Assert.Equal(set, ex.Set);
        Assert.Contains($"{set} examples", ex.Message);
    }

    [Fact]
    public void SevenOfEachAreEnough()
    {
        var options = new ZstdXentOptions { TargetDict = ZstdDictKind.Trained, BackgroundDict = ZstdDictKind.Trained };
        using var method = ZstdXentMethod.Prepare(Lines("def t", ZstdXentMethod.FewestExamplesToTrain), Lines("def b", ZstdXentMethod.FewestExamplesToTrain), options);
        using var scorer = method.CreateScorer();
        Assert.True(double.IsFinite(scorer.Score("def t 3: return value"u8)));
    }
}
