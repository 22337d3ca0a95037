using System.Management.Automation;
using ZipFit.Core.Data;
using ZipFit.Core.Selection;

namespace ZipFit.Commands;

/// <summary>Keeps the best K scored examples (and/or all at or above a minimum score), best first.</summary>
[Cmdlet(VerbsCommon.Select, "ZipFitTop")]
[OutputType(typeof(ScoredExample))]
public sealed class SelectZipFitTopCommand : ZipFitCmdlet
{
    private TopSelector<PSObject>? _selector;

    /// <summary>How many of the best to keep.</summary>
    [Parameter(Position = 0)]
    [ValidateRange(1, int.MaxValue)]
    public int Top { get; set; }

    /// <summary>Keep only scores at or above this.</summary>
    [Parameter]
    public double MinScore { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    protected override void BeginProcessing()
    {
        bool hasTop = MyInvocation.BoundParameters.ContainsKey(nameof(Top));
        bool hasMin = MyInvocation.BoundParameters.ContainsKey(nameof(MinScore));
        if (!hasTop && !hasMin)
        {
            ThrowTerminating(ErrorIds.NoSelection, ErrorCategory.InvalidArgument, Strings.NoSelection, null);
        }
        _selector = new TopSelector<PSObject>(hasTop ? Top : null, hasMin ? MinScore : null);
    }

    protected override void ProcessRecord()
    {
        if (InputObject is null)
        {
            return;
        }
        if (!TryGetScore(InputObject, out double score))
        {
            WriteNonTerminating(ErrorIds.NoScore, ErrorCategory.InvalidData, Strings.NoScore, InputObject);
            return;
        }
        _selector!.Add(score, InputObject);
    }

    protected override void EndProcessing()
    {
        foreach (var (_, item) in _selector!.Result())
        {
            WriteObject(item);
        }
    }

    private static bool TryGetScore(PSObject input, out double score)
    {
        if (input.BaseObject is ScoredExample scored)
        {
            score = scored.Score;
            return true;
        }
        // Examples read back from an export made with -IncludeScore carry the score in their record.
        object? value = input.BaseObject is Example example
            ? example.Record?.Properties[DatasetWriter.ScoreProperty]?.Value
            : (input.Properties["Score"] ?? input.Properties[DatasetWriter.ScoreProperty])?.Value;
        if (value is PSObject ps)
        {
            value = ps.BaseObject;
        }
        try
        {
            score = value is null ? double.NaN : Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
            return value is not null;
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            score = double.NaN;
            return false;
        }
    }
}
