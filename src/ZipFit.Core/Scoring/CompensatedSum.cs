namespace ZipFit.Core.Scoring;

/// <summary>
/// Neumaier's compensated summation: the sum of a few hundred similarities rounded as if
/// summed exactly, so means match a correctly rounded reference (Python's <c>math.fsum</c>).
/// </summary>
public struct CompensatedSum
{
    private double _sum;
    private double _compensation;

    public void Add(double value)
    {
        double t = _sum + value;
        _compensation += Math.Abs(_sum) >= Math.Abs(value) ? (_sum - t) + value : (value - t) + _sum;
        _sum = t;
    }

    public readonly double Value => _sum + _compensation;
}
