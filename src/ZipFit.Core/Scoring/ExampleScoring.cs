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
        private readonly ExampleBatch _batch = new();

        public (double, TTag) Map(ScoringInput<TTag> item) => (scorer.Score(item.Utf8.Span), item.Tag);

        public void MapBatch(ReadOnlySpan<ScoringInput<TTag>> items, Span<(double, TTag)> outputs)
        {
            if (scorer is not IBatchExampleScorer batched)
            {
                for (int i = 0; i < items.Length; i++) outputs[i] = Map(items[i]);
                return;
            }
            var examples = _batch.Examples(items.Length);
            for (int i = 0; i < items.Length; i++) examples[i] = items[i].Utf8;
            var scores = _batch.Score(batched, items.Length);
            for (int i = 0; i < items.Length; i++) outputs[i] = (scores[i], items[i].Tag);
        }

        public void Dispose() => scorer.Dispose();
    }
}

/// <summary>A worker's reusable buffers for handing a batch of examples to an <see cref="IBatchExampleScorer"/>.</summary>
internal sealed class ExampleBatch
{
    private ReadOnlyMemory<byte>[] _examples = [];
    private double[] _scores = [];

    /// <summary>Room for <paramref name="count"/> examples, filled by the caller before <see cref="Score"/>.</summary>
    public Span<ReadOnlyMemory<byte>> Examples(int count)
    {
        if (_examples.Length < count) _examples = new ReadOnlyMemory<byte>[count];
        return _examples.AsSpan(0, count);
    }

    /// <summary>Scores the first <paramref name="count"/> examples, then lets them go (the buffer does not keep their
    /// memory past the batch).</summary>
    public ReadOnlySpan<double> Score(IBatchExampleScorer scorer, int count)
    {
        if (_scores.Length < count) _scores = new double[count];
        var examples = _examples.AsSpan(0, count);
        var scores = _scores.AsSpan(0, count);
        scorer.ScoreBatch(examples, scores);
        examples.Clear();
        return scores;
    }
}
