using ZipFit.Core.Reporting;

namespace ZipFit.Core.Tests;

public class ReportTests
{
    [Fact]
    public void HistogramKeepsEveryCountWhenTheRangeGrowsBothWays()
    {
        var h = new AdaptiveHistogram(64);
        var random = new Random(3);
        var values = new List<double>();
        // The warm-up sees a narrow range; later values lie far outside it on both sides.
        for (int i = 0; i < 1024; i++)
        {
            values.Add(random.NextDouble());
        }
        for (int i = 0; i < 5000; i++)
        {
            values.Add((random.NextDouble() - 0.5) * 1000);
        }
        foreach (double v in values)
        {
            h.Add(v);
        }
        var bins = h.Bins();
        Assert.Equal(values.Count, bins.Sum(b => b.Count));
        Assert.True(bins[0].Low <= values.Min());
        Assert.True(bins[^1].Low + bins[^1].Width > values.Max());
        // Each value counted in the bin that holds it.
        foreach (var (low, width, count) in bins)
        {
            Assert.Equal(values.Count(v => v >= low && v < low + width), count);
        }
    }

    [Fact]
    public void BestWorstAndCutFollowTheTopSelectorOrder()
    {
        var report = new ReportBuilder(top: 25, minScore: null, grouped: true);
        for (int i = 0; i < 100; i++)
        {
            // Scores with ties: i % 40; input order breaks them.
            report.Add($"id{i}", $"f:{i + 1}", i % 40, 10 + i, $"text {i}", i % 2 == 0 ? "even" : "odd", "m");
        }
        var ranked = Enumerable.Range(0, 100).OrderByDescending(i => i % 40).ThenBy(i => i).Select(i => $"id{i}").ToList();
        Assert.Equal(ranked.Take(20), report.Best.Select(e => e.Id));
        Assert.Equal(ranked.TakeLast(20), report.Worst.Select(e => e.Id));
        var (items, kept) = report.AtCut;
        Assert.Equal(ranked.Skip(15).Take(20), items.Select(e => e.Id));
        Assert.Equal(10, kept);
        Assert.Equal(25, report.SelectedCount);
        Assert.Equal(int.Parse(ranked[24][2..]) % 40, report.CutScore);
        var groups = report.Groups.ToDictionary(g => g.Group);
        Assert.Equal(50, groups["even"].Pool);
        Assert.Equal(ranked.Take(25).Count(id => int.Parse(id[2..]) % 2 == 0), groups["even"].Selected);
    }

    [Fact]
    public void CorrelationIsPearsonOfScoreAndLogBytes()
    {
        var report = new ReportBuilder(null, null, false);
        double[] bytes = [10, 100, 1000, 10000];
        double[] scores = [1, 2, 2.5, 5];
        for (int i = 0; i < 4; i++)
        {
            report.Add($"{i}", "", scores[i], (long)bytes[i], "", null, "m");
        }
        double[] x = bytes.Select(Math.Log10).ToArray();
        double mx = x.Average(), my = scores.Average();
        double r = x.Zip(scores, (a, b) => (a - mx) * (b - my)).Sum()
            / Math.Sqrt(x.Sum(a => (a - mx) * (a - mx)) * scores.Sum(b => (b - my) * (b - my)));
        Assert.Equal(r, report.Correlation, 12);
    }

    [Fact]
    public void RenderedPageEscapesDataAndHasNoScript()
    {
        var report = new ReportBuilder(1, null, true);
        report.Add("<script>alert(1)</script>", "a.jsonl:1", 0.5, 30, "<b>x</b>", "<i>g</i>", "m");
        string html = HtmlReport.Render(report, "<t>", "<grp>", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>x", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>g", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "<svg").Count);
    }
}
