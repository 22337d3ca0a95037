namespace ZipFit.Core.Scoring;

/// <summary>A method cannot be prepared from so few examples (a zstd dictionary cannot be trained from them, say).</summary>
public sealed class TooFewExamplesException : Exception
{
    public TooFewExamplesException(string message, string set, Exception? inner = null) : base(message, inner) => Set = set;

    /// <summary>Which examples were too few: <c>target</c> or <c>background</c>.</summary>
    public string Set { get; }
}
