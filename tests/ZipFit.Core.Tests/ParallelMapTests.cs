using ZipFit.Core.Scoring;

namespace ZipFit.Core.Tests;

public class ParallelMapTests
{
    private sealed class Square(Action<int>? onMap = null) : IMapWorker<int, long>
    {
        public long Map(int item)
        {
            onMap?.Invoke(item);
            return (long)item * item;
        }

        public void Dispose() { }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(4, 64)]
    public void ResultsComeBackInInputOrder(int threads, int batch)
    {
        using var map = new OrderedParallelMap<int, long>(() => new Square(i => { if (i % 7 == 0) Thread.Sleep(1); }), threads, batch);
        var results = new List<long>();
        for (int i = 0; i < 1000; i++)
        {
            map.Add(i);
            while (map.TryTake(out long r, out _))
            {
                results.Add(r);
            }
        }
        results.AddRange(map.Complete().Select(r => r.Result));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i * i), results);
    }

    [Fact]
    public void ItemsInFlightAreBounded()
    {
        int maxAhead = 0;
        int taken = 0;
        using var map = new OrderedParallelMap<int, long>(() => new Square(i =>
        {
            int ahead = i - Volatile.Read(ref taken);
            int seen;
            do { seen = maxAhead; } while (ahead > seen && Interlocked.CompareExchange(ref maxAhead, ahead, seen) != seen);
        }), threads: 2, batchSize: 4);
        for (int i = 0; i < 5000; i++)
        {
            map.Add(i);
            while (map.TryTake(out _, out _))
            {
                Interlocked.Increment(ref taken);
            }
        }
        foreach (var _ in map.Complete())
        {
            Interlocked.Increment(ref taken);
        }
        Assert.Equal(5000, taken);
        // 2 threads × 4 batches × 4 items, plus the batch being filled.
        Assert.InRange(maxAhead, 0, 2 * 4 * 4 + 4);
    }

    [Fact]
    public void AWorkerFailureSurfacesToTheCaller()
    {
        using var map = new OrderedParallelMap<int, long>(() => new Square(i => { if (i == 5) throw new InvalidDataException("boom"); }), 2, 1);
        var ex = Assert.Throws<AggregateException>(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                map.Add(i);
            }
            map.Complete().ToList();
        });
        Assert.IsType<InvalidDataException>(ex.InnerException);
    }

    [Fact]
    public void CancellationStopsTheWorkers()
    {
        using var cts = new CancellationTokenSource();
        using var map = new OrderedParallelMap<int, long>(() => new Square(_ => Thread.Sleep(20)), 2, 1, cts.Token);
        for (int i = 0; i < 4; i++)
        {
            map.Add(i);
        }
        cts.CancelAfter(50);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            for (int i = 4; i < 100_000; i++)
            {
                map.Add(i);
            }
            map.Complete().ToList();
        });
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5));
    }
}
