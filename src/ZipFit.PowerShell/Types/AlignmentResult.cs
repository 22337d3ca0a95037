namespace ZipFit;

/// <summary>Dataset-level alignment: the mean of 1 − NCD over every (source, target) pair.</summary>
public sealed class AlignmentResult
{
    internal AlignmentResult(double alignment, long examples, int targets, string method)
    {
        Alignment = alignment;
        ExampleCount = examples;
        TargetCount = targets;
        Method = method;
    }

    public double Alignment { get; }

    public long ExampleCount { get; }

    public int TargetCount { get; }

    public long PairCount => ExampleCount * TargetCount;

    public string Method { get; }

    public override string ToString() => $"Alignment {Alignment:F6} over {PairCount} pairs ({Method})";
}
