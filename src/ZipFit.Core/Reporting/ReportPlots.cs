using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace ZipFit.Core.Reporting;

/// <summary>The report's plots, drawn by OxyPlot and exported as inline SVG elements (pure managed; no fonts or natives needed).</summary>
internal static class ReportPlots
{
    public const double Width = 1100;
    public const double Height = 380;

    private static readonly OxyColor Bar = OxyColor.FromRgb(0x4c, 0x78, 0xa8);
    private static readonly OxyColor Cut = OxyColor.FromRgb(0xd6, 0x27, 0x28);

    /// <summary>A histogram of the scores, with the cut as a vertical line.</summary>
    public static string Histogram(IReadOnlyList<(double Low, double Width, long Count)> bins, double? cut, string cutLabel)
    {
        var model = NewModel();
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "score", MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "examples", Minimum = 0, MajorGridlineStyle = LineStyle.Dot, MinimumPadding = 0, AbsoluteMinimum = 0 });
        var series = new HistogramSeries { FillColor = Bar, StrokeColor = OxyColors.White, StrokeThickness = 0.5 };
        foreach (var (low, width, count) in bins)
        {
            series.Items.Add(new HistogramItem(low, low + width, count * width, (int)Math.Min(count, int.MaxValue)));
        }
        model.Series.Add(series);
        AddCut(model, cut, LineAnnotationType.Vertical, 2, cutLabel);
        return Export(model);
    }

    /// <summary>Score against length in bytes (log scale), one point per sampled example.</summary>
    public static string Scatter(ReadOnlySpan<(double Bytes, double Score)> points, double? cut)
    {
        var model = NewModel();
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Bottom, Title = "length (UTF-8 bytes, log scale)", MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "score", MajorGridlineStyle = LineStyle.Dot });
        var series = new ScatterSeries
        {
            MarkerType = MarkerType.Circle,
            MarkerSize = 2,
            MarkerFill = OxyColor.FromAColor(110, Bar),
            MarkerStroke = OxyColors.Undefined,
        };
        foreach (var (bytes, score) in points)
        {
            series.Points.Add(new ScatterPoint(bytes, score));
        }
        model.Series.Add(series);
        AddCut(model, cut, LineAnnotationType.Horizontal, 1.5, "cut");
        return Export(model);
    }

    /// <summary>The cut as a dashed line at the score <paramref name="cut"/> (none when there is no finite cut).</summary>
    private static void AddCut(PlotModel model, double? cut, LineAnnotationType type, double thickness, string label)
    {
        if (cut is not { } c || !double.IsFinite(c))
        {
            return;
        }
        var line = new LineAnnotation { Type = type, Color = Cut, StrokeThickness = thickness, LineStyle = LineStyle.Dash, Text = label, TextColor = Cut };
        if (type == LineAnnotationType.Vertical)
        {
            line.X = c;
        }
        else
        {
            line.Y = c;
        }
        model.Annotations.Add(line);
    }

    private static PlotModel NewModel() => new()
    {
        Background = OxyColors.White,
        PlotAreaBorderColor = OxyColor.FromRgb(0x99, 0x99, 0x99),
        DefaultFont = "Arial",
        DefaultFontSize = 12,
        Padding = new OxyThickness(8),
    };

    private static string Export(PlotModel model)
    {
        string svg = SvgExporter.ExportToString(model, Width, Height, false);
        // Inline in HTML: the element alone, without the XML declaration the exporter writes first.
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? svg[start..] : svg;
    }
}
