using ZipFit.Core.Selection;

namespace ZipFit.Core.Tests;

public class TopSelectorTests
{
    [Fact]
    public void KeepsTheBestKBestFirstWithTiesInInputOrder()
    {
        var top = new TopSelector<string>(3, null);
        top.Add(0.5, "a");
        top.Add(0.9, "b");
        top.Add(0.5, "c");
        top.Add(0.1, "d");
        top.Add(0.5, "e");
        Assert.Equal(new[] { "b", "a", "c" }, top.Result().Select(r => r.Item));
    }

    [Fact]
    public void MinScoreAloneKeepsAllAtOrAboveIt()
    {
        var top = new TopSelector<int>(null, 0.5);
        foreach (var (s, i) in new[] { (0.4, 1), (0.5, 2), (0.7, 3), (double.NaN, 4) })
        {
            top.Add(s, i);
        }
        Assert.Equal(new[] { 3, 2 }, top.Result().Select(r => r.Item));
    }

    [Fact]
    public void TopAndMinScoreTogether()
    {
        var top = new TopSelector<int>(2, 0.3);
        foreach (var (s, i) in new[] { (0.2, 1), (0.35, 2), (0.9, 3), (0.8, 4) })
        {
            top.Add(s, i);
        }
        Assert.Equal(new[] { 3, 4 }, top.Result().Select(r => r.Item));
    }

    [Fact]
    public void MatchesAFullSortOnRandomInput()
    {
        var random = new Random(42);
        var scores = Enumerable.Range(0, 5000).Select(_ => Math.Round(random.NextDouble(), 2)).ToArray();
        var top = new TopSelector<int>(100, null);
        for (int i = 0; i < scores.Length; i++)
        {
            top.Add(scores[i], i);
        }
        var expected = scores.Select((s, i) => (s, i)).OrderByDescending(p => p.s).ThenBy(p => p.i).Take(100).Select(p => p.i);
        Assert.Equal(expected, top.Result().Select(r => r.Item));
    }

    [Fact]
    public void RejectsKBelowOne() => Assert.Throws<ArgumentOutOfRangeException>(() => new TopSelector<int>(0, null));
}
