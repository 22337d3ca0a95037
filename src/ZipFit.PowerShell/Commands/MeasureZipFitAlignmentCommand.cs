using System.Management.Automation;
using ZipFit.Core.Scoring;

namespace ZipFit.Commands;

/// <summary>The dataset-level alignment to the target: the mean of 1 − NCD over all pairs.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "ZipFitAlignment")]
[OutputType(typeof(AlignmentResult))]
public sealed class MeasureZipFitAlignmentCommand : ScoringCmdlet
{
    // A one-element array, not the struct itself: the cmdlet type must load without ZipFit.Core (see Internal/ZipFitLoadContext.cs).
    private readonly CompensatedSum[] _sum = new CompensatedSum[1];
    private long _count;

    protected override string ActivityName => "Measure-ZipFitAlignment";

    private protected override void OnScored(Example example, double score, ModeMatch? coverage)
    {
        _sum[0].Add(score);
        _count++;
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        // Every example has the same number of pairs, so the mean over pairs is the mean of the per-example means.
        double alignment = _count == 0 ? double.NaN : _sum[0].Value / _count;
        WriteObject(new AlignmentResult(alignment, _count, TargetSet.Count, MethodIdentity));
    }
}
