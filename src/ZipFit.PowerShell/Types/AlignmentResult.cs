namespace ZipFit;

/// <summary>
/// Dataset-level measures against the target: the mean score (for Ncd, the mean of 1 − NCD over every
/// (source, target) pair) and the bits per byte of the target under an order-3 byte model of the dataset.
/// </summary>
public sealed class AlignmentResult
{
    internal AlignmentResult(double alignment, long examples, int targets, string method, string dataset, double targetBitsPerByte)
    {
        Alignment = alignment;
        ExampleCount = examples;
        TargetCount = targets;
        Method = method;
        Dataset = dataset;
        TargetBitsPerByte = targetBitsPerByte;
    }

    /// <summary>The source file, the -GroupBy value, or <c>(input)</c> for examples without a file.</summary>
    public string Dataset { get; }

    public double Alignment { get; }

    /// <summary>Bits per byte of the target set under an order-3 Witten-Bell byte model trained on the dataset: lower means the dataset covers the target better. It tracks the fine-tuned loss where the mean score does not (docs/methods.md).</summary>
    public double TargetBitsPerByte { get; }

    public long ExampleCount { get; }

    public int TargetCount { get; }

    public long PairCount => ExampleCount * TargetCount;

    public string Method { get; }

    public override string ToString() => $"{Dataset}: alignment {Alignment:F6} over {PairCount} pairs, target {TargetBitsPerByte:F3} bits/byte ({Method})";
}
