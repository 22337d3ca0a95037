namespace ZipFit.Core.Scoring.Methods;

/// <summary>Score constants shared by the methods.</summary>
public static class ScoreConstants
{
    /// <summary>Score of an example a method refuses to rank (empty input, DSIR minimum length). Sorts last.</summary>
    public const double Excluded = double.NegativeInfinity;
}
