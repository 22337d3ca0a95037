using System.Globalization;
using System.Net;
using System.Text;

namespace ZipFit.Core.Reporting;

/// <summary>
/// Renders a <see cref="ReportBuilder"/> as one self-contained HTML page: styles inline, plots as inline
/// SVG, no script, no external resource. Every text that comes from the data is HTML-escaped.
/// </summary>
public static class HtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private const string Style = """
        body{font-family:Arial,Helvetica,sans-serif;margin:24px auto;max-width:1140px;color:#222;background:#fff}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
        table{border-collapse:collapse;font-size:13px;width:100%}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
        th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        td.preview{font-family:Consolas,Menlo,monospace;font-size:12px;word-break:break-all}
        tr.cut td{border-top:3px solid #d62728}table.facts{width:auto}table.facts th{text-align:left;font-weight:normal;color:#555}
        figure{margin:0}figure svg{max-width:100%;height:auto}p.note{color:#555;font-size:13px}p.empty{font-size:16px;padding:16px;background:#fff6e0;border:1px solid #e8c26a}
        """;

    /// <summary>Writes the report to <paramref name="path"/> through a temporary file beside it, renamed into place when complete.</summary>
    public static void WriteFile(string path, ReportBuilder report, string title, string? groupBy, DateTimeOffset started, bool overwrite)
    {
        string html = Render(report, title, groupBy, started, DateTimeOffset.UtcNow);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        string temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".zipfit-tmp");
        try
        {
            File.WriteAllText(temp, html, new UTF8Encoding(false));
            File.Move(temp, full, overwrite);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public static string Render(ReportBuilder report, string title, string? groupBy, DateTimeOffset started, DateTimeOffset finished)
    {
        var h = new StringBuilder(64 * 1024);
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
        h.Append("<meta name=\"generator\" content=\"ZipFit Export-ZipFitReport\">\n");
        h.Append("<title>").Append(E(title)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n");
        h.Append("<h1>").Append(E(title)).Append("</h1>\n");
        h.Append("<p class=\"note\">Generated ").Append(E(finished.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Inv)))
         .Append(" by ZipFit Export-ZipFitReport in ").Append(E((finished - started).TotalSeconds.ToString("F1", Inv))).Append(" s.</p>\n");

        if (report.Count == 0)
        {
            h.Append("<p class=\"empty\" id=\"empty\">No scored examples were given: there is nothing to show.</p>\n");
            Facts(h, report, groupBy);
            h.Append("</body>\n</html>\n");
            return h.ToString();
        }

        Facts(h, report, groupBy);
        Methods(h, report);

        double? cut = report.CutScore;
        h.Append("<h2 id=\"distribution\">Distribution of scores</h2>\n");
        if (report.FiniteCount > 0)
        {
            string cutLabel = cut is { } c ? "cut " + c.ToString("G6", Inv) : "";
            h.Append("<figure id=\"histogram\" class=\"plot\">").Append(ReportPlots.Histogram(report.Histogram, cut, cutLabel)).Append("</figure>\n");
            if (report.HasCut)
            {
                h.Append("<p class=\"note\">The dashed line is the cut: ").Append(E(CutRule(report))).Append(".</p>\n");
            }
        }
        else
        {
            h.Append("<p class=\"note\">No score is a finite number: nothing to plot.</p>\n");
        }

        h.Append("<h2 id=\"length-bias\">Score against length</h2>\n");
        if (report.FiniteCount > 0)
        {
            h.Append("<figure id=\"scatter\" class=\"plot\">").Append(ReportPlots.Scatter(report.Scatter, cut)).Append("</figure>\n");
            double r = report.Correlation;
            h.Append("<p class=\"note\" id=\"correlation\">Pearson correlation between the score and log<sub>10</sub>(bytes) over ")
             .Append(report.FiniteCount.ToString("N0", Inv)).Append(" examples: <strong>r = ")
             .Append(double.IsNaN(r) ? "n/a" : r.ToString("F3", Inv)).Append("</strong>");
            if (report.FiniteCount > ReportBuilder.ScatterCapacity)
            {
                h.Append(" (the plot shows a uniform sample of ").Append(ReportBuilder.ScatterCapacity.ToString("N0", Inv)).Append(" points)");
            }
            h.Append(". A strong correlation means the score mostly tracks length.</p>\n");
        }

        if (groupBy is not null)
        {
            Groups(h, report, groupBy);
        }

        Examples(h, "best", $"The best {ReportBuilder.ShownCount}", report.Best, -1);
        if (report.HasCut)
        {
            var (items, kept) = report.AtCut;
            Examples(h, "at-cut", $"At the cut ({CutRule(report)})", items, kept);
        }
        Examples(h, "worst", $"The worst {ReportBuilder.ShownCount}", report.Worst, -1);

        if (report.Methods.Count > 1)
        {
            Overlap(h, report);
        }
        h.Append("</body>\n</html>\n");
        return h.ToString();
    }

    private static string CutRule(ReportBuilder report)
    {
        var parts = new List<string>();
        if (report.Top is { } k)
        {
            parts.Add("the best " + k.ToString("N0", Inv));
        }
        if (report.MinScore is { } m)
        {
            parts.Add("score ≥ " + m.ToString("G6", Inv));
        }
        return string.Join(", ", parts) + "; " + report.SelectedCount.ToString("N0", Inv) + " selected";
    }

    private static void Facts(StringBuilder h, ReportBuilder report, string? groupBy)
    {
        h.Append("<h2 id=\"summary\">Summary</h2>\n<table class=\"facts\" id=\"facts\">\n");
        Row(h, "Examples", report.Count.ToString("N0", Inv));
        Row(h, "With a finite score", report.FiniteCount.ToString("N0", Inv));
        Row(h, "Cut", report.HasCut ? CutRule(report) : "none (give -Top or -MinScore)");
        Row(h, "Selected", report.SelectedCount.ToString("N0", Inv));
        if (report.FiniteCount > 0)
        {
            Row(h, "Score range", report.MinimumScore.ToString("G6", Inv) + " … " + report.MaximumScore.ToString("G6", Inv));
        }
        if (report.CutScore is { } c && report.SelectedCount > 0)
        {
            Row(h, "Score at the cut", c.ToString("G6", Inv));
        }
        if (groupBy is not null)
        {
            Row(h, "Grouped by", groupBy);
        }
        h.Append("</table>\n");
    }

    private static void Row(StringBuilder h, string name, string value) =>
        h.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");

    private static void Methods(StringBuilder h, ReportBuilder report)
    {
        h.Append("<h2 id=\"methods\">Method identities</h2>\n<table id=\"method-table\">\n<tr><th>Method / compressor identity</th><th>Examples</th></tr>\n");
        foreach (var (method, count) in report.Methods.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            h.Append("<tr><td>").Append(E(method.Length == 0 ? "(unknown: re-imported scores)" : method)).Append("</td><td class=\"num\">")
             .Append(count.ToString("N0", Inv)).Append("</td></tr>\n");
        }
        h.Append("</table>\n");
        if (report.Methods.Count > 1)
        {
            h.Append("<p class=\"note\">The input mixes several methods: the plots and tables rank their scores together; see the overlap at the end.</p>\n");
        }
    }

    private static void Groups(StringBuilder h, ReportBuilder report, string groupBy)
    {
        h.Append("<h2 id=\"groups\">Counts per ").Append(E(groupBy)).Append("</h2>\n<table id=\"group-table\">\n")
         .Append("<tr><th>").Append(E(groupBy)).Append("</th><th>Pool</th><th>Share of pool</th><th>Selected</th><th>Share of selection</th></tr>\n");
        long pool = Math.Max(1, report.Count);
        long selected = Math.Max(1, report.SelectedCount);
        foreach (var (group, inPool, inSelection) in report.Groups)
        {
            h.Append("<tr><td>").Append(E(group.Length == 0 ? "(no value)" : group)).Append("</td>")
             .Append("<td class=\"num\">").Append(inPool.ToString("N0", Inv)).Append("</td>")
             .Append("<td class=\"num\">").Append(((double)inPool / pool).ToString("P1", Inv)).Append("</td>")
             .Append("<td class=\"num\">").Append(inSelection.ToString("N0", Inv)).Append("</td>")
             .Append("<td class=\"num\">").Append(((double)inSelection / selected).ToString("P1", Inv)).Append("</td></tr>\n");
        }
        h.Append("</table>\n");
    }

    private static void Examples(StringBuilder h, string id, string heading, IReadOnlyList<ShownExample> items, int cutAfter)
    {
        h.Append("<h2 id=\"").Append(id).Append("-heading\">").Append(E(heading)).Append("</h2>\n");
        if (items.Count == 0)
        {
            h.Append("<p class=\"note\">None.</p>\n");
            return;
        }
        if (cutAfter >= 0)
        {
            h.Append("<p class=\"note\">The red line separates the last example selected from the first one left out.</p>\n");
        }
        h.Append("<table class=\"examples\" id=\"").Append(id).Append("\">\n<tr><th>Id</th><th>Source</th><th>Score</th><th>Bytes</th><th>Preview</th></tr>\n");
        for (int i = 0; i < items.Count; i++)
        {
            var e = items[i];
            h.Append(i == cutAfter && i > 0 ? "<tr class=\"cut\">" : "<tr>")
             .Append("<td>").Append(E(e.Id)).Append("</td>")
             .Append("<td>").Append(E(e.Source)).Append("</td>")
             .Append("<td class=\"num\">").Append(E(e.Score.ToString("F6", Inv))).Append("</td>")
             .Append("<td class=\"num\">").Append(e.Bytes.ToString("N0", Inv)).Append("</td>")
             .Append("<td class=\"preview\">").Append(E(e.Preview)).Append("</td></tr>\n");
        }
        h.Append("</table>\n");
    }

    private static void Overlap(StringBuilder h, ReportBuilder report)
    {
        h.Append("<h2 id=\"overlap-heading\">Overlap of the methods at K = ").Append(report.OverlapK.ToString("N0", Inv)).Append("</h2>\n")
         .Append("<table id=\"overlap\">\n<tr><th>Method A</th><th>Method B</th><th>Shared ids in both best K</th><th>Overlap</th></tr>\n");
        foreach (var (a, b, shared, sizeA, sizeB) in report.Overlap)
        {
            int k = Math.Max(1, Math.Min(sizeA, sizeB));
            h.Append("<tr><td>").Append(E(a)).Append("</td><td>").Append(E(b)).Append("</td><td class=\"num\">")
             .Append(shared.ToString("N0", Inv)).Append("</td><td class=\"num\">").Append(((double)shared / k).ToString("P1", Inv)).Append("</td></tr>\n");
        }
        h.Append("</table>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
