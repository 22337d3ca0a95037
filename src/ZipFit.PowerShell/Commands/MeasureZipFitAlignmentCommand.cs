using System.Management.Automation;
using ZipFit.Core.Scoring;

namespace ZipFit.Commands;

/// <summary>The dataset-level alignment to the target: the mean of 1 − NCD over all pairs.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "ZipFitAlignment")]
[OutputType(typeof(AlignmentResult))]
public sealed class MeasureZipFitAlignmentCommand : ScoringCmdlet
{
    private CompensatedSum _sum;
    private long _count;

    protected override string ActivityName => "Measure-ZipFitAlignment";

    private protected override void OnScored(Example example, double score, ModeMatch? coverage)
    {
        _sum.Add(score);
        _count++;
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        // Every example has the same number of pairs, so the mean over pairs is the mean of the per-example means.
        double alignment = _count == 0 ? double.NaN : _sum.Value / _count;
        WriteObject(new AlignmentResult(alignment, _count, TargetSet.Count, MethodIdentity));
    }
}
