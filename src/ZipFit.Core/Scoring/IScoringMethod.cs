namespace ZipFit.Core.Scoring;

/// <summary>
/// A scoring method prepared once per target set. Immutable and shared by all worker threads;
/// each thread scores through its own <see cref="IExampleScorer"/>.
/// </summary>
public interface IScoringMethod
{
    /// <summary>Names the method and every parameter that changes its scores, e.g. <c>ncd/gzip-9/zlib-1.2.13</c>.</summary>
    string Identity { get; }

    IExampleScorer CreateScorer();
}

/// <summary>Scores examples for one thread; higher means more like the target.</summary>
public interface IExampleScorer : IDisposable
{
    /// <summary>Deterministic: the same bytes give the same score on any thread.</summary>
    double Score(ReadOnlySpan<byte> utf8);
}

/// <summary>
/// A method whose scorer is faster over many examples at once (<see cref="IBatchExampleScorer"/>): the scoring
/// pipelines then hand its workers <see cref="BatchSize"/> examples at a time.
/// </summary>
internal interface IBatchScoringMethod : IScoringMethod
{
    int BatchSize { get; }
}

/// <summary>Scores a batch of examples; each score equals, bit for bit, what <see cref="IExampleScorer.Score"/> gives.</summary>
internal interface IBatchExampleScorer : IExampleScorer
{
    void ScoreBatch(ReadOnlySpan<ReadOnlyMemory<byte>> examples, Span<double> scores);
}
