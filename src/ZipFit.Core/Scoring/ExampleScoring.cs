namespace ZipFit.Core.Scoring;

/// <summary>An example to score: its UTF-8 bytes and the caller's own object, carried through untouched.</summary>
public readonly record struct ScoringInput<TTag>(ReadOnlyMemory<byte> Utf8, TTag Tag);

/// <summary>Parallel, ordered scoring of a stream of examples with any <see cref="IScoringMethod"/>.</summary>
public static class ExampleScoring
{
    /// <summary>Examples per work item: a pairwise method spends milliseconds per example, the O(N) methods microseconds.</summary>
    public static int DefaultBatchSize(IScoringMethod method) => method switch
    {
        IPairLengthMethod => 1,
        IBatchScoringMethod batched => batched.BatchSize,
        _ => 64,
    };

    /// <summary>Batches a worker may hold queued or in progress: fewer when batches are large, so that the examples in
    /// flight stay about the same.</summary>
    public static int BatchesPerThread(IScoringMethod method) => DefaultBatchSize(method) > 64 ? 2 : 4;

    public static OrderedParallelMap<ScoringInput<TTag>, (double Score, TTag Tag)> CreateScorer<TTag>(
        IScoringMethod method, int threads, CancellationToken cancellationToken = default, int? batchSize = null) =>
        new(() => new Worker<TTag>(method.CreateScorer()), threads, batchSize ?? DefaultBatchSize(method), cancellationToken, BatchesPerThread(method));

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

    private sealed class Worker<TTag>(IExampleScorer scorer) : IBatchMapWorker<ScoringInput<TTag>, (double, TTag)>
    {
        private ReadOnlyMemory<byte>[] _examples = [];
        private double[] _scores = [];

        public (double, TTag) Map(ScoringInput<TTag> item) => (scorer.Score(item.Utf8.Span), item.Tag);

        public void MapBatch(ReadOnlySpan<ScoringInput<TTag>> items, Span<(double, TTag)> outputs)
        {
            if (scorer is not IBatchExampleScorer batched)
            {
                for (int i = 0; i < items.Length; i++) outputs[i] = Map(items[i]);
                return;
            }
            var examples = BatchBuffers.Take(ref _examples, items.Length);
            var scores = BatchBuffers.Take(ref _scores, items.Length);
            for (int i = 0; i < items.Length; i++) examples[i] = items[i].Utf8;
            batched.ScoreBatch(examples, scores);
            for (int i = 0; i < items.Length; i++) outputs[i] = (scores[i], items[i].Tag);
            examples.Clear(); // the examples' memory is not held past the batch
        }

        public void Dispose() => scorer.Dispose();
    }
}

internal static class BatchBuffers
{
    /// <summary>The first <paramref name="length"/> elements of a reusable array, grown when too short.</summary>
    public static Span<T> Take<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[length];
        return buffer.AsSpan(0, length);
    }
}
