namespace ZipFit.Core.Scoring;

/// <summary>An example to score: its UTF-8 bytes and the caller's own object, carried through untouched.</summary>
public readonly record struct ScoringInput<TTag>(ReadOnlyMemory<byte> Utf8, TTag Tag);

/// <summary>Parallel, ordered scoring of a stream of examples with any <see cref="IScoringMethod"/>.</summary>
public static class ExampleScoring
{
    /// <summary>Examples per work item: a pairwise method spends milliseconds per example, the O(N) methods microseconds.</summary>
    public static int DefaultBatchSize(IScoringMethod method) => method is IPairLengthMethod ? 1 : 64;

    public static OrderedParallelMap<ScoringInput<TTag>, (double Score, TTag Tag)> CreateScorer<TTag>(
        IScoringMethod method, int threads, CancellationToken cancellationToken = default, int? batchSize = null) =>
        new(() => new Worker<TTag>(method.CreateScorer()), threads, batchSize ?? DefaultBatchSize(method), cancellationToken);

    /// <summary>Scores a stream, pulling it lazily; results come in input order.</summary>
    public static IEnumerable<(double Score, TTag Tag)> Score<TTag>(
        IScoringMethod method, IEnumerable<ScoringInput<TTag>> inputs, int threads, CancellationToken cancellationToken = default)
    {
        using var map = CreateScorer<TTag>(method, threads, cancellationToken);
        foreach (var input in inputs)
        {
            map.Add(input);
            while (map.TryTake(out var result, out _))
            {
                yield return result;
            }
        }
        foreach (var (result, _) in map.Complete())
        {
            yield return result;
        }
    }

    private sealed class Worker<TTag>(IExampleScorer scorer) : IMapWorker<ScoringInput<TTag>, (double, TTag)>
    {
        public (double, TTag) Map(ScoringInput<TTag> item) => (scorer.Score(item.Utf8.Span), item.Tag);

        public void Dispose() => scorer.Dispose();
    }
}
