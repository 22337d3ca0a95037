namespace ZipFit.Core.Scoring;

/// <summary>The normalized compression distance and ZIP-FIT's similarity, from compressed lengths.</summary>
public static class Ncd
{
    /// <summary>
    /// NCD(x,y) = (C(x+y) − min(C(x),C(y))) / max(C(x),C(y)); 0 when both compress to nothing
    /// (empty inputs under a container-less compressor such as lz4), since they are then identical.
    /// </summary>
    public static double Distance(int cx, int cy, int cxy)
    {
        int min = Math.Min(cx, cy);
        int max = Math.Max(cx, cy);
        return max == 0 ? 0.0 : (double)(cxy - min) / max;
    }

    /// <summary>1 − NCD(x,y), the term ZIP-FIT averages over the target set.</summary>
    public static double Similarity(int cx, int cy, int cxy) => 1.0 - Distance(cx, cy, cxy);

    /// <summary>align(x) = mean over targets of 1 − NCD, from C(x), every C(y) and every C(x+y).</summary>
    public static double Alignment(int cx, ReadOnlySpan<int> targetLengths, ReadOnlySpan<int> pairLengths)
    {
        if (targetLengths.Length != pairLengths.Length)
        {
            throw new ArgumentException("One pair length is needed per target example.", nameof(pairLengths));
        }
        var sum = new CompensatedSum();
        for (int i = 0; i < targetLengths.Length; i++)
        {
            sum.Add(Similarity(cx, targetLengths[i], pairLengths[i]));
        }
        return sum.Value / targetLengths.Length;
    }
}
