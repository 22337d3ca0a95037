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
    private BalancedSelector<PSObject>? _balanced;

    /// <summary>How many of the best to keep.</summary>
    [Parameter(Position = 0)]
    [ValidateRange(1, int.MaxValue)]
    public int Top { get; set; }

    /// <summary>Keep only scores at or above this.</summary>
    [Parameter]
    public double MinScore { get; set; }

    /// <summary>
    /// Shares the K picks among the target's modes in proportion to the target (largest remainder; a mode the pool runs
    /// short of leaves its picks to the others) and ranks by the coverage key within each mode, instead of taking the
    /// K highest scores. Input must come from Get-ZipFitScore -Coverage (or -TargetGroupProperty).
    /// </summary>
    [Parameter]
    public SwitchParameter Balanced { get; set; }

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
        if (Balanced)
        {
            if (!hasTop)
            {
                ThrowTerminating(ErrorIds.NoSelection, ErrorCategory.InvalidArgument, Strings.BalancedNeedsTop, null);
            }
            _balanced = new BalancedSelector<PSObject>(Top);
            return;
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
        if (_balanced is not null)
        {
            // Scored with -Coverage means a mode and a key (never NaN: a NaN score gives a key of -∞).
            if (InputObject.BaseObject is not ScoredExample { Mode: { } mode } scored)
            {
                WriteNonTerminating(ErrorIds.NoCoverage, ErrorCategory.InvalidData, Strings.NoCoverage, InputObject);
                return;
            }
            if (MyInvocation.BoundParameters.ContainsKey(nameof(MinScore)) && !(score >= MinScore))
            {
                return;
            }
            _balanced.Add(mode, scored.ModeShare, scored.CoverageKey, InputObject);
            return;
        }
        _selector!.Add(score, InputObject);
    }

    protected override void EndProcessing()
    {
        if (_balanced is not null)
        {
            foreach (var (_, _, item) in _balanced.Result())
            {
                WriteObject(item);
            }
            return;
        }
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
        // Examples read back from an export made with -IncludeScore carry the score the reader found in their record;
        // only a zipfit_score that is not a JSON number (or a file the reader did not look into) needs the record itself.
        object? value;
        if (input.BaseObject is Example example)
        {
            switch (example.Data.ScoreField)
            {
                case Core.Data.ScoreField.Number:
                    score = example.Data.Score;
                    return true;
                case Core.Data.ScoreField.Absent:
                    score = double.NaN;
                    return false;
                default:
                    value = example.Record?.Properties[DatasetWriter.ScoreProperty]?.Value;
                    break;
            }
        }
        else
        {
            value = (input.Properties["Score"] ?? input.Properties[DatasetWriter.ScoreProperty])?.Value;
        }
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
