using System.Globalization;
using System.Management.Automation;
using ZipFit.Core.Data;
using ZipFit.Core.Reporting;

namespace ZipFit.Commands;

/// <summary>
/// Writes one self-contained HTML report of scored examples: the distribution of scores and the cut,
/// score against length, counts per group, the best, borderline and worst examples, and the method
/// identities. The input is streamed, not held.
/// </summary>
[Cmdlet(VerbsData.Export, "ZipFitReport", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportZipFitReportCommand : FileWriterCmdlet
{
    private ReportBuilder? _report;
    private DateTimeOffset _started;

    /// <summary>The cut: the best K, as Select-ZipFitTop -Top.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Top { get; set; }

    /// <summary>The cut: scores at or above this, as Select-ZipFitTop -MinScore.</summary>
    [Parameter]
    public double MinScore { get; set; }

    /// <summary>A field of the records (e.g. domain) to count the pool and the selection by.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GroupBy { get; set; }

    /// <summary>The report's title.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = "ZipFit selection report";

    protected override void BeginProcessing()
    {
        _started = DateTimeOffset.UtcNow;
        if (!StartOutput("Export ZipFit report"))
        {
            return;
        }
        bool hasTop = MyInvocation.BoundParameters.ContainsKey(nameof(Top));
        bool hasMin = MyInvocation.BoundParameters.ContainsKey(nameof(MinScore));
        _report = new ReportBuilder(hasTop ? Top : null, hasMin ? MinScore : null, GroupBy is not null);
    }

    protected override void ProcessRecord()
    {
        if (_report is null || InputObject is null)
        {
            return;
        }
        StopToken.ThrowIfCancellationRequested();
        object input = InputObject.BaseObject;
        string id, source, text, method = "";
        int bytes;
        PSObject? record;
        object? scoreValue;
        bool hasScore;
        switch (input)
        {
            case ScoredExample scored:
                (id, source, text, bytes, method, record) = (scored.Id, scored.Source, scored.Text, scored.Bytes, scored.Method, scored.Record);
                scoreValue = scored.Score;
                hasScore = true;
                break;
            case Example example:
                (id, source, text, bytes, record) = (example.Id, example.Source, example.Text, example.Bytes, example.Record);
                var property = record?.Properties[DatasetWriter.ScoreProperty];
                hasScore = property is not null;
                scoreValue = property?.Value;
                break;
            default:
                record = InputObject;
                id = StringProperty(InputObject, "Id") ?? "";
                source = StringProperty(InputObject, "Source") ?? "";
                text = StringProperty(InputObject, "Text") ?? "";
                bytes = System.Text.Encoding.UTF8.GetByteCount(text);
                method = StringProperty(InputObject, "Method") ?? "";
                var scoreProperty = InputObject.Properties["Score"] ?? InputObject.Properties[DatasetWriter.ScoreProperty];
                hasScore = scoreProperty is not null;
                scoreValue = scoreProperty?.Value;
                break;
        }
        string where = source.Length > 0 ? source : id;
        if (!hasScore)
        {
            WriteNonTerminating(ErrorIds.NoScore, ErrorCategory.InvalidData, Format(Strings.ReportNoScore, where, DatasetWriter.ScoreProperty), InputObject);
            return;
        }
        if (!TryToDouble(scoreValue, out double score))
        {
            WriteNonTerminating(ErrorIds.InvalidScore, ErrorCategory.InvalidData, Format(Strings.InvalidScore, where, Show(scoreValue)), InputObject);
            return;
        }
        string? group = null;
        if (GroupBy is not null && record?.Properties[GroupBy]?.Value is { } value)
        {
            group = Convert.ToString(value is PSObject ps ? ps.BaseObject : value, CultureInfo.InvariantCulture);
        }
        _report.Add(id, source, score, bytes, text, group, method);
    }

    protected override void EndProcessing()
    {
        if (_report is null)
        {
            return;
        }
        if (_report.Count == 0)
        {
            WriteWarning(Strings.ReportEmpty);
        }
        Writing(() => HtmlReport.WriteFile(FullPath, _report, Title, GroupBy, _started, overwrite: Force));
        Finish($"a report of {_report.Count} examples");
    }

    private static string? StringProperty(PSObject input, string name) =>
        input.Properties[name]?.Value is { } v ? Convert.ToString(v is PSObject p ? p.BaseObject : v, CultureInfo.InvariantCulture) : null;

    /// <summary>A score as a number: a number, or a string in invariant format; null (a score that was not a number when exported) is NaN.</summary>
    private static bool TryToDouble(object? value, out double score)
    {
        if (value is PSObject ps)
        {
            value = ps.BaseObject;
        }
        switch (value)
        {
            case null:
                score = double.NaN;
                return true;
            case bool:
                score = double.NaN;
                return false;
            case string s:
                return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out score);
            case IConvertible when value is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal:
                score = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                return true;
            default:
                score = double.NaN;
                return false;
        }
    }

    private static string Show(object? value)
    {
        string text = value is PSObject ps ? ps.BaseObject?.ToString() ?? "" : value?.ToString() ?? "";
        return text.Length > 40 ? text[..39] + "…" : text;
    }
}
