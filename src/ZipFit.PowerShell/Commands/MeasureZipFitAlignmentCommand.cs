using System.Management.Automation;
using ZipFit.Core.Measures;
using ZipFit.Core.Scoring;

namespace ZipFit.Commands;

/// <summary>
/// Dataset-level measures against the target, one row per dataset (source file, or -GroupBy value): the mean score
/// (for Ncd, the mean of 1 − NCD over all pairs, the paper's alignment) and the bits per byte of the target under an
/// order-3 byte model of the dataset.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "ZipFitAlignment")]
[OutputType(typeof(AlignmentResult))]
public sealed class MeasureZipFitAlignmentCommand : MethodScoringCmdlet
{
    private const int TargetModelOrder = 3;
    private const string PipelineDataset = "(input)";
    private readonly Dictionary<string, DatasetTotals> _datasets = new(StringComparer.Ordinal);

    /// <summary>A property naming each example's dataset (for ZipFit examples, a field of the record); default: its source file.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GroupBy { get; set; }

    protected override string ActivityName => "Measure-ZipFitAlignment";

    private protected override void OnScored(Example example, double score, ModeMatch? coverage)
    {
        string dataset = DatasetOf(example);
        if (!_datasets.TryGetValue(dataset, out var totals))
        {
            totals = new DatasetTotals(new WittenBellByteModel(TargetModelOrder));
            _datasets[dataset] = totals;
        }
        totals.Sum[0].Add(score);
        totals.Count++;
        totals.Model.Train(example.Data.Utf8);
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        if (_datasets.Count == 0)
        {
            WriteObject(new AlignmentResult
            {
                Alignment = double.NaN,
                TargetCount = TargetSet.Count,
                Method = MethodIdentity,
                Dataset = PipelineDataset,
                TargetBitsPerByte = double.NaN,
            });
            return;
        }
        foreach (var (name, totals) in _datasets)
        {
            // Every example has the same number of pairs, so the mean over pairs is the mean of the per-example means.
            double alignment = totals.Sum[0].Value / totals.Count;
            WriteObject(new AlignmentResult
            {
                Alignment = alignment,
                ExampleCount = totals.Count,
                TargetCount = TargetSet.Count,
                Method = MethodIdentity,
                Dataset = name,
                TargetBitsPerByte = totals.Model.BitsPerByte(TargetSet.Examples),
            });
        }
    }

    private string DatasetOf(Example example)
    {
        if (GroupBy is null)
        {
            return example.Data.Line > 0 ? example.Data.File : PipelineDataset;
        }
        object? value = example.Record?.Properties[GroupBy]?.Value;
        return (value is PSObject ps ? ps.BaseObject : value)?.ToString() ?? "";
    }

    /// <summary>One dataset's running totals (the sum in a one-element array: the cmdlet's types must load without ZipFit.Core).</summary>
    private sealed class DatasetTotals(WittenBellByteModel model)
    {
        public readonly CompensatedSum[] Sum = new CompensatedSum[1];
        public long Count;
        public WittenBellByteModel Model { get; } = model;
    }
}
